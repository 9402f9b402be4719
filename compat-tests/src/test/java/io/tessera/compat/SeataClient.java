package io.tessera.compat;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.testing.TestSecurity;
import java.time.Duration;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.protocol.Version;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;

/**
 * The unmodified seata-all TM and RM of this JVM (they are process-wide singletons, hence one per
 * test class), configured from registry.conf/file.conf on the test classpath plus system properties
 * for the port-dependent keys: seata's FileConfiguration reads System properties before the file.
 */
final class SeataClient implements AutoCloseable {
    static final String APP = "compat-app";
    static final String GROUP = "compat-tx-group";
    static final String TCC_RESOURCE = "compat-tcc-action";
    static final String TCC_RESOURCE_2 = "compat-tcc-action-2";
    static final String AT_RESOURCE = "jdbc:mysql://127.0.0.1:3306/compat";

    final PhaseTwoRecorder recorder = new PhaseTwoRecorder();

    /** registry.type=raft: the client discovers the leader through the control ports' metadata API. */
    static SeataClient withRaftRegistry(TesseraCluster cluster) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", cluster.controlAddresses());
        System.setProperty("registry.raft.username", TestSecurity.CLIENT.username());
        System.setProperty("registry.raft.password", TestSecurity.CLIENT.password());
        return new SeataClient();
    }

    /**
     * The raft registry with a login, seeded with {@code serverAddr} (control addresses): the client
     * logs in on one node and sends that bearer token on every later metadata and watch call.
     */
    static SeataClient withRaftRegistry(String serverAddr, String username, String password) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", serverAddr);
        System.setProperty("registry.raft.username", username);
        System.setProperty("registry.raft.password", password);
        return new SeataClient();
    }

    /** registry.type=file: the client knows every node's transaction port and spreads requests over them. */
    static SeataClient withFileRegistry(TesseraCluster cluster) {
        System.setProperty("registry.type", "file");
        System.setProperty("service.default.grouplist", cluster.transactionAddresses(";"));
        return new SeataClient();
    }

    /**
     * TM and RM clients up, the recording TCC and AT managers installed, resources registered, and
     * the leader holding an RM connection with every resource (the one it delivers phase two on).
     */
    SeataClient start(TesseraCluster cluster) {
        String expected = System.getProperty("compat.expectedSeataVersion");
        if (expected != null && !expected.equals(Version.getCurrent())) {
            throw new IllegalStateException("seata-all " + Version.getCurrent() + " on the classpath, expected " + expected);
        }
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        // get() loads the built-in managers; replacing them afterwards makes ours stick.
        DefaultResourceManager.get();
        RecordingTccResourceManager tcc = new RecordingTccResourceManager(recorder);
        RecordingAtResourceManager at = new RecordingAtResourceManager(recorder);
        DefaultResourceManager.mockResourceManager(BranchType.TCC, tcc);
        DefaultResourceManager.mockResourceManager(BranchType.AT, at);
        tcc.registerResource(ResourceIds.resource(GROUP, TCC_RESOURCE, BranchType.TCC));
        tcc.registerResource(ResourceIds.resource(GROUP, TCC_RESOURCE_2, BranchType.TCC));
        at.registerResource(ResourceIds.resource(GROUP, AT_RESOURCE, BranchType.AT));
        int leader = cluster.leaderIndex();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.rmSessions(leader).stream()
                .anyMatch(s -> s.holds(TCC_RESOURCE) && s.holds(TCC_RESOURCE_2) && s.holds(AT_RESOURCE)));
        return this;
    }
    @Override
    public void close() {
        TmNettyRemotingClient.getInstance().destroy();
        RmNettyRemotingClient.getInstance().destroy();
    }
}
