package io.tessera.compat.failover;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.compat.ResourceIds;
import io.tessera.compat.failover.TxLoad.Outcome;
import io.tessera.compat.failover.TxLoad.TxRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * The unmodified seata-all client of a failover test (one per JVM: seata keeps it in singletons) with the
 * raft registry pointed at the cluster's control ports, and the checks every such test makes once the load
 * stopped: every begun transaction ended, none decided twice, the client's view matches the cluster's.
 */
final class LoadClient implements AutoCloseable {
    static final String APP = "failover-app";
    static final String GROUP = "compat-tx-group";
    private static final Set<GlobalStatus> FINAL = EnumSet.of(GlobalStatus.Committed, GlobalStatus.Rollbacked,
            GlobalStatus.TimeoutRollbacked);

    final FailoverTccRm rm;

    private LoadClient(FailoverTccRm rm) {
        this.rm = rm;
    }

    /** TM and RM up with the raft registry seeded with the cluster's current control addresses. */
    static LoadClient start(ProcessCluster cluster) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", cluster.controlAddresses());
        System.setProperty("registry.raft.username", cluster.credential("TESSERA_REGISTRY_USERNAME"));
        System.setProperty("registry.raft.password", cluster.credential("TESSERA_REGISTRY_PASSWORD"));
        System.setProperty("service.vgroupMapping." + GROUP, "default");
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        DefaultResourceManager.get();
        FailoverTccRm rm = new FailoverTccRm();
        DefaultResourceManager.mockResourceManager(BranchType.TCC, rm);
        rm.registerResource(ResourceIds.resource(GROUP, TxLoad.RESOURCE_1, BranchType.TCC));
        rm.registerResource(ResourceIds.resource(GROUP, TxLoad.RESOURCE_2, BranchType.TCC));
        return new LoadClient(rm);
    }
    static void awaitCommits(TxLoad load, int more) {
        long target = load.committedCount() + more;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.committedCount() >= target);
    }

    /** Final status of every begun transaction, polled through the TM until none is still in progress. */
    static Map<String, GlobalStatus> awaitAllEnded(List<TxRecord> records, Duration atMost) throws InterruptedException {
        Map<String, GlobalStatus> statuses = new ConcurrentHashMap<>();
        Set<String> xids = records.stream().map(TxRecord::xid).filter(x -> x != null).collect(Collectors.toSet());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<String> open = xids.stream().filter(x -> !FINAL.contains(statuses.get(x))).toList();
                pool.invokeAll(open.stream().map(x -> (Callable<Void>) () -> {
                    try {
                        statuses.put(x, GlobalTransactionContext.reload(x).getStatus());
                    } catch (Exception e) {
                        statuses.remove(x);
                    }
                    return null;
                }).toList());
                return xids.stream().allMatch(x -> FINAL.contains(statuses.get(x)));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, GlobalStatus> open = xids.stream().filter(x -> !FINAL.contains(statuses.get(x)))
                    .collect(Collectors.toMap(x -> x, x -> statuses.getOrDefault(x, GlobalStatus.UnKnown)));
            fail("transactions not ended after the load: " + open);
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    /**
     * Nothing lost or decided twice: a commit the client saw is Committed in the cluster with both branches
     * committed; no transaction has both committed and rolled-back branches; nothing ended otherwise has a
     * committed branch.
     */
    void checkFinalState(List<TxRecord> records, Map<String, GlobalStatus> finals) {
        List<String> problems = new ArrayList<>();
        for (TxRecord r : records) {
            if (r.xid() == null) {
                continue;
            }
            GlobalStatus fin = finals.get(r.xid());
            List<FailoverTccRm.Call> calls = rm.callsFor(r.xid());
            boolean anyCommit = calls.stream().anyMatch(FailoverTccRm.Call::commit);
            boolean anyRollback = calls.stream().anyMatch(c -> !c.commit());
            if (anyCommit && anyRollback) {
                problems.add("mixed branch outcomes " + calls + " for " + r);
            }
            if (r.outcome() == Outcome.COMMITTED || r.outcome() == Outcome.COMMIT_ANSWERED_OTHER) {
                if (fin != GlobalStatus.Committed) {
                    problems.add("client saw commit answered " + r.answered() + ", cluster says " + fin + ": " + r);
                }
            }
            if (fin == GlobalStatus.Committed) {
                Set<Long> committed = calls.stream().filter(FailoverTccRm.Call::commit)
                        .map(FailoverTccRm.Call::branchId).collect(Collectors.toSet());
                for (long b : new long[] {r.branch1(), r.branch2()}) {
                    if (b != 0 && !committed.contains(b)) {
                        problems.add("Committed but branch " + b + " never committed: " + calls + " " + r);
                    }
                }
                if (r.outcome() == Outcome.COMMITTED && committed.size() != 2) {
                    problems.add("Committed with " + committed.size() + " committed branches: " + r);
                }
            } else if (anyCommit) {
                problems.add(fin + " but a branch was committed: " + calls + " " + r);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Override
    public void close() {
        TmNettyRemotingClient.getInstance().destroy();
        RmNettyRemotingClient.getInstance().destroy();
    }
}
