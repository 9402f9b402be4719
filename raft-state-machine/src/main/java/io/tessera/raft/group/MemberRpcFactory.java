package io.tessera.raft.group;

import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcFactory;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.util.SPI;

/**
 * jraft's bolt RPC factory, plus the member's TLS on the node's own replication client. jraft creates
 * that client inside NodeImpl and offers no per-node hook for it except the process-wide RaftRpcFactory,
 * which it finds by SPI ({@code META-INF/services/com.alipay.sofa.jraft.rpc.RaftRpcFactory}, highest
 * {@link SPI#priority()} wins over jraft's own BoltRaftRpcFactory). Everything else is jraft's
 * behaviour unchanged; options that are not a {@link MemberNodeOptions} get jraft's default.
 */
@SPI(name = "tessera-member", priority = 100)
public final class MemberRpcFactory extends BoltRaftRpcFactory {
    @Override
    public RaftRpcFactory.ConfigHelper<RpcClient> defaultJRaftClientConfigHelper(RpcOptions opts) {
        if (opts instanceof MemberNodeOptions member) {
            return member.transport().clientConfig();
        }
        return super.defaultJRaftClientConfigHelper(opts);
    }
}
