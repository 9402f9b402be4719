package io.tessera.raft.group.bench;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling without our layer: three bare jraft nodes (same options as RaftGroup: sync log, default
 * batching) whose state machine only runs the closures. Completions happen on the FSM thread, as a
 * naive adapter would do.
 */
final class RawJraft {
    private static final byte[] EMPTY = new byte[0];

    private RawJraft() {
    }

    private static final class Noop extends StateMachineAdapter {
        volatile boolean leader;

        @Override
        public void onApply(Iterator iter) {
            while (iter.hasNext()) {
                if (iter.done() != null) {
                    iter.done().run(Status.OK());
                }
                iter.next();
            }
        }

        @Override
        public void onLeaderStart(long term) {
            leader = true;
        }

        @Override
        public void onLeaderStop(Status status) {
            leader = false;
        }
    }

    /** Follows leadership moves (the load keeps going to whoever leads now). */
    private static Node currentLeader(List<Noop> fsms, List<Node> nodes) {
        for (int i = 0; i < fsms.size(); i++) {
            if (fsms.get(i).leader) {
                return nodes.get(i);
            }
        }
        return nodes.get(0); // none right now: the apply fails with EPERM and the chain backs off
    }

    static ReplicationBenchmark.Result run(int warmupSec, int measureSec, int inflight) throws Exception {
        Path root = Files.createTempDirectory("tessera-bench-raw");
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add(PeerId.parsePeer("127.0.0.1:" + ReplicationBenchmark.freePort()));
        }
        List<RaftGroupService> services = new ArrayList<>();
        List<Noop> fsms = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Path dir = root.resolve("n" + i);
                Files.createDirectories(dir);
                RaftOptions raft = new RaftOptions();
                raft.setSync(true);
                NodeOptions o = new NodeOptions();
                o.setRaftOptions(raft);
                o.setElectionTimeoutMs(1000);
                o.setInitialConf(new Configuration(peers));
                Noop fsm = new Noop();
                o.setFsm(fsm);
                o.setLogUri(dir.resolve("log").toString());
                o.setRaftMetaUri(dir.resolve("meta").toString());
                o.setSnapshotUri(dir.resolve("snapshot").toString());
                RaftGroupService svc = new RaftGroupService("raw", peers.get(i), o,
                        RaftRpcServerFactory.createRaftRpcServer(peers.get(i).getEndpoint()));
                nodes.add(svc.start());
                services.add(svc);
                fsms.add(fsm);
            }
            Node leader = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (leader == null && System.nanoTime() < end) {
                for (int i = 0; i < 3; i++) {
                    if (fsms.get(i).leader) {
                        leader = nodes.get(i);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            if (leader == null) {
                throw new IllegalStateException("no leader");
            }
            byte[] data = new byte[40]; // about the size of a stamped "add k 1" command
            return ReplicationBenchmark.measure("raw", () -> () -> {
                CompletableFuture<byte[]> f = new CompletableFuture<>();
                currentLeader(fsms, nodes).apply(new Task(ByteBuffer.wrap(data), st -> {
                    if (st.isOk()) {
                        f.complete(EMPTY);
                    } else {
                        f.completeExceptionally(new IllegalStateException(st.toString()));
                    }
                }));
                return f;
            }, warmupSec, measureSec, inflight);
        } finally {
            for (RaftGroupService s : services) {
                s.shutdown();
                s.join();
            }
            ReplicationBenchmark.deleteTree(root);
        }
    }
}
