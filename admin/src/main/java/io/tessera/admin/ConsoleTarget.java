package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where and as whom the {@code tx}, {@code locks} and {@code cluster} commands call the console API, and
 * how they print: tables for people, {@code --json} for scripts (the API's answer as it came).
 */
final class ConsoleTarget {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--cluster", split = ",", required = true, paramLabel = "HOST:PORT",
            description = "control addresses of any cluster members (comma separated)")
    List<String> cluster;

    @Mixin
    AdminLogin login;

    @Option(names = "--json", description = "print the API's JSON answer instead of a table")
    boolean json;

    ClusterClient client() {
        return new ClusterClient(cluster, login.username(), login.password(), Duration.ofSeconds(30));
    }

    /** {@code path?name=value&...}, skipping null values (pairs: name, value, name, value, ...). */
    static String query(String path, Object... pairs) {
        StringJoiner q = new StringJoiner("&", path + "?", "");
        q.setEmptyValue(path);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.add(pairs[i] + "=" + URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    /** Prints the answer as JSON when asked; true when it did (the caller then prints no table). */
    boolean printedJson(PrintWriter out, JsonNode answer) {
        if (!json) {
            return false;
        }
        try {
            out.println(PRETTY.writeValueAsString(answer));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.println(answer);
        }
        return true;
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
