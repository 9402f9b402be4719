package io.tessera.coordinator.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenAuthorityTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenAuthority authority = new TokenAuthority(Optional.of(new Credentials("u", "p")), now::get);

    @Test
    void tokensAreRandomAndExpire() {
        String token = authority.login("u", "p").orElseThrow();
        assertNotEquals(token, authority.login("u", "p").orElseThrow());
        assertTrue(authority.authorized(token));
        now.addAndGet(TokenAuthority.TOKEN_LIFETIME.toMillis() - 1);
        assertTrue(authority.authorized(token));
        now.addAndGet(1);
        assertFalse(authority.authorized(token));
    }

    @Test
    void wrongCredentialsAndMalformedHeadersAreRefused() {
        assertTrue(authority.login("u", "wrong").isEmpty());
        assertTrue(authority.login(null, null).isEmpty());
        String token = authority.login("u", "p").orElseThrow();
        assertFalse(authority.authorized(token.substring("Bearer ".length())));
        assertFalse(authority.authorized(null));
        assertFalse(authority.authorized("Basic dTpw"));
    }

    @Test
    void aTokenFromOneNodeIsAcceptedByAnotherWithTheSameCredentialsOnly() {
        // Seata's raft registry client logs in on one node and sends that token to every node.
        TokenAuthority otherNode = new TokenAuthority(Optional.of(new Credentials("u", "p")), now::get);
        TokenAuthority otherCluster = new TokenAuthority(Optional.of(new Credentials("u", "other")), now::get);
        String token = authority.login("u", "p").orElseThrow();
        assertTrue(otherNode.authorized(token));
        assertFalse(otherCluster.authorized(token));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = authority.login("u", "p").orElseThrow();
        int dot = token.indexOf('.');
        char c = token.charAt(dot - 1);
        String tampered = token.substring(0, dot - 1) + (c == 'A' ? 'B' : 'A') + token.substring(dot);
        assertFalse(authority.authorized(tampered));
        assertFalse(authority.authorized(token.substring(0, dot)));
        assertFalse(authority.authorized("Bearer !!!.???"));
    }

    @Test
    void withoutCredentialsEverythingIsOpen() {
        TokenAuthority open = new TokenAuthority(Optional.empty(), now::get);
        assertTrue(open.login("anyone", "x").isPresent());
        assertTrue(open.authorized(null));
    }
}
