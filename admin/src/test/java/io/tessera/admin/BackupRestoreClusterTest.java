package io.tessera.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.coordinator.backup.ArchiveReader;
import io.tessera.coordinator.backup.BackupManifest;
import io.tessera.coordinator.backup.JraftSnapshots;
import io.tessera.coordinator.backup.StateDigest;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.raft.tx.TxView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole operator story on real nodes: a live 3-node cluster under load from TMs and RMs is backed
 * up through the CLI, stopped, and restored into a NEW 3-node cluster on other ports. The restored
 * state equals the snapshot the source leader took, and the restored leader finishes what was left
 * open: a commit whose RM had gone away and a transaction whose global timeout passed.
 */
@Timeout(120)
class BackupRestoreClusterTest {
    private static final Set<GlobalStatus> COMMITTING = EnumSet.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying);

    @TempDir
    Path dir;

    private TestCluster source;
    private TestCluster target;
    private final List<TestSeataClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TestSeataClient::close);
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private TestSeataClient client(TestCluster c, int node) {
        TestSeataClient client = new TestSeataClient(c.transactionPort(node));
        clients.add(client);
        return client;
    }

    private static String begin(TestSeataClient tm, int timeoutMs) {
        GlobalBeginResponse r = tm.call(new GlobalBeginRequest(timeoutMs, "backup-test"), GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private static void register(TestSeataClient rm, String xid, BranchType type, String resource, String lockKey) {
        BranchRegisterResponse r = rm.call(new BranchRegisterRequest(xid, type, resource, lockKey, null),
                BranchRegisterResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
    }

    private static void runLoad(TestSeataClient tm, TestSeataClient rm, int worker, AtomicBoolean running,
            ConcurrentLinkedQueue<String> begun, AtomicInteger committed) {
        for (int i = 0; running.get(); i++) {
            String xid = begin(tm, 60_000);
            begun.add(xid);
            register(rm, xid, BranchType.AT, "jdbc:load", "t_load:" + worker + "-" + i);
            GlobalEndResponse r = tm.call(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null),
                    GlobalEndResponse.class);
            assertEquals(ResultCode.Success, r.resultCode(), r.msg());
            committed.incrementAndGet();
        }
    }

    private void refusesWithoutCredentialsAndOnFollowers(int leader) throws Exception {
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(new String[] {"backup", "--cluster", source.controlAddresses(), "--out",
                dir.resolve("denied.zip").toString(), "--username", TestSecurity.ADMIN.username(), "--password", "wrong-password"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(1, code);
        assertTrue(err.toString().contains("login to") && err.toString().contains("refused"), err.toString());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("denied.zip")));

        // The client role (what every Seata client carries) may not download the state.
        err = new StringWriter();
        code = TesseraAdmin.run(new String[] {"backup", "--cluster", source.controlAddresses(), "--out",
                dir.resolve("denied.zip").toString(), "--username", TestSecurity.CLIENT.username(), "--password",
                TestSecurity.CLIENT.password()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(1, code);
        assertTrue(err.toString().contains("needs the admin role"), err.toString());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("denied.zip")));

        ControlHttp leaderControl = source.control(leader);
        assertEquals(401, leaderControl.post("/admin/v1/backup", null, null, null).status(), "no token");
        assertEquals(403, leaderControl.post("/admin/v1/backup", leaderControl.token(TestSecurity.CLIENT), null, null)
                .status(), "client role");

        int follower = (leader + 1) % 3;
        ControlHttp followerControl = source.control(follower);
        ControlHttp.Reply onFollower = followerControl.post("/admin/v1/backup",
                followerControl.token(TestSecurity.ADMIN), null, null);
        assertEquals(409, onFollower.status(), onFollower.body());
    }

    @Test
    void liveBackupUnderLoadRestoresIntoANewClusterThatFinishesOpenTransactions() throws Exception {
        source = new TestCluster(dir.resolve("source"), 3).start();
        int leader = source.leaderIndex();
        source.awaitTokenKey();

        // Left open on purpose: xCommit decided Committing but its RM disconnects before phase two;
        // xTimeout (begun just before the backup) still Begin, its deadline passes only after the backup.
        TestSeataClient tm = client(source, leader).registerTm("orders");
        TestSeataClient stockRm = client(source, leader).registerRm("stock", "res-a");
        String xCommit = begin(tm, 60_000);
        register(stockRm, xCommit, BranchType.TCC, "res-a", null);
        stockRm.close();
        TxView sourceView = source.node(leader).stateMachine().view();
        tm.sendOnly(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xCommit, null));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                sourceView.global(xCommit).map(g -> COMMITTING.contains(g.status())).orElse(false));

        // Load: AT transactions begun, registered and committed by two TMs; an RM answers phase two.
        TestSeataClient loadRm = client(source, leader).registerRm("inventory", "jdbc:load").answerPhaseTwo(true);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> begun = new ConcurrentLinkedQueue<>();
        AtomicInteger committed = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> loadErrors = new ConcurrentLinkedQueue<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int worker = t;
            TestSeataClient loadTm = client(source, (leader + 1 + t) % 3).registerTm("load-" + t);
            Thread th = new Thread(() -> {
                try {
                    runLoad(loadTm, loadRm, worker, running, begun, committed);
                } catch (Throwable e) {
                    loadErrors.add(e);
                }
            }, "load-" + t);
            load.add(th);
            th.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> committed.get() >= 20);

        refusesWithoutCredentialsAndOnFollowers(leader);
        // Short deadline, begun last: the window in which the source could time it out is the backup only.
        String xTimeout = begin(tm, 6_000);
        TestSeataClient lateRm = client(source, leader).registerRm("stock", "res-a");
        register(lateRm, xTimeout, BranchType.TCC, "res-a", null);
        lateRm.close();

        List<String> acknowledgedBefore = List.copyOf(begun);
        int committedBefore = committed.get();
        Path archive = dir.resolve("backups/cluster.zip");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(new String[] {"backup", "--cluster", source.controlAddresses(), "--out",
                archive.toString(), "--username", TestSecurity.ADMIN.username(), "--password",
                TestSecurity.ADMIN.password()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        int committedDuring = committed.get() - committedBefore;
        running.set(false);
        for (Thread th : load) {
            th.join(20_000);
        }

        BackupManifest m = new ArchiveReader(archive).verify();
        assertEquals(3, m.members().size());
        assertTrue(m.lastIncludedIndex() > 0 && m.lastIncludedTerm() > 0, m.describe());
        // Independent of the archive: the snapshot the source leader keeps on its own disk.
        Path sourceSnapshot = source.dataDir(leader).resolve("raft/snapshot").resolve(
                JraftSnapshots.dirName(m.lastIncludedIndex()));
        assertEquals(StateDigest.of(sourceSnapshot.resolve("state"), dir.resolve("scratch")), m.stateDigest(),
                "the archive carries exactly the leader's snapshot");
        assertTrue(loadErrors.isEmpty(), "load failed during the backup: " + loadErrors);
        System.out.println("transactions committed while the backup ran: " + committedDuring);
        byte[] sourceKey = source.node(leader).stateMachine().view().tokenKey().orElseThrow().key();
        source.close();
        source = null;
        clients.forEach(TestSeataClient::close);
        clients.clear();

        target = new TestCluster(dir.resolve("target"), 3);
        Path conf = target.writeConf(dir.resolve("target-conf"));
        StringWriter rout = new StringWriter();
        code = TesseraAdmin.run(new String[] {"restore", archive.toString(), "--conf", conf.toString()},
                new PrintWriter(rout), new PrintWriter(err));
        assertEquals(0, code, rout + "\n" + err);

        // One member alone has no quorum: nothing can be applied, so its state is exactly what it loaded.
        target.start(0);
        TxView restored = target.node(0).stateMachine().view();
        assertEquals(m.lastIncludedIndex(), restored.lastAppliedIndex());
        assertEquals(m.stateDigest(), restored.digest(), "restored state digest equals the backup's");
        assertTrue(COMMITTING.contains(restored.global(xCommit).orElseThrow().status()));
        assertArrayEquals(sourceKey, restored.tokenKey().orElseThrow().key(),
                "the archive carries the token key (the restored cluster accepts the source's tokens until rotated)");
        assertEquals(GlobalStatus.Begin, restored.global(xTimeout).orElseThrow().status(),
                "the timeout must still be pending at the backup's index (backup took too long?)");
        for (String xid : acknowledgedBefore) {
            assertTrue(restored.status(xid).isPresent(), "transaction acknowledged before the backup: " + xid);
        }

        target.start(1);
        target.start(2);
        int newLeader = target.leaderIndex();
        assertTrue(target.node(newLeader).group().currentTerm() > m.lastIncludedTerm(),
                "the restored cluster elects in a later term than the backup (fresh id space)");
        client(target, newLeader).registerRm("stock", "res-a").answerPhaseTwo(true);
        client(target, newLeader).registerRm("inventory", "jdbc:load").answerPhaseTwo(true);
        TxView view = target.node(newLeader).stateMachine().view();
        await().atMost(Duration.ofSeconds(40)).until(() ->
                view.ended(xCommit).map(e -> e.finalStatus() == GlobalStatus.Committed).orElse(false)
                        && view.ended(xTimeout).map(e -> e.finalStatus() == GlobalStatus.TimeoutRollbacked).orElse(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledgedBefore.stream()
                .allMatch(xid -> view.global(xid).isEmpty()));

        // The restored cluster takes new work.
        TestSeataClient newTm = client(target, (newLeader + 1) % 3).registerTm("orders");
        String fresh = begin(newTm, 60_000);
        assertEquals(GlobalStatus.Committed, newTm.call(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, fresh, null),
                GlobalEndResponse.class).globalStatus());
        target.awaitSameState();
    }
}
