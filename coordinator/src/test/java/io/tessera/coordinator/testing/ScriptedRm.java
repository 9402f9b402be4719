package io.tessera.coordinator.testing;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.tc.port.BranchDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Resource managers for driver tests: every BranchCommit/BranchRollback is recorded (with the virtual time
 * it arrived) and answered by the current script - a status at once, no RM at all, or held until the test
 * answers it (late answers).
 */
public final class ScriptedRm implements BranchDelivery {

    /** One delivered request. */
    public record Call(long atMillis, BranchEndRequest request, CompletableFuture<BranchEndResponse> answer) {
        public void answer(BranchStatus status) {
            answer.complete(new BranchEndResponse(request.commit(), ResultCode.Success, null,
                    TransactionExceptionCode.Unknown, request.xid(), request.branchId(), status));
        }
    }

    private final ManualClock clock;
    private final List<Call> calls = new ArrayList<>();
    private Function<BranchEndRequest, BranchStatus> script = r -> r.commit() ? BranchStatus.PhaseTwo_Committed
            : BranchStatus.PhaseTwo_Rollbacked;
    private boolean hold;
    private boolean unreachable;

    public ScriptedRm(ManualClock clock) {
        this.clock = clock;
    }

    /** Answer every request with what {@code answers} says. */
    public ScriptedRm answering(Function<BranchEndRequest, BranchStatus> answers) {
        this.script = answers;
        this.hold = false;
        this.unreachable = false;
        return this;
    }

    /** Answer every request with {@code status}. */
    public ScriptedRm answering(BranchStatus status) {
        return answering(r -> status);
    }

    /** Keep requests unanswered until the test calls {@link Call#answer}. */
    public ScriptedRm holding() {
        this.hold = true;
        this.unreachable = false;
        return this;
    }

    /** No RM connection anywhere. */
    public ScriptedRm unreachable() {
        this.unreachable = true;
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public CompletableFuture<BranchEndResponse> deliver(BranchEndRequest request, String clientId) {
        CompletableFuture<BranchEndResponse> answer = new CompletableFuture<>();
        Call call = new Call(clock.millis(), request, answer);
        calls.add(call);
        if (unreachable) {
            answer.completeExceptionally(new IllegalStateException("no RM connection for " + request.resourceId()));
        } else if (!hold) {
            call.answer(script.apply(request));
        }
        return answer;
    }
}
