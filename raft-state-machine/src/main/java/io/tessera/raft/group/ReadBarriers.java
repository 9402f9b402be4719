package io.tessera.raft.group;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import io.tessera.raft.group.GroupException.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Linearizable reads through jraft's ReadIndex: the closure runs once this replica has applied up to the
 * leader's commit index as of the request, so the caller may then read the ApplyTarget's local view. Works
 * on followers (jraft asks the leader); without a leader it retries until the request timeout.
 */
final class ReadBarriers {
    private static final byte[] NO_CONTEXT = new byte[0];

    private final Deadlines deadlines;
    private final Leadership leadership;
    private final Executor worker;
    private final long requestTimeoutMs;
    private final BooleanSupplier unavailable;
    private final Supplier<Kind> expiryKind;
    private volatile Node node;

    ReadBarriers(Deadlines deadlines, Leadership leadership, Executor worker, long requestTimeoutMs,
            BooleanSupplier unavailable, Supplier<Kind> expiryKind) {
        this.deadlines = deadlines;
        this.leadership = leadership;
        this.worker = worker;
        this.requestTimeoutMs = requestTimeoutMs;
        this.unavailable = unavailable;
        this.expiryKind = expiryKind;
    }

    void attach(Node node) {
        this.node = node;
    }

    CompletableFuture<Void> readBarrier() {
        CompletableFuture<Void> result = deadlines.bound(new CompletableFuture<>(), requestTimeoutMs, "readBarrier",
                expiryKind);
        attempt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs), result);
        return result;
    }

    private void attempt(long deadline, CompletableFuture<Void> result) {
        if (result.isDone()) {
            return;
        }
        if (unavailable.getAsBoolean()) {
            result.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "replica halted or closed"));
            return;
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
            return; // the deadline task answers
        }
        CompletableFuture<Void> changed = leadership.nextChange();
        node.readIndex(NO_CONTEXT, new ReadIndexClosure(remainingMs) {
            @Override
            public void run(Status status, long index, byte[] reqCtx) {
                if (status.isOk()) {
                    // May run on the FSM thread: hop off before the caller's continuation reads state.
                    worker.execute(() -> result.complete(null));
                } else {
                    // No leader yet, leader not ready in its term, or a step-down: nothing to undo, retry.
                    CompletableFuture.anyOf(changed, deadlines.delay(Proposals.RETRY_MS))
                            .thenRunAsync(() -> attempt(deadline, result), worker);
                }
            }
        });
    }
}
