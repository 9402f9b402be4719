package io.tessera.raft.group;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.raft.group.proto.MemberStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The built-in peer service {@value #NAME}: a member's applied index, log end, term and leader, for the
 * leader deciding whether a learner has caught up and which voter is furthest ahead. Any member of the
 * group can ask (over member TLS, only members can).
 */
final class MemberStatusService implements PeerService {
    static final String NAME = "tessera.group.status";

    private final Supplier<MemberStatus> local;

    MemberStatusService(Supplier<MemberStatus> local) {
        this.local = local;
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] payload) {
        return CompletableFuture.completedFuture(local.get().toByteArray());
    }

    static MemberStatus parse(byte[] bytes) {
        try {
            return MemberStatus.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("undecodable member status", e);
        }
    }
}
