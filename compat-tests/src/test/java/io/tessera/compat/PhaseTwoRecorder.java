package io.tessera.compat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;

/**
 * What the coordinator asked of the test resource managers in phase two, and how they answer.
 * Shared by the TCC and AT test RMs; the RM client calls it on its own dispatch threads.
 */
public final class PhaseTwoRecorder {
    public record Call(boolean commit, BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
    }

    /** Decides the answer to one phase-two call; {@code attempt} counts calls for that branch, from 1. */
    @FunctionalInterface
    public interface Responder {
        BranchStatus answer(Call call, int attempt) throws Exception;
    }

    private static final Responder SUCCEED = (call, attempt) -> call.commit()
            ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, Responder> scripts = new ConcurrentHashMap<>();
    /** Told of every call before it is answered (the chaos harness stamps time and sender). */
    private volatile java.util.function.Consumer<Call> listener = c -> { };

    public PhaseTwoRecorder() {
    }

    public void listen(java.util.function.Consumer<Call> listener) {
        this.listener = listener;
    }

    /** Answers the phase two of {@code xid} with {@code responder} instead of success. */
    void script(String xid, Responder responder) {
        scripts.put(xid, responder);
    }

    BranchStatus handle(Call call) {
        calls.add(call);
        listener.accept(call);
        int attempt = attempts.merge(call.branchId(), 1, Integer::sum);
        try {
            return scripts.getOrDefault(call.xid(), SUCCEED).answer(call, attempt);
        } catch (Exception e) {
            throw new IllegalStateException("scripted answer failed for " + call, e);
        }
    }

    /** Calls for {@code xid} in the order they arrived. */
    List<Call> callsFor(String xid) {
        return calls.stream().filter(c -> c.xid().equals(xid)).toList();
    }
}
