package io.tessera.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main sources of this module and of raft-state-machine form no package cycle (read from their import
 * statements), and the transaction layer keeps its layering: the port depends on nothing else of
 * {@code tc}, service and drivers never on the adapters, nothing of {@code tc} on the wiring.
 */
class PackageCyclesTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.tessera\\.[\\w.]+)\\.[\\w*]+;",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../raft-state-machine/src/main/java"))) {
            assertTrue(Files.isDirectory(root), root.toAbsolutePath().toString());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    // Comments may name any package; only code counts.
                    String src = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                    Matcher pm = PACKAGE.matcher(src);
                    if (!pm.find()) {
                        continue;
                    }
                    String pkg = pm.group(1);
                    Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher im = IMPORT.matcher(src);
                    while (im.find()) {
                        String target = packageOf(im.group(1));
                        if (!target.equals(pkg)) {
                            out.add(target);
                        }
                    }
                    // Same-module references by full name in code (io.tessera.x.Y.z()) count as well.
                    Matcher fq = Pattern.compile("\\b(io\\.tessera(?:\\.[a-z]\\w*)+)\\.[A-Z]").matcher(src);
                    while (fq.find()) {
                        if (!fq.group(1).equals(pkg)) {
                            out.add(fq.group(1));
                        }
                    }
                }
            }
        }
        // Only edges between packages of these sources (the codec module is below both).
        deps.values().forEach(s -> s.retainAll(deps.keySet()));
        return deps;
    }

    /** An import names a class; nested classes (Outer.Inner) keep the lower-case package part only. */
    private static String packageOf(String qualifier) {
        String[] parts = qualifier.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty() && Character.isUpperCase(p.charAt(0))) {
                break;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> deps = graph();
        List<List<String>> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            List<String> cycle = cycleFrom(start, deps);
            if (!cycle.isEmpty()) {
                cycles.add(cycle);
            }
        }
        assertEquals(List.of(), cycles);
    }

    /** A path start -> ... -> start, or empty. */
    private static List<String> cycleFrom(String start, Map<String, Set<String>> deps) {
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.add(List.of(start));
        Set<String> seen = new TreeSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.poll();
            for (String next : deps.getOrDefault(path.get(path.size() - 1), Set.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                if (next.equals(start)) {
                    return longer;
                }
                if (seen.add(next)) {
                    paths.add(longer);
                }
            }
        }
        return List.of();
    }

    @Test
    void theTransactionLayerKeepsItsLayers() throws IOException {
        Map<String, Set<String>> deps = graph();
        String tc = "io.tessera.coordinator.tc";
        Map<String, Set<String>> forbidden = new HashMap<>();
        forbidden.put(tc + ".port", Set.of(tc, tc + ".service", tc + ".drive", tc + ".adapter", tc + ".auth",
                "io.tessera.coordinator"));
        forbidden.put(tc + ".service", Set.of(tc + ".drive", tc + ".adapter", tc + ".auth", "io.tessera.coordinator"));
        forbidden.put(tc + ".drive", Set.of(tc + ".service", tc + ".adapter", tc + ".auth", "io.tessera.coordinator"));
        forbidden.put(tc + ".auth", Set.of(tc + ".service", tc + ".drive", tc + ".adapter", "io.tessera.coordinator"));
        forbidden.put(tc + ".adapter", Set.of(tc + ".drive", tc + ".auth", "io.tessera.coordinator"));
        forbidden.forEach((pkg, not) -> {
            assertTrue(deps.containsKey(pkg), pkg);
            for (String n : not) {
                assertFalse(deps.get(pkg).contains(n), pkg + " must not depend on " + n + " (" + deps.get(pkg) + ")");
            }
        });
        assertFalse(deps.get("io.tessera.raft.group").stream().anyMatch(p -> p.startsWith("io.tessera.raft.tx")),
                "the replication layer knows nothing of transactions");
    }
}
