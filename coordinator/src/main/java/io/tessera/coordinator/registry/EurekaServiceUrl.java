package io.tessera.coordinator.registry;

import io.tessera.coordinator.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One Eureka service URL ({@code http[s]://[user:password@]host:port/eureka/}, as in Eureka's
 * {@code serviceUrl.defaultZone}). Basic-auth credentials written into the URL are taken out of it: they
 * travel as an Authorization header and never appear in {@link #toString()} (which the logs print).
 */
final class EurekaServiceUrl {
    private final URI base;
    private final String authorization;

    private EurekaServiceUrl(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A comma list of URLs, tried in order (the next one when a server does not answer). */
    static List<EurekaServiceUrl> parseList(String key, String value) {
        List<EurekaServiceUrl> out = new ArrayList<>();
        for (String item : value == null ? new String[0] : value.split(",")) {
            if (!item.isBlank()) {
                out.add(parse(key, item.trim()));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + " is empty");
        }
        return List.copyOf(out);
    }

    static EurekaServiceUrl parse(String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            // The text may hold a password: say only what is wrong with it.
            throw new ConfigException(key + ": an entry is not an http(s)://host[:port]/path URL");
        }
        String authorization = null;
        if (uri.getRawUserInfo() != null) {
            authorization = "Basic " + Base64.getEncoder().encodeToString(
                    uri.getUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        try {
            URI base = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
                    .resolve(path);
            return new EurekaServiceUrl(base, authorization);
        } catch (URISyntaxException e) {
            throw new ConfigException(key + ": an entry is not an http(s)://host[:port]/path URL");
        }
    }

    /** {@code relative} (e.g. {@code apps/DEFAULT}) under the service URL's path. */
    URI resolve(String relative) {
        return base.resolve(relative);
    }

    Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** The URL without credentials. */
    @Override
    public String toString() {
        return base.toString();
    }
}
