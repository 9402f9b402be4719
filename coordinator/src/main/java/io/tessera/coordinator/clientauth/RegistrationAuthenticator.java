package io.tessera.coordinator.clientauth;

import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a registration may proceed when client authentication is on.
 *
 * <p><b>RegisterTM</b> carries Seata's signature in {@code extraData} ({@code ak}, {@code digest},
 * {@code timestamp}, {@code authVersion}, {@code vgroup}, {@code ip}, one {@code key=value} per line).
 * Accepted when the access key is known, belongs to the registering application, the timestamp is
 * within {@link #WINDOW} of this node's clock, the digest matches ({@link SeataSignature}) and this node
 * has not seen the same digest before (replay).
 *
 * <p><b>RegisterRM</b> is not signed by seata-all (its {@code extraData} is empty in 2.2.0 and 2.5.0).
 * An RM that does send a signature is checked like a TM; an unsigned RM is accepted only from an address
 * that holds a registered (so authenticated) TM connection of the same application on this node —
 * which is how seata-all runs: TM and RM in one process, the TM connecting first.
 */
public final class RegistrationAuthenticator {
    /** How far a signature's timestamp may be from this node's clock, either way. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int REPLAY_CAPACITY = 100_000;

    /** {@code accepted} with the access key used (null when auth is off or an unsigned RM), or the refusal. */
    public record Verdict(boolean accepted, String accessKey, String refusal) {
        static Verdict accept(String accessKey) {
            return new Verdict(true, accessKey, null);
        }

        static Verdict refuse(String why) {
            return new Verdict(false, null, why);
        }
    }

    private final ClientAuth auth;
    private final Clock clock;
    private final ReplayGuard replays = new ReplayGuard(REPLAY_CAPACITY);

    public RegistrationAuthenticator(ClientAuth auth, Clock clock) {
        this.auth = auth;
        this.clock = clock;
    }

    public boolean enabled() {
        return auth.enabled();
    }

    public Verdict tm(RegisterTMRequest r) {
        if (!auth.enabled()) {
            return Verdict.accept(null);
        }
        return signed(r.applicationId(), r.transactionServiceGroup(), r.extraData());
    }

    /** @param tmOfApplicationOnPeer this node holds a TM connection of {@code r.applicationId()} from the RM's address */
    public Verdict rm(RegisterRMRequest r, boolean tmOfApplicationOnPeer) {
        if (!auth.enabled()) {
            return Verdict.accept(null);
        }
        if (r.extraData() != null && r.extraData().contains("digest=")) {
            return signed(r.applicationId(), r.transactionServiceGroup(), r.extraData());
        }
        if (tmOfApplicationOnPeer) {
            return Verdict.accept(null);
        }
        return Verdict.refuse("client authentication is on and this RegisterRM is unsigned (seata-all does not"
                + " sign RM registrations): it is accepted only from an address with a registered TM of application '"
                + r.applicationId() + "' on this node");
    }

    private Verdict signed(String applicationId, String group, String extraData) {
        Map<String, String> fields = fields(extraData);
        String ak = fields.get("ak");
        if (ak == null || ak.isEmpty() || ak.equals("null")) {
            return Verdict.refuse("client authentication is on: registration without an access key (set the"
                    + " client's seata.accesskey / seata.secretkey)");
        }
        Optional<ClientKeys.Key> key = auth.keys().key(ak);
        if (key.isEmpty()) {
            return Verdict.refuse("unknown access key '" + ak + "'");
        }
        if (!key.get().applicationId().equals(applicationId)) {
            return Verdict.refuse("access key '" + ak + "' is not valid for application '" + applicationId + "'");
        }
        if (!SeataSignature.VERSION.equals(fields.get("authVersion"))) {
            return Verdict.refuse("unsupported authVersion '" + fields.get("authVersion") + "' (only "
                    + SeataSignature.VERSION + ")");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(fields.getOrDefault("timestamp", ""));
        } catch (NumberFormatException e) {
            return Verdict.refuse("registration signature without a valid timestamp");
        }
        long now = clock.millis();
        if (Math.abs(now - timestamp) > WINDOW.toMillis()) {
            return Verdict.refuse("signature timestamp " + timestamp + " is more than " + WINDOW.toSeconds()
                    + " s from the coordinator's clock " + now + " (replay protection; check the clocks)");
        }
        String vgroup = fields.get("vgroup");
        if (vgroup != null && !vgroup.equals(group)) {
            return Verdict.refuse("signed vgroup '" + vgroup + "' differs from the registered group '" + group + "'");
        }
        // The client signs its own idea of its address (NetUtil.getLocalIp), not what we see: behind NAT
        // the two differ, so the signed ip is taken from the request and only the HMAC is checked.
        String ip = fields.getOrDefault("ip", "127.0.0.1");
        String expected = SeataSignature.digest(group, ip, timestamp, key.get().secretKey());
        String digest = fields.getOrDefault("digest", "");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), digest.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.refuse("signature of access key '" + ak + "' does not verify (wrong secret key?)");
        }
        return switch (replays.use(digest, timestamp + WINDOW.toMillis(), now)) {
            case FIRST_USE -> Verdict.accept(ak);
            case REPLAYED -> Verdict.refuse("this registration signature was already used (replay)");
            case FULL -> Verdict.refuse("too many signed registrations within " + WINDOW.toSeconds() + " s; retry later");
        };
    }

    /** extraData: {@code key=value} per line; the first '=' splits. Later duplicates are ignored. */
    static Map<String, String> fields(String extraData) {
        Map<String, String> out = new HashMap<>();
        if (extraData == null) {
            return out;
        }
        for (String line : extraData.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
