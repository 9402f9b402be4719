package io.tessera.coordinator.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registration rules, on requests shaped like seata-all's (extraData lines as TmNettyRemotingClient writes them). */
class RegistrationAuthenticatorTest {
    private static final long NOW = 1_765_113_600_000L;
    private static final String SECRET = "s3cret-key-for-orders";
    private final ClientKeys keys = ClientKeys.parse(List.of("order-ak = orders:" + SECRET), "test");
    private final RegistrationAuthenticator auth = new RegistrationAuthenticator(ClientAuth.with(keys),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    /** What seata-all 2.x sends: ak, digest, timestamp, authVersion lines, then vgroup and ip. */
    static String extraData(String ak, String secret, String group, String ip, long timestamp) {
        return "ak=" + ak + "\ndigest=" + SeataSignature.digest(group, ip, timestamp, secret) + "\ntimestamp=" + timestamp
                + "\nauthVersion=V4\nvgroup=" + group + "\nip=" + ip + "\n";
    }

    private static RegisterTMRequest tm(String app, String extraData) {
        return new RegisterTMRequest("2.5.0", app, "tx-group", extraData);
    }

    @Test
    void aCorrectSignatureIsAcceptedOnceAndItsReplayIsRefused() {
        RegisterTMRequest r = tm("orders", extraData("order-ak", SECRET, "tx-group", "10.1.2.3", NOW - 1_000));
        RegistrationAuthenticator.Verdict first = auth.tm(r);
        assertTrue(first.accepted(), first.refusal());
        assertEquals("order-ak", first.accessKey());
        RegistrationAuthenticator.Verdict again = auth.tm(r);
        assertFalse(again.accepted());
        assertTrue(again.refusal().contains("already used (replay)"), again.refusal());
    }

    @Test
    void wrongSecretUnknownKeyOtherApplicationAndStaleTimestampAreRefused() {
        assertRefused(tm("orders", extraData("order-ak", "not-the-right-secret", "tx-group", "10.1.2.3", NOW)),
                "signature of access key 'order-ak' does not verify");
        assertRefused(tm("orders", extraData("who-ak", SECRET, "tx-group", "10.1.2.3", NOW)), "unknown access key 'who-ak'");
        assertRefused(tm("payments", extraData("order-ak", SECRET, "tx-group", "10.1.2.3", NOW)),
                "access key 'order-ak' is not valid for application 'payments'");
        assertRefused(tm("orders", extraData("order-ak", SECRET, "tx-group", "10.1.2.3", NOW - 301_000)),
                "is more than 300 s from the coordinator's clock");
        assertRefused(tm("orders", extraData("order-ak", SECRET, "tx-group", "10.1.2.3", NOW + 301_000)),
                "is more than 300 s from the coordinator's clock");
        // A client without keys: seata-all sends ak=null and the plain text as digest.
        assertRefused(tm("orders", "ak=null\ndigest=tx-group,10.1.2.3," + NOW + "\ntimestamp=" + NOW
                + "\nauthVersion=V4\n"), "registration without an access key");
        assertRefused(tm("orders", null), "registration without an access key");
        // Signed for another group than the one registered.
        assertRefused(new RegisterTMRequest("2.5.0", "orders", "other-group",
                extraData("order-ak", SECRET, "tx-group", "10.1.2.3", NOW)), "signed vgroup 'tx-group' differs");
    }

    @Test
    void anUnsignedRmIsAcceptedOnlyBesideATmOfItsApplication() {
        RegisterRMRequest rm = new RegisterRMRequest("2.5.0", "orders", "tx-group", null, "res-1");
        assertTrue(auth.rm(rm, true).accepted());
        RegistrationAuthenticator.Verdict alone = auth.rm(rm, false);
        assertFalse(alone.accepted());
        assertTrue(alone.refusal().contains("registered TM of application 'orders'"), alone.refusal());
        // An RM that does sign is checked like a TM, TM or not.
        RegisterRMRequest signed = new RegisterRMRequest("2.5.0", "orders", "tx-group",
                extraData("order-ak", SECRET, "tx-group", "10.1.2.4", NOW), "res-1");
        assertTrue(auth.rm(signed, false).accepted());
        RegisterRMRequest badlySigned = new RegisterRMRequest("2.5.0", "orders", "tx-group",
                extraData("order-ak", "wrong-secret-value", "tx-group", "10.1.2.4", NOW), "res-1");
        assertFalse(auth.rm(badlySigned, true).accepted());
    }

    @Test
    void withAuthOffEverythingIsAccepted() {
        RegistrationAuthenticator off = new RegistrationAuthenticator(ClientAuth.off(), Clock.systemUTC());
        assertTrue(off.tm(tm("anyone", null)).accepted());
        assertTrue(off.rm(new RegisterRMRequest("2.5.0", "anyone", "g", null, "r"), false).accepted());
    }

    private void assertRefused(RegisterTMRequest r, String expected) {
        RegistrationAuthenticator.Verdict v = auth.tm(r);
        assertFalse(v.accepted(), "accepted: " + r);
        assertTrue(v.refusal().contains(expected), "'" + v.refusal() + "' lacks '" + expected + "'");
    }
}
