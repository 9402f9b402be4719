package io.tessera.bench;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The transaction shapes, each one asynchronous chain of requests on one route. A chain completes
 * with an {@link Outcome} or fails with a {@link TxFailure} whose code names the step and the TC's
 * exception code.
 */
final class Workloads {
    static final String TCC_A = "bench-tcc-a";
    static final String TCC_B = "bench-tcc-b";
    static final String AT_RESOURCE = "jdbc:mysql://127.0.0.1:3306/bench";
    static final List<String> RESOURCES = List.of(TCC_A, TCC_B, AT_RESOURCE);

    enum Outcome { COMMITTED, ROLLED_BACK, CONFLICT }

    interface Workload {
        CompletableFuture<Outcome> run(ClientPool.Route route);
    }

    enum Kind {
        EMPTY, TCC2, AT, MIX;

        static Kind parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final BenchConfig config;

    Workloads(BenchConfig config) {
        this.config = config;
    }

    Workload of(Kind kind) {
        return switch (kind) {
            case EMPTY -> r -> begin(r).thenCompose(xid -> end(r, xid, true));
            case TCC2 -> r -> tcc2(r, true);
            case AT -> this::at;
            case MIX -> this::mix;
        };
    }

    private CompletableFuture<Outcome> mix(ClientPool.Route r) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < config.atPercent()) {
            return at(r);
        }
        return tcc2(r, dice >= config.atPercent() + config.rollbackPercent());
    }

    private CompletableFuture<Outcome> tcc2(ClientPool.Route r, boolean commit) {
        return begin(r).thenCompose(xid -> register(r, xid, BranchType.TCC, TCC_A, null)
                .thenCompose(b1 -> register(r, xid, BranchType.TCC, TCC_B, null))
                .thenCompose(b2 -> end(r, xid, commit)));
    }

    /** One AT branch holding random lock keys; on a lock conflict the TM rolls the global back, as a client would. */
    private CompletableFuture<Outcome> at(ClientPool.Route r) {
        String lockKey = lockKey();
        return begin(r).thenCompose(xid -> r.rm().request(new BranchRegisterRequest(xid, BranchType.AT, AT_RESOURCE,
                lockKey, null)).thenCompose(m -> {
                    BranchRegisterResponse resp = as(m, BranchRegisterResponse.class, "BranchRegister");
                    if (resp.resultCode() == ResultCode.Success) {
                        return end(r, xid, true);
                    }
                    if (resp.exceptionCode() == TransactionExceptionCode.LockKeyConflict
                            || resp.exceptionCode() == TransactionExceptionCode.LockKeyConflictFailFast) {
                        return end(r, xid, false).thenApply(o -> Outcome.CONFLICT);
                    }
                    throw new TxFailure("BranchRegister:" + resp.exceptionCode());
                }));
    }

    private String lockKey() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("bench_t:");
        long[] picked = rnd.longs(0, config.keySpace()).distinct().limit(config.locksPerTx()).toArray();
        for (int i = 0; i < picked.length; i++) {
            sb.append(i == 0 ? "" : ",").append(picked[i]);
        }
        return sb.toString();
    }

    private CompletableFuture<String> begin(ClientPool.Route r) {
        return r.tm().request(new GlobalBeginRequest(config.globalTimeoutMs(), "bench")).thenApply(m -> {
            GlobalBeginResponse resp = as(m, GlobalBeginResponse.class, "GlobalBegin");
            if (resp.resultCode() != ResultCode.Success || resp.xid() == null) {
                throw new TxFailure("GlobalBegin:" + resp.exceptionCode());
            }
            return resp.xid();
        });
    }

    private CompletableFuture<Long> register(ClientPool.Route r, String xid, BranchType type, String resource,
            String lockKey) {
        return r.rm().request(new BranchRegisterRequest(xid, type, resource, lockKey, "{\"bench\":1}")).thenApply(m -> {
            BranchRegisterResponse resp = as(m, BranchRegisterResponse.class, "BranchRegister");
            if (resp.resultCode() != ResultCode.Success) {
                throw new TxFailure("BranchRegister:" + resp.exceptionCode());
            }
            return resp.branchId();
        });
    }

    private CompletableFuture<Outcome> end(ClientPool.Route r, String xid, boolean commit) {
        GlobalEndRequest.Kind kind = commit ? GlobalEndRequest.Kind.COMMIT : GlobalEndRequest.Kind.ROLLBACK;
        String step = commit ? "GlobalCommit" : "GlobalRollback";
        return r.tm().request(new GlobalEndRequest(kind, xid, null)).thenApply(m -> {
            GlobalEndResponse resp = as(m, GlobalEndResponse.class, step);
            GlobalStatus wanted = commit ? GlobalStatus.Committed : GlobalStatus.Rollbacked;
            if (resp.resultCode() != ResultCode.Success) {
                throw new TxFailure(step + ":" + resp.exceptionCode());
            }
            if (resp.globalStatus() != wanted) {
                throw new TxFailure(step + ":status=" + resp.globalStatus());
            }
            return commit ? Outcome.COMMITTED : Outcome.ROLLED_BACK;
        });
    }

    private static <T> T as(Message m, Class<T> type, String step) {
        if (!type.isInstance(m)) {
            throw new TxFailure(step + ":unexpected=" + (m == null ? "null" : m.getClass().getSimpleName()));
        }
        return type.cast(m);
    }
}
