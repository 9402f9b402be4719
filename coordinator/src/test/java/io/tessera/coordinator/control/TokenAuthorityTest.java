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
        now.addAndGet(TokenAuthority.TOKEN_LIFETIME.toNanos() - 1);
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
    void withoutCredentialsEverythingIsOpen() {
        TokenAuthority open = new TokenAuthority(Optional.empty(), now::get);
        assertTrue(open.login("anyone", "x").isPresent());
        assertTrue(open.authorized(null));
    }
}
