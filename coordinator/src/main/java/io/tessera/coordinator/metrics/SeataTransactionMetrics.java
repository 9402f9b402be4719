package io.tessera.coordinator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.tx.TxBeginListener;
import io.tessera.raft.tx.TxBegun;
import io.tessera.raft.tx.TxEvent;
import io.tessera.raft.tx.TxEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Seata's {@code seata_transaction} family (names, tags and status strings of Seata 2.5's
 * {@code MeterIdConstants} / {@code MetricsSubscriber}), counted from what this replica applies: begins
 * and the state machine's events. Which event moves which meter follows Seata's file/raft-mode TC:
 * <ul>
 * <li>begin: counter {@code active} +1;</li>
 * <li>commit decided as AsyncCommitting (all AT): {@code committed} at once, as Seata counts it at
 * phase-two start;</li>
 * <li>ended Committed: {@code committed} unless counted already or phase two had to retry, then
 * {@code AfterCommitted}; Rollbacked likewise with {@code rollbacked}/{@code AfterRollbacked};
 * TimeoutRollbacked: only {@code active} -1;</li>
 * <li>CommitFailed/RollbackFailed: {@code failed}; TimeoutRollbackFailed and a parked global
 * (Commit/RollbackRetryTimeout): {@code 2phaseTimeout} and {@code failed};</li>
 * <li>every failed phase-two round: the summary of its retrying status, with {@code transactionName}.</li>
 * </ul>
 * Counters, summaries and timers are cumulative (Seata resets summaries and timers on each scrape; see
 * {@link WindowedStat}). Timers are in milliseconds, end time minus the leader's begin time.
 *
 * <p>Every replica counts (so a new leader carries on with the same figures); only the leader exports
 * the family, so {@code sum()} over the cluster's targets counts each transaction once, as over Seata's
 * TCs. Labels are bounded: at most {@value #MAX_LABEL_VALUES} applicationIds, groups and transaction
 * names each, later ones are {@code other}. Transactions begun before this replica started are
 * labelled {@code unknown}.
 *
 * <p>Apply-thread cost per event: a map lookup and a few adds.
 */
public final class SeataTransactionMetrics implements TxBeginListener, TxEventListener {
    static final int MAX_LABEL_VALUES = 50;
    /** Live transactions remembered for their labels; beyond it new ones count as unknown. */
    static final int MAX_TRACKED = 200_000;
    static final String UNKNOWN = "unknown";

    private static final List<String> COUNTER = List.of("committed", "rollbacked", "AfterCommitted",
            "AfterRollbacked");
    private static final List<String> TIMER = List.of("committed", "rollbacked", "failed", "AfterCommitted",
            "AfterRollbacked");

    private record Labels(String applicationId, String group) {
    }

    private record Series(String status, Labels labels, String transactionName) {
    }

    /** What is remembered of a live transaction; fields written on the apply thread only. */
    private static final class Tx {
        final Labels labels;
        final String name;
        final long beginTime;
        volatile long decidedAtMillis;
        boolean retried;
        boolean committedCounted;
        boolean activeClosed;
        final boolean tracked;

        Tx(Labels labels, String name, long beginTime, boolean tracked) {
            this.labels = labels;
            this.name = name;
            this.beginTime = beginTime;
            this.tracked = tracked;
        }
    }

    private final BoundedLabel applicationIds = new BoundedLabel(MAX_LABEL_VALUES);
    private final BoundedLabel groups = new BoundedLabel(MAX_LABEL_VALUES);
    private final BoundedLabel names = new BoundedLabel(MAX_LABEL_VALUES);
    private final Map<String, Tx> live = new ConcurrentHashMap<>();
    private final Map<Series, WindowedStat> stats = new ConcurrentHashMap<>();
    private final Map<Labels, AtomicLong> active = new ConcurrentHashMap<>();
    private final LongSupplier wallClock;
    private final LongSupplier nanoClock;
    private final MultiGauge family;
    private final java.util.concurrent.atomic.LongAdder retries = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder decisions = new java.util.concurrent.atomic.LongAdder();

    public SeataTransactionMetrics(MeterRegistry registry, LongSupplier wallClock, LongSupplier nanoClock) {
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.family = MultiGauge.builder("seata.transaction")
                .description("Seata-compatible transaction meters (role=tc), exported by the leader")
                .register(registry);
    }

    @Override
    public void onBegin(TxBegun b) {
        Labels labels = new Labels(applicationIds.of(b.applicationId()), groups.of(b.transactionServiceGroup()));
        // Beyond the bound a transaction is neither remembered nor counted active (its end could not
        // take it back out); it is counted under unknown labels when it ends.
        if (live.size() < MAX_TRACKED) {
            live.put(b.xid(), new Tx(labels, b.name(), b.beginTime(), true));
            active.computeIfAbsent(labels, k -> new AtomicLong()).incrementAndGet();
        }
    }

    @Override
    public void onEvent(TxEvent e) {
        Tx tx = e.kind() == TxEvent.Kind.ENDED ? live.remove(e.xid()) : live.get(e.xid());
        if (tx == null) {
            tx = new Tx(new Labels(UNKNOWN, UNKNOWN), UNKNOWN, -1, false);
            if (e.kind() != TxEvent.Kind.ENDED && live.size() < MAX_TRACKED) {
                live.put(e.xid(), tx);
            }
        }
        GlobalStatus s = e.status();
        switch (e.kind()) {
            case DECIDED -> {
                decisions.increment();
                tx.decidedAtMillis = wallClock.getAsLong();
                if (s == GlobalStatus.AsyncCommitting) {
                    record("committed", tx);
                    tx.committedCounted = true;
                    closeActive(tx);
                }
            }
            case RETRYING -> {
                retries.increment();
                tx.retried = true;
                if (s == GlobalStatus.CommitRetrying || s == GlobalStatus.RollbackRetrying
                        || s == GlobalStatus.TimeoutRollbackRetrying) {
                    stat(new Series(s.name(), tx.labels, names.of(tx.name))).record(-1);
                }
            }
            case PARKED -> {
                // Parked: no leader drives it any more, so it no longer counts as pending phase two.
                tx.decidedAtMillis = 0;
                if (!tx.activeClosed) {
                    closeActive(tx);
                    record("2phaseTimeout", tx);
                    record("failed", tx);
                }
            }
            case ENDED -> ended(tx, s);
        }
    }

    private void ended(Tx tx, GlobalStatus s) {
        switch (s) {
            case Committed -> {
                if (!tx.committedCounted && !tx.retried) {
                    record("committed", tx);
                }
                record("AfterCommitted", tx);
            }
            case Rollbacked -> {
                if (!tx.retried) {
                    record("rollbacked", tx);
                }
                record("AfterRollbacked", tx);
            }
            case CommitFailed, RollbackFailed -> record("failed", tx);
            case TimeoutRollbackFailed, CommitRetryTimeout, RollbackRetryTimeout -> {
                if (!tx.activeClosed) {
                    record("2phaseTimeout", tx);
                    record("failed", tx);
                }
            }
            default -> {
                // TimeoutRollbacked and the rest: only active moves (Seata's processGlobalStatusTimeoutRollbacked).
            }
        }
        closeActive(tx);
    }

    private void closeActive(Tx tx) {
        if (!tx.activeClosed && tx.tracked) {
            AtomicLong a = active.get(tx.labels);
            if (a != null) {
                a.decrementAndGet();
            }
        }
        tx.activeClosed = true;
    }

    private void record(String status, Tx tx) {
        long millis = tx.beginTime > 0 ? Math.max(0, wallClock.getAsLong() - tx.beginTime) : -1;
        stat(new Series(status, tx.labels, "")).record(millis);
    }

    private WindowedStat stat(Series series) {
        WindowedStat s = stats.get(series);
        return s != null ? s : stats.computeIfAbsent(series, k -> new WindowedStat(nanoClock.getAsLong()));
    }

    long retries() {
        return retries.sum();
    }

    long decisions() {
        return decisions.sum();
    }

    /**
     * Global transactions decided and not ended on this replica (phase two pending), and the wall time
     * of the oldest decision among them (0: none). For the pending gauges; iterates the live map.
     */
    long[] pending() {
        long count = 0;
        long oldest = 0;
        for (Tx tx : live.values()) {
            long d = tx.decidedAtMillis;
            if (d > 0) {
                count++;
                oldest = oldest == 0 ? d : Math.min(oldest, d);
            }
        }
        return new long[] {count, oldest};
    }

    /** Publishes the family's rows (the leader) or none (any other member). Called on scrape. */
    synchronized void refresh(boolean export) {
        if (!export) {
            family.register(List.of(), true);
            return;
        }
        long now = nanoClock.getAsLong();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        active.forEach((labels, value) -> rows.add(row("counter", "", "active", labels, "", value::get)));
        stats.forEach((series, st) -> {
            st.roll(now);
            String status = series.status();
            Labels l = series.labels();
            String tn = series.transactionName();
            if (COUNTER.contains(status)) {
                rows.add(row("counter", "", status, l, tn, st::count));
            }
            rows.add(row("summary", "count", status, l, tn, st::count));
            rows.add(row("summary", "total", status, l, tn, st::count));
            rows.add(row("summary", "tps", status, l, tn, st::tps));
            if (TIMER.contains(status)) {
                rows.add(row("timer", "count", status, l, tn, st::count));
                rows.add(row("timer", "total", status, l, tn, st::totalMillis));
                rows.add(row("timer", "max", status, l, tn, st::max));
                rows.add(row("timer", "average", status, l, tn, st::average));
            }
        });
        // Rows keep their supplier: values are read at scrape; only new or vanished rows touch the registry.
        family.register(rows, false);
    }

    private static MultiGauge.Row<?> row(String meter, String statistic, String status, Labels l, String txName,
            java.util.function.Supplier<Number> value) {
        // Seata's tag keys; statistic and transactionName are empty where Seata has no such tag (Prometheus
        // treats an empty label as an absent one), so every series of the family has the same keys.
        return MultiGauge.Row.of(Tags.of("role", "tc", "meter", meter, "statistic", statistic, "status", status,
                "applicationId", l.applicationId(), "group", l.group(), "transactionName", txName), value);
    }
}
