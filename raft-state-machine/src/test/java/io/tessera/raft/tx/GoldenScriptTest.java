package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden lifecycle scripts in src/test/resources/golden/*.txt. Each case is a command line, a line
 * {@code ----}, the expected output, and a blank line; '#' lines are comments. Regenerate on purpose
 * with {@code mvn -pl raft-state-machine test -Dtest=GoldenScriptTest -Dgolden.update=true} and review
 * the diff.
 */
@Timeout(120)
class GoldenScriptTest {
    private static final Path SOURCE_DIR = Path.of(System.getProperty("basedir", "."), "src/test/resources/golden");

    @TempDir
    Path tmp;

    private sealed interface Item permits Comment, Case {
    }

    private record Comment(String line) implements Item {
    }

    private record Case(String command, String expected) implements Item {
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCE_DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden scripts in " + SOURCE_DIR.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runScript(f)));
    }

    private void runScript(Path file) throws Exception {
        List<Item> items = parse(Files.readAllLines(file, StandardCharsets.UTF_8), file);
        boolean update = Boolean.getBoolean("golden.update");
        List<Item> actual = new ArrayList<>();
        Path dir = tmp.resolve(file.getFileName().toString());
        try (Harness h = new Harness(dir)) {
            ScriptRunner runner = new ScriptRunner(h);
            for (Item item : items) {
                if (item instanceof Case c) {
                    String out = runner.run(c.command());
                    if (!update) {
                        assertEquals(c.expected(), out, file.getFileName() + ": " + c.command());
                    }
                    actual.add(new Case(c.command(), out));
                } else {
                    actual.add(item);
                }
            }
            // The console index is kept in step by apply: it must be what a rebuild from the records gives.
            String mismatch = ConsoleIndexCheck.mismatch(h.machine);
            if (mismatch != null) {
                throw new AssertionError(file.getFileName() + ": console index differs from its rebuild\n" + mismatch);
            }
        }
        if (update) {
            StringBuilder sb = new StringBuilder();
            for (Item item : actual) {
                if (item instanceof Comment c) {
                    sb.append(c.line()).append('\n');
                } else if (item instanceof Case c) {
                    sb.append(c.command()).append("\n----\n").append(c.expected()).append("\n\n");
                }
            }
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        }
    }

    private static List<Item> parse(List<String> lines, Path file) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                items.add(new Comment(line));
                continue;
            }
            StringBuilder expected = new StringBuilder();
            if (i + 1 < lines.size() && lines.get(i + 1).equals("----")) {
                i += 2;
                while (i < lines.size() && !lines.get(i).isEmpty()) {
                    if (expected.length() > 0) {
                        expected.append('\n');
                    }
                    expected.append(lines.get(i));
                    i++;
                }
            } else if (!Boolean.getBoolean("golden.update")) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": command without expected output: " + line);
            }
            items.add(new Case(line, expected.toString()));
        }
        return items;
    }
}
