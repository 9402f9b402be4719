package io.tessera.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU used so far by other processes on this machine (the cluster's node JVMs), read from
 * {@code /proc/<pid>/stat}: utime + stime of the process, which include its threads that have exited.
 * The kernel counts in clock ticks of USER_HZ, which is 100 on Linux for every architecture we run on.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100.0;
    private final List<Long> pids;

    ProcessCpu(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    /** {@code null} or blank: no process (the option was not given). */
    static ProcessCpu parse(String commaSeparatedPids) {
        if (commaSeparatedPids == null) {
            return new ProcessCpu(List.of());
        }
        return new ProcessCpu(java.util.Arrays.stream(commaSeparatedPids.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList());
    }

    boolean isEmpty() {
        return pids.isEmpty();
    }

    /** Seconds of CPU (user + system) of all the processes together. */
    double seconds() throws IOException {
        long ticks = 0;
        for (long pid : pids) {
            // One line; read it line-wise (Files.readString of /proc files can come back truncated).
            String line;
            try (BufferedReader r = Files.newBufferedReader(Path.of("/proc", Long.toString(pid), "stat"))) {
                line = r.readLine();
            }
            // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        }
        return ticks / TICKS_PER_SECOND;
    }
}
