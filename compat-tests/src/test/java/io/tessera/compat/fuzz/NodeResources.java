package io.tessera.compat.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A node's resources measured from outside its process: open file descriptors ({@code /proc/<pid>/fd}),
 * resident memory ({@code VmRSS} in {@code /proc/<pid>/status}) and JVM heap in use (the node's own
 * {@code jvm_memory_used_bytes{area="heap"}} on /metrics, admin token).
 */
final class NodeResources {
    record Sample(int fds, long rssBytes, long heapBytes) {
    }

    private NodeResources() {
    }

    static int fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use as the node reports it, or -1 when /metrics does not answer. */
    static long heapBytes(FuzzCluster cluster, FuzzCluster.Node node, String adminToken) {
        return cluster.get(node, "/metrics", adminToken, Duration.ofSeconds(10)).filter(r -> r.statusCode() == 200)
                .map(r -> {
                    double sum = 0;
                    for (String line : r.body().split("\n")) {
                        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                    return (long) sum;
                }).orElse(-1L);
    }

    /** Heap in use right after a full GC the JDK's jcmd asked for: what the node really retains. */
    static long heapAfterGc(FuzzCluster cluster, FuzzCluster.Node node, String adminToken) {
        try {
            Process p = new ProcessBuilder("jcmd", String.valueOf(cluster.pid(node)), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return heapBytes(cluster, node, adminToken);
    }

    static Sample sample(FuzzCluster cluster, FuzzCluster.Node node, String adminToken) {
        long pid = cluster.pid(node);
        return new Sample(fds(pid), rssBytes(pid), heapBytes(cluster, node, adminToken));
    }
}
