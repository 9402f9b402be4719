package io.tessera.compat.fuzz;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Time spent per input, by target and registration kind, and the slowest input: where a run's time goes. */
final class Timing {
    private final Map<FuzzInput.Target, LongAdder> nanos = new EnumMap<>(FuzzInput.Target.class);
    private final Map<FuzzInput.Register, LongAdder> txNanos = new EnumMap<>(FuzzInput.Register.class);
    private final Map<FuzzInput.Register, LongAdder> txCount = new EnumMap<>(FuzzInput.Register.class);
    private final AtomicLong slowestNanos = new AtomicLong();
    private volatile String slowest = "";

    Timing() {
        for (FuzzInput.Target t : FuzzInput.Target.values()) {
            nanos.put(t, new LongAdder());
        }
        for (FuzzInput.Register r : FuzzInput.Register.values()) {
            txNanos.put(r, new LongAdder());
            txCount.put(r, new LongAdder());
        }
    }

    void record(FuzzInput in, long took) {
        nanos.get(in.target()).add(took);
        if (in.target() == FuzzInput.Target.TX) {
            txNanos.get(in.register()).add(took);
            txCount.get(in.register()).increment();
        }
        long prev = slowestNanos.get();
        if (took > prev && slowestNanos.compareAndSet(prev, took)) {
            slowest = in.describe();
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("seconds per target ");
        nanos.forEach((t, n) -> s.append(t).append('=').append(n.sum() / 1_000_000_000L).append(' '));
        s.append("; tx ms per input by registration ");
        txNanos.forEach((r, n) -> s.append(r).append('=').append(txCount.get(r).sum() == 0 ? 0
                : n.sum() / 1_000_000L / txCount.get(r).sum()).append(' '));
        return s.append("; slowest ").append(slowestNanos.get() / 1_000_000L).append(" ms: ").append(slowest).toString();
    }
}
