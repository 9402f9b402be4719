package io.tessera.raft.group;

import com.alipay.sofa.jraft.rpc.ProtobufMsgFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.rpc.impl.PingRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.AppendEntriesRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.GetFileRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.InstallSnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.ReadIndexRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.RequestVoteRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.TimeoutNowRequestProcessor;

/**
 * Builds a member's raft-port server (not started; RaftGroupService starts it).
 *
 * <p>Unlike jraft's {@code RaftRpcServerFactory.createRaftRpcServer(endpoint)}, it binds the configured
 * host only (jraft's binds every interface), and it serves the Raft core RPCs only: append entries,
 * get file, install snapshot, request vote, ping, timeout-now, read index. jraft's CLI service
 * (add/remove/reset/change peers, learners, get leader/peers, snapshot, transfer leader) is not
 * registered, so nobody can change the membership or move leadership through this port, not even
 * with a member certificate; bolt answers such a request "no processor".
 */
final class RaftPort {
    private RaftPort() {
    }

    static RpcServer create(String bindHost, int port, Transport transport) {
        // What RaftRpcServerFactory's static initializer does: jraft's protobuf message table for bolt.
        ProtobufMsgFactory.load();
        com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(bindHost, port, true);
        transport.configureServer(bolt);
        RpcServer server = new BoltRpcServer(bolt);
        // Default executors (null), as jraft's factory uses for a member's server.
        AppendEntriesRequestProcessor appendEntries = new AppendEntriesRequestProcessor(null);
        server.registerConnectionClosedEventListener(appendEntries);
        server.registerProcessor(appendEntries);
        server.registerProcessor(new GetFileRequestProcessor(null));
        server.registerProcessor(new InstallSnapshotRequestProcessor(null));
        server.registerProcessor(new RequestVoteRequestProcessor(null));
        server.registerProcessor(new PingRequestProcessor(null));
        server.registerProcessor(new TimeoutNowRequestProcessor(null));
        server.registerProcessor(new ReadIndexRequestProcessor(null));
        return server;
    }
}
