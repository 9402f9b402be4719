package io.tessera.codec.message;

/** Ping or pong. On the TCP transport it has no body: the frame's messageType (3/4) says which. */
public record HeartbeatMessage(boolean ping) implements Message {
    public static final HeartbeatMessage PING = new HeartbeatMessage(true);
    public static final HeartbeatMessage PONG = new HeartbeatMessage(false);

    @Override
    public int typeCode() {
        return MessageTypes.HEARTBEAT_MSG;
    }
}
