package io.tessera.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped alert rules (docs/prometheus) and Grafana dashboard (docs/grafana): their queries and names. */
final class MonitoringDocs {
    static final Path DOCS = Path.of("..", "docs");
    private static final Pattern NAME = Pattern.compile("\\b(tessera_[a-z0-9_]+|seata_[a-z_]+|jraft_metric)\\b");

    private MonitoringDocs() {
    }

    /** Every alert rule's expression; checks each rule has a name, a severity and a summary. */
    static List<String> alertExpressions() {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("prometheus/tessera-alerts.yml")
                    .toFile());
            List<String> out = new ArrayList<>();
            for (JsonNode group : root.get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    assertTrue(rule.hasNonNull("alert") && rule.hasNonNull("expr"), rule.toString());
                    assertTrue(rule.path("labels").hasNonNull("severity"), rule.toString());
                    assertTrue(rule.path("annotations").hasNonNull("summary"), rule.toString());
                    out.add(rule.get("expr").asText());
                }
            }
            assertFalse(out.isEmpty());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> dashboardExpressions() {
        try {
            JsonNode root = new ObjectMapper().readTree(DOCS.resolve("grafana/tessera-dashboard.json").toFile());
            List<String> out = new ArrayList<>();
            for (JsonNode panel : root.get("panels")) {
                for (JsonNode t : panel.path("targets")) {
                    out.add(t.get("expr").asText());
                }
            }
            assertFalse(out.isEmpty());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sample names the alerts and the dashboard query (histogram suffixes included). */
    static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        List<String> exprs = new ArrayList<>(alertExpressions());
        exprs.addAll(dashboardExpressions());
        for (String e : exprs) {
            Matcher m = NAME.matcher(e);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
