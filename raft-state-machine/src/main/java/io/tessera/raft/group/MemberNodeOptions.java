package io.tessera.raft.group;

import com.alipay.sofa.jraft.option.NodeOptions;

/**
 * jraft's NodeOptions carrying this member's {@link Transport}. jraft hands the very NodeOptions object
 * given to the node to its replication client service as RpcOptions
 * ({@code AbstractClientService.init -> RaftRpcFactory.defaultJRaftClientConfigHelper(rpcOptions)}), which
 * is how {@link MemberRpcFactory} finds the member's TLS settings: per node, so several members in one JVM
 * (the test clusters) each present their own certificate.
 *
 * <p>Not final: jraft reads its options through these getters at fixed points, so a test subclass can
 * stop jraft's own threads at a chosen point to force a race deterministically ({@link RaftGroup#nodeOptions}).
 */
class MemberNodeOptions extends NodeOptions {
    private final Transport transport;

    MemberNodeOptions(Transport transport) {
        this.transport = transport;
    }

    Transport transport() {
        return transport;
    }
}
