package io.tessera.coordinator.membership;

import io.tessera.coordinator.config.MemberSpec;
import java.util.Optional;

/**
 * A raft endpoint of the group's configuration (or a directory entry outside it) with what is known of
 * its node id and endpoints.
 *
 * @param raftEndpoint "host:port", the member's identity in jraft's configuration
 * @param spec node id and endpoints, from the member directory or, failing that, this node's configured
 *     member list; empty when neither knows the raft endpoint
 * @param source where {@code spec} came from
 */
public record KnownMember(String raftEndpoint, Optional<MemberSpec> spec, Kind kind, Source source) {

    /** The member's place in the group. */
    public enum Kind {
        VOTER,
        LEARNER,
        /** In the member directory but not (yet, or any more) in the configuration: an unfinished add or remove. */
        NOT_IN_CONFIGURATION
    }

    public enum Source {
        DIRECTORY,
        CONFIGURED,
        UNKNOWN
    }

    /** The node id, or the raft endpoint when the node id is unknown. */
    public String name() {
        return spec.map(MemberSpec::id).orElse(raftEndpoint);
    }
}
