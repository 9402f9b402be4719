package io.tessera.coordinator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TokenKeyRecord;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenAuthorityTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LocalAuthState cluster = new LocalAuthState(true);
    private final TokenAuthority authority = new TokenAuthority(cluster, now::get);

    private String issue(ControlRole role) {
        return authority.issue(role, "user-" + role.wireName()).orElseThrow();
    }

    @Test
    void tokensCarryRoleAndUserAreRandomAndExpire() {
        String token = issue(ControlRole.CLIENT);
        assertNotEquals(token, issue(ControlRole.CLIENT));
        TokenAuthority.Verdict v = authority.verify(token);
        assertTrue(v.valid());
        assertEquals(ControlRole.CLIENT, v.role());
        assertEquals("user-client", v.username());
        assertEquals(ControlRole.ADMIN, authority.verify(issue(ControlRole.ADMIN)).role());

        now.addAndGet(TokenAuthority.TOKEN_LIFETIME.toMillis() - 1);
        assertTrue(authority.verify(token).valid());
        now.addAndGet(1);
        assertEquals(TokenAuthority.Status.EXPIRED, authority.verify(token).status());
    }

    /** Seata's raft registry client logs in on one node and sends that token to every node. */
    @Test
    void anotherNodeWithTheClustersKeyAcceptsItAnotherClusterDoesNot() {
        AuthState sameCluster = new FixedKey(cluster.tokenKey().orElseThrow());
        AuthState otherCluster = new LocalAuthState(true); // same credentials don't matter: another random key
        String token = issue(ControlRole.CLIENT);
        assertTrue(new TokenAuthority(sameCluster, now::get).verify(token).valid());
        assertEquals(TokenAuthority.Status.BAD_SIGNATURE, new TokenAuthority(otherCluster, now::get).verify(token).status());
    }

    @Test
    void rotationRevokesEveryEarlierToken() {
        String before = issue(ControlRole.ADMIN);
        cluster.rotateTokenKey("test");
        TokenAuthority.Verdict v = authority.verify(before);
        assertEquals(TokenAuthority.Status.OTHER_GENERATION, v.status());
        assertTrue(v.reason().contains("rotated"), v.reason());
        assertTrue(authority.verify(issue(ControlRole.ADMIN)).valid());
    }

    @Test
    void tamperedAndMalformedTokensAreRefused() {
        String token = issue(ControlRole.CLIENT);
        String body = token.substring(TokenAuthority.BEARER.length(), token.indexOf('.'));
        byte[] payload = Base64.getUrlDecoder().decode(body);
        payload[9] = 2; // role byte: client -> admin
        String escalated = TokenAuthority.BEARER + Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
                + token.substring(token.indexOf('.'));
        assertEquals(TokenAuthority.Status.BAD_SIGNATURE, authority.verify(escalated).status());
        assertEquals(TokenAuthority.Status.MALFORMED, authority.verify(token.substring(0, token.indexOf('.'))).status());
        assertEquals(TokenAuthority.Status.MALFORMED, authority.verify(token.substring("Bearer ".length())).status());
        assertEquals(TokenAuthority.Status.MALFORMED, authority.verify("Bearer !!!.???").status());
        assertEquals(TokenAuthority.Status.MALFORMED, authority.verify("Basic dTpw").status());
        assertEquals(TokenAuthority.Status.MISSING, authority.verify(null).status());
    }

    @Test
    void withoutAKeyNothingIsIssuedOrAccepted() {
        String token = issue(ControlRole.CLIENT);
        TokenAuthority none = new TokenAuthority(new LocalAuthState(false), now::get);
        assertFalse(none.ready());
        assertTrue(none.issue(ControlRole.CLIENT, "u").isEmpty());
        assertEquals(TokenAuthority.Status.NO_KEY, none.verify(token).status());
    }

    /** Another node of the same cluster: it applied the same key. */
    private record FixedKey(TokenKeyRecord key) implements AuthState {
        @Override
        public Optional<TokenKeyRecord> tokenKey() {
            return Optional.of(key);
        }

        @Override
        public Optional<io.tessera.raft.tx.ControlCredentialsRecord> storedCredentials(ControlRole role) {
            return Optional.empty();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Long> rotateTokenKey(String requestedBy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> setCredentials(ControlRole role, String username,
                PasswordHash hash, String requestedBy) {
            throw new UnsupportedOperationException();
        }
    }
}
