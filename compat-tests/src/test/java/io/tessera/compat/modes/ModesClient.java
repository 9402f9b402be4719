package io.tessera.compat.modes;

import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;

/**
 * The unmodified seata-all TM and RM of this JVM with Seata's own resource managers (AT, XA, TCC, SAGA
 * as loaded by the client; nothing replaced). Port-dependent keys go in as system properties, which
 * Seata's file configuration reads before registry.conf/file.conf.
 */
final class ModesClient implements AutoCloseable {
    static final String APP = "modes-app";
    static final String GROUP = "compat-tx-group";

    /** registry.type=file with every node's transaction port. */
    static ModesClient start(ModesCluster cluster) {
        System.setProperty("registry.type", "file");
        System.setProperty("service.default.grouplist", cluster.grouplist());
        return init();
    }

    /** registry.type=raft: the control addresses and the client role's credentials. */
    static ModesClient startWithRaftRegistry(String controlAddresses, String username, String password) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", controlAddresses);
        System.setProperty("registry.raft.username", username);
        System.setProperty("registry.raft.password", password);
        return init();
    }

    private static ModesClient init() {
        System.setProperty("service.vgroupMapping." + GROUP, "default");
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        return new ModesClient();
    }

    @Override
    public void close() {
        TmNettyRemotingClient.getInstance().destroy();
        RmNettyRemotingClient.getInstance().destroy();
    }
}
