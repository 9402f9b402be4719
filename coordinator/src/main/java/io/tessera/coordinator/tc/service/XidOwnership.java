package io.tessera.coordinator.tc.service;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.clientauth.ClientKeys;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.raft.tx.GlobalTxRecord;
import io.tessera.raft.tx.TxView;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * With client authentication on, who may act on an xid. The application that began a transaction
 * alone may commit, roll back or report it (GlobalCommit, GlobalRollback, GlobalReport); applications
 * of its domain ({@link ClientKeys#domainOf}: by default only itself) may also ask its status and
 * register or report branches in it. The session's application id is trustworthy here: registration
 * checked it against the signing key (TM) or against a signed TM on the same address (RM).
 *
 * <p>The owner is read from the local replica. A transaction's application id never changes once
 * begun, so a live record is conclusive; an xid not found locally may be a begin this follower has
 * not applied yet, so it is looked up again after a read barrier. Ended transactions keep no
 * application id: requests on them pass (the state machine answers with the final status and changes
 * nothing). An xid unknown even after the barrier is answered "not found" here rather than proposed,
 * so a guessed xid cannot reach a transaction begun between the check and the proposal.
 */
final class XidOwnership {
    private final ClientAuth auth;
    private final TxView view;
    private final Supplier<CompletableFuture<Void>> readBarrier;

    XidOwnership(ClientAuth auth, TxView view, Supplier<CompletableFuture<Void>> readBarrier) {
        this.auth = auth;
        this.view = view;
        this.readBarrier = readBarrier;
    }

    /** Completes normally when {@code session} may make {@code request}, else with a TransactionFailedException. */
    CompletableFuture<Void> check(ClientSession session, Request request) {
        if (!auth.enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        String xid = xidOf(request);
        if (xid == null) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<CompletableFuture<Void>> local = decide(session, request, xid, false);
        if (local.isPresent()) {
            return local.get();
        }
        return readBarrier.get().thenCompose(v -> decide(session, request, xid, true)
                .orElseGet(() -> CompletableFuture.completedFuture(null)));
    }

    /** Empty: not decidable from the local replica yet (only before the barrier). */
    private Optional<CompletableFuture<Void>> decide(ClientSession session, Request request, String xid,
            boolean afterBarrier) {
        Optional<GlobalTxRecord> global = view.global(xid);
        if (global.isPresent()) {
            return Optional.of(owner(session, request, xid, global.get().applicationId()));
        }
        if (view.ended(xid).isPresent()) {
            return Optional.of(CompletableFuture.completedFuture(null));
        }
        if (!afterBarrier) {
            return Optional.empty();
        }
        return Optional.of(CompletableFuture.failedFuture(new TransactionFailedException(
                TransactionExceptionCode.GlobalTransactionNotExist, "Could not found global transaction xid = " + xid,
                GlobalStatus.Finished)));
    }

    private CompletableFuture<Void> owner(ClientSession session, Request request, String xid, String owner) {
        String app = session.applicationId();
        if (app.equals(owner)) {
            return CompletableFuture.completedFuture(null);
        }
        ClientKeys keys = auth.keys();
        boolean ownerOnly = request instanceof GlobalReportRequest
                || request instanceof GlobalEndRequest end && end.kind() != GlobalEndRequest.Kind.STATUS;
        if (!ownerOnly && keys.domainOf(app).equals(keys.domainOf(owner))) {
            return CompletableFuture.completedFuture(null);
        }
        String rule = ownerOnly ? "only the application that began it may " + verb(request)
                : "application '" + app + "' is not in its " + keys.domainOf(owner);
        // No status: the front end's default says "not done" for the kind (Finished for a commit, which
        // the TM reports as an error; UnKnown otherwise) without revealing the transaction's real status.
        return CompletableFuture.failedFuture(new TransactionFailedException(code(request),
                "xid " + xid + " belongs to another application: " + rule + " (client authentication)"));
    }

    private static String verb(Request request) {
        if (request instanceof GlobalReportRequest) {
            return "report it";
        }
        return ((GlobalEndRequest) request).kind() == GlobalEndRequest.Kind.COMMIT ? "commit it" : "roll it back";
    }

    private static TransactionExceptionCode code(Request request) {
        if (request instanceof BranchRegisterRequest) {
            return TransactionExceptionCode.BranchRegisterFailed;
        }
        if (request instanceof BranchReportRequest) {
            return TransactionExceptionCode.BranchReportFailed;
        }
        return TransactionExceptionCode.Unknown;
    }

    private static String xidOf(Request request) {
        if (request instanceof GlobalEndRequest r) {
            return r.xid();
        }
        if (request instanceof GlobalReportRequest r) {
            return r.xid();
        }
        if (request instanceof BranchRegisterRequest r) {
            return r.xid();
        }
        if (request instanceof BranchReportRequest r) {
            return r.xid();
        }
        return null;
    }
}
