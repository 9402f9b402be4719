package io.tessera.coordinator.clientauth;

import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The access keys Seata clients sign their registration with, read from
 * {@code client-auth.keys-file}. Format (UTF-8, one entry per line, {@code #} starts a comment line):
 *
 * <pre>
 * # access key = application id : secret key
 * order-ak = order-service:6Vb1qkqH0yR7o2cTzX4s
 * stock-ak = stock-service:Jm2pQw9sLx0c3VbN8rTe
 * # applications that register branches in, and ask the status of, each other's transactions
 * domain.shop = order-service, stock-service
 * </pre>
 *
 * An application may have several keys (rotation). An application in no {@code domain.} line is a
 * domain of its own. Every mistake is reported, one per line number, in a single {@link ConfigException};
 * secret keys never appear in messages.
 */
public final class ClientKeys {
    /** Shortest secret key accepted: Seata's HMAC makes a short secret guessable offline from one capture. */
    public static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final String DOMAIN_PREFIX = "domain.";

    /** One access key; {@link #toString()} hides the secret. */
    public record Key(String accessKey, String applicationId, String secretKey) {
        @Override
        public String toString() {
            return "Key[" + accessKey + " -> " + applicationId + ", ****]";
        }
    }

    private final Map<String, Key> byAccessKey;
    private final Map<String, String> domainOfApplication;

    private ClientKeys(Map<String, Key> byAccessKey, Map<String, String> domainOfApplication) {
        this.byAccessKey = Map.copyOf(byAccessKey);
        this.domainOfApplication = Map.copyOf(domainOfApplication);
    }

    public static ClientKeys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(NodeConfigLoader.CLIENT_AUTH_KEYS_FILE + " " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
        return parse(lines, NodeConfigLoader.CLIENT_AUTH_KEYS_FILE + " " + file);
    }

    /** @param source named in the error message (key and file) */
    public static ClientKeys parse(List<String> lines, String source) {
        List<String> mistakes = new ArrayList<>();
        Map<String, Key> keys = new HashMap<>();
        Map<String, List<String>> domains = new HashMap<>();
        Map<String, Integer> domainLines = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                mistakes.add("line " + n + ": expected '<access key> = <application id>:<secret key>' or"
                        + " 'domain.<name> = <application id>, ...'");
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (name.startsWith(DOMAIN_PREFIX)) {
                String domain = name.substring(DOMAIN_PREFIX.length());
                if (domain.isEmpty()) {
                    mistakes.add("line " + n + ": 'domain.' needs a name");
                } else if (domains.containsKey(domain)) {
                    mistakes.add("line " + n + ": domain '" + domain + "' is already defined on line "
                            + domainLines.get(domain));
                } else {
                    domains.put(domain, splitApplications(value));
                    domainLines.put(domain, n);
                    if (domains.get(domain).isEmpty()) {
                        mistakes.add("line " + n + ": domain '" + domain + "' lists no application");
                    }
                }
                continue;
            }
            keyLine(n, name, value, keys, mistakes);
        }
        Map<String, String> domainOf = domainMembership(domains, domainLines, keys, mistakes);
        if (keys.isEmpty() && mistakes.isEmpty()) {
            mistakes.add("no access key is defined, so every client would be refused");
        }
        if (!mistakes.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", mistakes));
        }
        return new ClientKeys(keys, domainOf);
    }

    private static void keyLine(int n, String accessKey, String value, Map<String, Key> keys, List<String> mistakes) {
        if (!ACCESS_KEY.matcher(accessKey).matches()) {
            mistakes.add("line " + n + ": access key '" + accessKey + "' must be 1-128 characters of"
                    + " A-Z a-z 0-9 . _ @ -");
            return;
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            mistakes.add("line " + n + ": access key '" + accessKey + "' needs '<application id>:<secret key>'");
            return;
        }
        String app = value.substring(0, colon).strip();
        String secret = value.substring(colon + 1).strip();
        if (app.isEmpty() || app.chars().anyMatch(Character::isWhitespace)) {
            mistakes.add("line " + n + ": access key '" + accessKey + "' needs an application id without spaces");
        } else if (secret.length() < MIN_SECRET_LENGTH) {
            mistakes.add("line " + n + ": the secret key of '" + accessKey + "' must have at least "
                    + MIN_SECRET_LENGTH + " characters");
        } else if (secret.chars().anyMatch(Character::isWhitespace)) {
            mistakes.add("line " + n + ": the secret key of '" + accessKey + "' must not contain spaces");
        } else if (keys.containsKey(accessKey)) {
            mistakes.add("line " + n + ": access key '" + accessKey + "' is defined twice");
        } else {
            keys.put(accessKey, new Key(accessKey, app, secret));
        }
    }

    private static Map<String, String> domainMembership(Map<String, List<String>> domains,
            Map<String, Integer> domainLines, Map<String, Key> keys, List<String> mistakes) {
        Set<String> applications = new LinkedHashSet<>();
        keys.values().forEach(k -> applications.add(k.applicationId()));
        Map<String, String> domainOf = new HashMap<>();
        domains.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(d -> {
            for (String app : d.getValue()) {
                String previous = domainOf.putIfAbsent(app, d.getKey());
                if (previous != null && !previous.equals(d.getKey())) {
                    mistakes.add("line " + domainLines.get(d.getKey()) + ": application '" + app
                            + "' is already in domain '" + previous + "' (an application belongs to one domain)");
                } else if (!applications.contains(app)) {
                    mistakes.add("line " + domainLines.get(d.getKey()) + ": domain '" + d.getKey()
                            + "' names application '" + app + "', which no access key belongs to");
                }
            }
        });
        return domainOf;
    }

    private static List<String> splitApplications(String value) {
        List<String> apps = new ArrayList<>();
        for (String part : value.split(",")) {
            String app = part.strip();
            if (!app.isEmpty()) {
                apps.add(app);
            }
        }
        return apps;
    }

    public Optional<Key> key(String accessKey) {
        return Optional.ofNullable(accessKey == null ? null : byAccessKey.get(accessKey));
    }

    /** The domain an application's transactions are shared in: its {@code domain.} line, else itself. */
    public String domainOf(String applicationId) {
        String domain = domainOfApplication.get(applicationId);
        return domain != null ? "domain " + domain : "application " + applicationId;
    }

    public int size() {
        return byAccessKey.size();
    }

    @Override
    public String toString() {
        return "ClientKeys[" + byAccessKey.size() + " access keys, " + Set.copyOf(domainOfApplication.values()).size()
                + " domains]";
    }
}
