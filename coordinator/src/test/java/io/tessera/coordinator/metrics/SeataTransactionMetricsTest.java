package io.tessera.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.tx.TxBegun;
import io.tessera.raft.tx.TxEvent;
import io.tessera.raft.tx.TxEvent.Kind;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Which applied event moves which Seata meter (Seata 2.5's MetricsSubscriber rules for the file/raft TC),
 * on the events the state machine raises, rendered by the real Prometheus registry.
 */
class SeataTransactionMetricsTest {
    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final AtomicLong nanos = new AtomicLong();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SeataTransactionMetrics metrics = new SeataTransactionMetrics(registry, wall::get, nanos::get);

    private void begin(String xid, String app) {
        metrics.onBegin(new TxBegun(xid, app, "g", "order-" + xid, wall.get()));
    }

    private void event(Kind kind, String xid, GlobalStatus status) {
        metrics.onEvent(new TxEvent(kind, xid, status));
    }

    private PromText scrape(boolean leader) {
        metrics.refresh(leader);
        return PromText.parse(registry.scrape());
    }

    private static double v(PromText m, String app, String meter, String statistic, String status) {
        Map<String, String> match = new HashMap<>(Map.of("applicationId", app, "group", "g", "role", "tc",
                "meter", meter, "statistic", statistic, "status", status));
        return m.value("seata_transaction", match);
    }

    @Test
    void seataRulesForCommitRetryParkAndTimeout() {
        begin("plain", "a");
        begin("async", "a");
        begin("retried", "a");
        begin("parked", "a");
        begin("timeout", "a");
        assertEquals(5, v(scrape(true), "a", "counter", "", "active"));

        wall.addAndGet(40);
        event(Kind.DECIDED, "plain", GlobalStatus.Committing);
        event(Kind.ENDED, "plain", GlobalStatus.Committed);
        // All-AT: Seata counts committed when phase two starts (asyncCommit), AfterCommitted at the end.
        event(Kind.DECIDED, "async", GlobalStatus.AsyncCommitting);
        PromText m = scrape(true);
        assertEquals(2, v(m, "a", "counter", "", "committed"));
        assertEquals(1, v(m, "a", "counter", "", "AfterCommitted"));
        assertEquals(3, v(m, "a", "counter", "", "active"));
        assertEquals(80, v(m, "a", "timer", "total", "committed"), "40 ms each, in milliseconds");
        assertEquals(40, v(m, "a", "timer", "max", "committed"));
        event(Kind.ENDED, "async", GlobalStatus.Committed);

        // A commit that had to retry: each failed round counts in CommitRetrying (with its transaction name);
        // its end counts AfterCommitted only.
        event(Kind.DECIDED, "retried", GlobalStatus.Committing);
        event(Kind.RETRYING, "retried", GlobalStatus.CommitRetrying);
        event(Kind.RETRYING, "retried", GlobalStatus.CommitRetrying);
        event(Kind.ENDED, "retried", GlobalStatus.Committed);
        // Parked at the retry timeout: 2phaseTimeout and failed, active -1 once (not again at its end).
        event(Kind.DECIDED, "parked", GlobalStatus.Rollbacking);
        event(Kind.PARKED, "parked", GlobalStatus.RollbackRetryTimeout);
        event(Kind.ENDED, "parked", GlobalStatus.RollbackRetryTimeout);
        // Timeout rollback: active -1 only.
        event(Kind.DECIDED, "timeout", GlobalStatus.TimeoutRollbacking);
        event(Kind.ENDED, "timeout", GlobalStatus.TimeoutRollbacked);

        m = scrape(true);
        assertEquals(2, v(m, "a", "counter", "", "committed"));
        assertEquals(3, v(m, "a", "counter", "", "AfterCommitted"));
        assertEquals(0, v(m, "a", "counter", "", "active"));
        assertEquals(2, m.value("seata_transaction", Map.of("status", "CommitRetrying", "statistic", "count",
                "transactionName", "order-retried")));
        assertEquals(1, v(m, "a", "summary", "count", "2phaseTimeout"));
        assertEquals(1, v(m, "a", "summary", "count", "failed"));
        assertEquals(1, v(m, "a", "timer", "count", "failed"));
        assertEquals(0, v(m, "a", "counter", "", "rollbacked"));
        assertEquals(0, v(m, "a", "summary", "count", "rollbacked"));

        assertTrue(scrape(false).samples("seata_transaction").isEmpty(), "only the leader exports the family");
    }

    @Test
    void applicationIdsAreBoundedAndUnknownTransactionsLabelledUnknown() {
        for (int i = 0; i < SeataTransactionMetrics.MAX_LABEL_VALUES + 5; i++) {
            begin("x" + i, "app-" + i);
            event(Kind.ENDED, "x" + i, GlobalStatus.Rollbacked);
        }
        event(Kind.ENDED, "begun-before-start", GlobalStatus.Committed);
        PromText m = scrape(true);
        assertEquals(5, v(m, BoundedLabel.OTHER, "counter", "", "rollbacked"));
        assertEquals(1, m.value("seata_transaction", Map.of("applicationId", "unknown", "group", "unknown",
                "meter", "counter", "status", "committed")));
        long apps = m.samples("seata_transaction").stream().map(s -> s.labels().get("applicationId")).distinct().count();
        assertEquals(SeataTransactionMetrics.MAX_LABEL_VALUES + 2, apps, "50 kept, other, unknown");
    }
}
