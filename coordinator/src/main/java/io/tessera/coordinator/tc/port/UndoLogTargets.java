package io.tessera.coordinator.tc.port;

import io.tessera.codec.message.UndoLogDeleteRequest;
import java.util.Set;

/** The RM connections of this node, as the undo-log delete broadcast sees them. */
public interface UndoLogTargets {

    /** ResourceIds with at least one live RM connection on this node. */
    Set<String> connectedResources();

    /** Sends {@code request} (oneway, never answered) on one live connection holding its resourceId; false if none. */
    boolean sendToOne(UndoLogDeleteRequest request);
}
