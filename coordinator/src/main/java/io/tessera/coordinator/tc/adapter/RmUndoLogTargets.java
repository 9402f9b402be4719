package io.tessera.coordinator.tc.adapter;

import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.coordinator.tc.port.UndoLogTargets;
import io.tessera.coordinator.transport.RmChannels;
import io.tessera.coordinator.transport.RmRequestSender;
import java.util.Set;

/** The undo-log broadcast's targets: this node's RM connections, one (the first live one) per resourceId. */
public final class RmUndoLogTargets implements UndoLogTargets {
    private final RmChannels channels;
    private final RmRequestSender sender;

    public RmUndoLogTargets(RmChannels channels, RmRequestSender sender) {
        this.channels = channels;
        this.sender = sender;
    }

    @Override
    public Set<String> connectedResources() {
        return channels.resourceIds();
    }

    @Override
    public boolean sendToOne(UndoLogDeleteRequest request) {
        // With no clientId to prefer, AT selection falls back to any live holder of the resource.
        return channels.select(request.resourceId(), null, BranchType.AT).map(session -> {
            sender.sendOneway(session, request);
            return true;
        }).orElse(false);
    }
}
