package io.tessera.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's execution samples: the top self frames (where the CPU is), the top
 * methods by inclusive samples, per thread-name group, and per package prefix (who owns the time).
 *
 * <pre>java -cp ... io.tessera.bench.JfrTop leader.jfr [top-n]</pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    /** Sample counts per self frame, inclusive method, thread group and owning library. */
    record Summary(int total, Map<String, Integer> self, Map<String, Integer> inclusive, Map<String, Integer> threads,
            Map<String, Integer> owners) {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        // Java-state samples show where our code burns CPU; native-state samples (JNI: RocksDB,
        // epoll, fsync) show where threads sit in native code, which is most of a TC's apply thread.
        for (String event : List.of(EXECUTION, NATIVE)) {
            Summary s = summarise(file, event);
            System.out.printf("%n==== %s: %d samples in %s%n", event, s.total(), file);
            print("top self frames", s.self(), s.total(), top);
            print("top inclusive methods", s.inclusive(), s.total(), top);
            print("threads", s.threads(), s.total(), top);
            print("owner (innermost frame in: io.tessera.*, jraft, bolt, rocksdb, netty, protobuf; else jdk/other)",
                    s.owners(), s.total(), top);
        }
    }

    static final String EXECUTION = "jdk.ExecutionSample";
    static final String NATIVE = "jdk.NativeMethodSample";

    static Summary summarise(Path file) throws IOException {
        return summarise(file, EXECUTION);
    }

    static Summary summarise(Path file, String eventName) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> owners = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals(eventName)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-_ ]?\\d+", "#"), 1, Integer::sum);
            owners.merge(owner(frames), 1, Integer::sum);
        }
        return new Summary(total, self, inclusive, threads, owners);
    }

    private static String owner(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String c = f.getMethod().getType().getName();
            if (c.startsWith("io.tessera.")) {
                return "io.tessera." + c.substring("io.tessera.".length()).split("\\.")[0];
            }
            if (c.startsWith("com.alipay.sofa.jraft")) {
                return "jraft";
            }
            if (c.startsWith("com.alipay.remoting")) {
                return "bolt";
            }
            if (c.startsWith("org.rocksdb")) {
                return "rocksdb";
            }
            if (c.startsWith("io.netty")) {
                return "netty";
            }
            if (c.startsWith("com.google.protobuf")) {
                return "protobuf";
            }
        }
        return "jdk/other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.printf("%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
    }
}
