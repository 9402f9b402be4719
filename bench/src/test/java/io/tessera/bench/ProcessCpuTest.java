package io.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** /proc CPU of real processes: this test's own JVM, compared with what the JVM itself reports. */
class ProcessCpuTest {
    @Test
    void readsTheCpuOfAProcessAsTheKernelCountsIt() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcessCpu cpu = ProcessCpu.parse(" " + self + ",");
        double before = cpu.seconds();
        long jvmBefore = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long x = 0;
        for (long i = 0; i < 400_000_000L; i++) { // about a CPU second
            x += i ^ (x >>> 3);
        }
        double after = cpu.seconds();
        long jvmAfter = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        double jvmSeconds = (jvmAfter - jvmBefore) / 1e9;
        assertTrue(x != 42, "keeps the loop");
        // Both count the same process: equal up to the 10 ms tick of each of the two readings and the
        // other threads of this JVM (JIT, GC) between them.
        assertEquals(jvmSeconds, after - before, 0.05 + jvmSeconds * 0.1, "jvm " + jvmSeconds + " s");
        assertTrue(after - before > 0.05, "measured " + (after - before) + " s");
    }

    @Test
    void noPidsMeansNothingToMeasure() {
        assertTrue(ProcessCpu.parse(null).isEmpty());
        assertTrue(ProcessCpu.parse("").isEmpty());
    }
}
