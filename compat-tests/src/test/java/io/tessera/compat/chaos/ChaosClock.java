package io.tessera.compat.chaos;

/** Milliseconds since the run started, for histories and reports (all records use System.nanoTime). */
final class ChaosClock {
    private static final long ORIGIN = System.nanoTime();

    private ChaosClock() {
    }

    static String stamp(long nanos) {
        return "t+" + (nanos - ORIGIN) / 1_000_000 + "ms";
    }
}
