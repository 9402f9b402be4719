package io.tessera.raft.group;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import java.util.concurrent.CompletableFuture;

/**
 * Travels with a leader's own task through jraft. The state machine sets the apply result for the entry
 * before running it with OK; jraft runs it with an error status when the entry never applies here.
 */
final class ProposalClosure implements Closure {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    /** The command object the proposed bytes were serialized from, or null (see ApplyTarget.Entry). */
    final Object decoded;
    private Object result;

    ProposalClosure(Object decoded) {
        this.decoded = decoded;
    }

    void setResult(Object result) {
        this.result = result;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            future.complete(result);
        } else {
            GroupException failure = Failures.fromStatus(status);
            future.completeExceptionally(Failures.neverAppended(status) ? new NotAppendedException(failure) : failure);
        }
    }
}
