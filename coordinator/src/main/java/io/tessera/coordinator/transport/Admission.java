package io.tessera.coordinator.transport;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.TransactionExceptionCode;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control of the front end: a bound on the mutating requests this node has in flight
 * (received, not yet answered). Above capacity an open loop would otherwise queue requests until
 * the request timeout and leave the cluster busy with transactions nobody waits for any more.
 *
 * <p>Only GlobalBegin is ever refused, and only while the bound is reached: everything that
 * continues a transaction already begun (branch register/report, commit, rollback, global report)
 * is always admitted, because refusing it would strand that transaction until its timeout. Those
 * requests still count, so a node busy finishing transactions starts no new ones. Reads (status,
 * lock query) are neither counted nor refused.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    enum Decision {
        /** Not a mutating request: not counted, nothing to release. */
        UNCOUNTED,
        /** Counted: call {@link #release()} once when it is answered. */
        COUNTED,
        /** A GlobalBegin refused: answer it with {@link #busyAnswer} at once. */
        REFUSED
    }

    private final int limit;
    private final String nodeId;
    private final String busyMessage;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Every request admitted since start: a graceful stop waits until it stops moving (clients moved away). */
    private final AtomicLong admittedTotal = new AtomicLong();
    private final AtomicLong refusedTotal = new AtomicLong();
    private final AtomicLong refusedSinceBusy = new AtomicLong();
    private final AtomicBoolean refusing = new AtomicBoolean();

    /** @param limit the most mutating requests in flight before GlobalBegin is refused; 0 or less = no bound */
    Admission(int limit, String nodeId) {
        this.limit = limit;
        this.nodeId = nodeId;
        this.busyMessage = "TransactionException[TC " + nodeId + " is busy (" + limit
                + " transactional requests in flight), begin refused; retry later]";
    }

    Decision admit(Request request) {
        if (request instanceof GlobalBeginRequest) {
            return admitBegin();
        }
        admittedTotal.incrementAndGet();
        if (mutating(request)) {
            inFlight.incrementAndGet();
            return Decision.COUNTED;
        }
        return Decision.UNCOUNTED;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    Response busyAnswer(Request begin) {
        return FailedResponses.of(begin, TransactionExceptionCode.BeginFailed, busyMessage);
    }

    int inFlight() {
        return inFlight.get();
    }

    long refusedBegins() {
        return refusedTotal.get();
    }

    long admittedTotal() {
        return admittedTotal.get();
    }

    private Decision admitBegin() {
        admittedTotal.incrementAndGet();
        if (limit > 0) {
            // CAS so that several event loops together never pass the bound.
            int current;
            do {
                current = inFlight.get();
                if (current >= limit) {
                    refused();
                    return Decision.REFUSED;
                }
            } while (!inFlight.compareAndSet(current, current + 1));
        } else {
            inFlight.incrementAndGet();
        }
        if (refusing.get() && refusing.compareAndSet(true, false)) {
            LOG.info("TC {} accepts GlobalBegin again ({} refused while busy)", nodeId, refusedSinceBusy.getAndSet(0));
        }
        return Decision.COUNTED;
    }

    private void refused() {
        refusedTotal.incrementAndGet();
        refusedSinceBusy.incrementAndGet();
        // One line when the node becomes busy and one when it recovers, not one per refused begin.
        if (!refusing.get() && refusing.compareAndSet(false, true)) {
            LOG.warn("TC {} is busy: {} transactional requests in flight (limit {}); refusing new GlobalBegin",
                    nodeId, inFlight.get(), limit);
        }
    }

    static boolean mutating(Request request) {
        if (request instanceof GlobalEndRequest end) {
            return end.kind() != GlobalEndRequest.Kind.STATUS;
        }
        return request instanceof GlobalBeginRequest || request instanceof BranchRegisterRequest
                || request instanceof BranchReportRequest || request instanceof GlobalReportRequest;
    }
}
