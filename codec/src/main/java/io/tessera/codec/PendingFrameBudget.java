package io.tessera.codec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide bound on bytes held in partial frames: every {@link FrameDecoder} that holds an
 * incomplete frame has reserved the frame's declared length here, so the sum of all connections'
 * partial frames never exceeds {@link #limit()}. Without it, many connections each trickling a
 * large frame hold a frame buffer apiece until memory runs out.
 *
 * <p>Frames of at most {@link #SMALL_FRAME_BYTES} may use the whole bound; larger frames only
 * {@code limit - limit/8}. Real clients' frames are small and only rarely span two reads, so a flood of
 * large partial frames cannot starve them. Thread-safe (decoders of every event loop share it).
 */
public final class PendingFrameBudget {
    /** Frames up to this size keep a share of the bound that larger frames cannot take. */
    public static final int SMALL_FRAME_BYTES = 64 * 1024;

    private final long limit;
    private final long largeFrameLimit;
    private final AtomicLong held = new AtomicLong();

    public PendingFrameBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        this.largeFrameLimit = limit - limit / 8;
    }

    /** No bound (tools and tests that decode trusted input). */
    public static PendingFrameBudget unbounded() {
        return new PendingFrameBudget(Long.MAX_VALUE);
    }

    /**
     * Grows one connection's reservation from {@code from} to {@code to} bytes; the ceiling depends on
     * {@code to}, the size of what that connection will then hold.
     *
     * @return true if reserved; false (nothing changed) if that would pass the bound
     */
    public boolean tryGrow(long from, long to) {
        long more = to - from;
        if (more <= 0) {
            return true;
        }
        long ceiling = to <= SMALL_FRAME_BYTES ? limit : largeFrameLimit;
        while (true) {
            long now = held.get();
            if (now + more > ceiling) {
                return false;
            }
            if (held.compareAndSet(now, now + more)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes reserved by partial frames right now. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
