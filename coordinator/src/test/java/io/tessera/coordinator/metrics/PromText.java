package io.tessera.coordinator.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a HELP,
 * a TYPE or a sample of a family whose TYPE came first; names, label names and escapes must be valid;
 * no series may appear twice. Fails with the offending line otherwise.
 */
final class PromText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_max",
            "_info", "");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();

    static PromText parse(String text) {
        PromText p = new PromText();
        Map<String, Boolean> seen = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                check(parts.length == 2 && NAME.matcher(parts[0]).matches()
                        && List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]), line);
                check(p.types.put(parts[0], parts[1]) == null, "TYPE twice: " + line);
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("#")) {
                continue;
            }
            Sample s = sample(line);
            check(p.familyOf(s.name()) != null, "sample before its TYPE: " + line);
            check(seen.put(s.name() + s.labels(), true) == null, "series twice: " + line);
            p.samples.add(s);
        }
        return p;
    }

    private String familyOf(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        check(NAME.matcher(name).matches(), "bad metric name: " + line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                check(eq > i, "bad label: " + line);
                String key = line.substring(i, eq);
                check(LABEL.matcher(key).matches(), "bad label name '" + key + "': " + line);
                check(line.charAt(eq + 1) == '"', "unquoted label value: " + line);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (;; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        check(n == '\\' || n == '"' || n == 'n', "bad escape: " + line);
                        v.append(n == 'n' ? '\n' : n);
                    } else if (c == '"') {
                        break;
                    } else {
                        v.append(c);
                    }
                }
                check(labels.put(key, v.toString()) == null, "label twice: " + line);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        check(line.charAt(i) == ' ', "no space before the value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        check(rest.length == 1 || rest.length == 2, "bad value: " + line);
        return new Sample(name, labels, value(rest[0], line));
    }

    private static double value(String v, String line) {
        switch (v) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value '" + v + "': " + line);
                }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("invalid exposition: " + what);
        }
    }

    String type(String family) {
        return types.get(family);
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one series of {@code name} whose labels include {@code match}; 0 when none. */
    double value(String name, Map<String, String> match) {
        List<Sample> found = samples(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(match.entrySet())).toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " series of " + name + " match " + match + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }
}
