package io.tessera.coordinator.cluster;

import io.tessera.coordinator.config.Endpoint;

/** One node of the group as the cluster view currently sees it. */
public record ClusterMember(String nodeId, Endpoint control, Endpoint transaction, Endpoint internal, Role role) {
}
