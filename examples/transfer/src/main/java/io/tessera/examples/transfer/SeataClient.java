package io.tessera.examples.transfer;

import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;

/**
 * Seata's client as any application starts it, without Spring: the TM (begins, commits and rolls back global
 * transactions) and the RM (registers branches, runs phase two on this service's databases). Where the
 * coordinator is comes from registry.conf/file.conf on the class path, and from system properties, which
 * Seata reads first: {@code registry.raft.serverAddr}, {@code registry.raft.username},
 * {@code registry.raft.password} (the client role's credentials of the Tessera cluster).
 */
final class SeataClient {
    /** The transaction service group of registry.conf/file.conf; it maps to the Tessera cluster "default". */
    static final String TX_GROUP = "transfer-tx-group";

    private SeataClient() {
    }

    static void init(String applicationId) {
        TMClient.init(applicationId, TX_GROUP);
        RMClient.init(applicationId, TX_GROUP);
    }
}
