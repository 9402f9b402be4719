package io.tessera.coordinator.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Exports jraft's own Dropwizard registry (NodeOptions.enableMetrics: replicator log lags and next
 * indexes per peer, append/replicate/apply timers, batch sizes, thread pools) as one Micrometer family,
 * {@code jraft_metric{name="<jraft's name>",stat="value|count|mean|p99|max|m1_rate"}}. One family with the
 * name as a label, because jraft's names carry endpoints and punctuation that do not make metric names.
 * Timer statistics are in milliseconds. Cardinality is jraft's: a fixed set plus a few per peer.
 */
final class JraftMetricsBridge {
    private final Supplier<Optional<MetricRegistry>> source;
    private final MultiGauge family;

    JraftMetricsBridge(MeterRegistry registry, Supplier<Optional<MetricRegistry>> source) {
        this.source = source;
        this.family = MultiGauge.builder("jraft.metric")
                .description("jraft's own metrics (Dropwizard registry), by jraft's name and statistic")
                .register(registry);
    }

    /** Re-reads jraft's metric names (peers come and go); values are read at scrape. */
    synchronized void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        source.get().ifPresent(reg -> reg.getMetrics().forEach((name, metric) -> add(rows, name, metric)));
        family.register(rows, false);
    }

    private static void add(List<MultiGauge.Row<?>> rows, String name, Metric metric) {
        if (metric instanceof Gauge<?> g) {
            rows.add(row(name, "value", () -> g.getValue() instanceof Number n ? n : Double.NaN));
        } else if (metric instanceof Counter c) {
            rows.add(row(name, "count", c::getCount));
        } else if (metric instanceof Timer t) {
            double toMs = 1.0 / TimeUnit.MILLISECONDS.toNanos(1);
            rows.add(row(name, "count", t::getCount));
            rows.add(row(name, "mean", () -> t.getSnapshot().getMean() * toMs));
            rows.add(row(name, "p99", () -> t.getSnapshot().get99thPercentile() * toMs));
            rows.add(row(name, "max", () -> t.getSnapshot().getMax() * toMs));
            rows.add(row(name, "m1_rate", t::getOneMinuteRate));
        } else if (metric instanceof Histogram h) {
            rows.add(row(name, "count", h::getCount));
            rows.add(row(name, "mean", () -> h.getSnapshot().getMean()));
            rows.add(row(name, "p99", () -> h.getSnapshot().get99thPercentile()));
            rows.add(row(name, "max", () -> h.getSnapshot().getMax()));
        } else if (metric instanceof Meter m) {
            rows.add(row(name, "count", m::getCount));
            rows.add(row(name, "m1_rate", m::getOneMinuteRate));
        }
    }

    private static MultiGauge.Row<?> row(String name, String stat, Supplier<Number> value) {
        return MultiGauge.Row.of(Tags.of("name", name, "stat", stat), value);
    }
}
