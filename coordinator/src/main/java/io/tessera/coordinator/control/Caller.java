package io.tessera.coordinator.control;

import io.netty.channel.Channel;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.tx.ControlRole;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Who sent a control request: the role and user name of its verified token (empty on open routes) and
 * the source address (the key of the login throttle, and part of every audit line).
 */
public record Caller(Optional<ControlRole> role, String username, String source) {

    static Caller anonymous(Channel channel) {
        return new Caller(Optional.empty(), null, sourceOf(channel));
    }

    static Caller authenticated(Channel channel, ControlRole role, String username) {
        return new Caller(Optional.of(role), username, sourceOf(channel));
    }

    /** The remote IP address (without port): one source however many connections it opens. */
    static String sourceOf(Channel channel) {
        SocketAddress a = channel.remoteAddress();
        if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(a);
    }

    /** "admin 'ops' from 10.0.0.5", for audit records and log lines (user name escaped). */
    public String describe() {
        return role.map(r -> r.wireName() + " '" + ClientText.of(username) + "' from " + source)
                .orElse("anonymous from " + source);
    }
}
