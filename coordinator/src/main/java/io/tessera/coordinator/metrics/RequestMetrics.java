package io.tessera.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.TransactionResponse;
import io.tessera.coordinator.transport.RequestObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Transaction-port requests: latency histogram {@code tessera_request_seconds} per request type and answer
 * (Success, the Failed answer's exception code, or withheld), lock conflicts, and Seata's
 * {@code seata_exception} family (role=tc, meter=summary, the exception's class name in applicationId, as
 * Seata's MetricsSubscriber tags it). Seata feeds seata_exception from error log lines when its metric
 * appender is on; here it counts the exceptions requests failed with. Both label sets are bounded: request
 * types and answers are enums, exception classes at most {@value #MAX_EXCEPTION_CLASSES}.
 *
 * <p>Per request: one map lookup and one timer record (fixed buckets, no locks).
 */
public final class RequestMetrics implements RequestObserver {
    static final int MAX_EXCEPTION_CLASSES = 30;
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private record Key(String type, String answer) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Counter lockConflicts;
    private final BoundedLabel exceptionClasses = new BoundedLabel(MAX_EXCEPTION_CLASSES);
    private final Map<String, WindowedStat> exceptions = new ConcurrentHashMap<>();
    private final MultiGauge exceptionFamily;
    private final LongSupplier nanoClock;
    private final java.util.concurrent.atomic.LongAdder failedRecords = new java.util.concurrent.atomic.LongAdder();

    public RequestMetrics(MeterRegistry registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.nanoClock = nanoClock;
        this.lockConflicts = Counter.builder("tessera.lock.conflicts")
                .description("Branch registrations refused because another transaction holds a row lock")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tessera.metrics.record.failures", failedRecords,
                java.util.concurrent.atomic.LongAdder::sum)
                .description("Request measurements the metrics library refused (should stay 0)").register(registry);
        this.exceptionFamily = MultiGauge.builder("seata.exception")
                .description("Seata-compatible: requests that failed with an exception, by class (applicationId)")
                .register(registry);
    }

    @Override
    public void answered(Request request, Response answer, long nanos) {
        try {
            record(request, answer, nanos);
        } catch (RuntimeException e) {
            // Monitoring never costs a client its answer (this runs inside the answer's future).
            failedRecords.increment();
        }
    }

    private void record(Request request, Response answer, long nanos) {
        String answerLabel = answer(answer);
        Key key = new Key(type(request), answerLabel);
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, k -> Timer.builder("tessera.request")
                    .description("Transaction-port requests from receipt to answer, by request type and answer")
                    .tags("type", k.type(), "answer", k.answer())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
        if (request instanceof BranchRegisterRequest && (answerLabel.equals("LockKeyConflict")
                || answerLabel.equals("LockKeyConflictFailFast"))) {
            lockConflicts.increment();
        }
    }

    @Override
    public void failedWith(Throwable error) {
        try {
            countException(error);
        } catch (RuntimeException e) {
            failedRecords.increment();
        }
    }

    private void countException(Throwable error) {
        String cls = exceptionClasses.of(error.getClass().getName());
        WindowedStat s = exceptions.get(cls);
        if (s == null) {
            s = exceptions.computeIfAbsent(cls, k -> new WindowedStat(nanoClock.getAsLong()));
        }
        s.record(-1);
    }

    /** Publishes seata_exception's rows (every member: exceptions are node-local). Called on scrape. */
    synchronized void refresh() {
        long now = nanoClock.getAsLong();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        exceptions.forEach((cls, st) -> {
            st.roll(now);
            rows.add(row(cls, "count", st::count));
            rows.add(row(cls, "total", st::count));
            rows.add(row(cls, "tps", st::tps));
        });
        exceptionFamily.register(rows, false);
    }

    private static MultiGauge.Row<?> row(String cls, String statistic, java.util.function.Supplier<Number> v) {
        return MultiGauge.Row.of(Tags.of("role", "tc", "meter", "summary", "statistic", statistic,
                "applicationId", cls), v);
    }

    static String type(Request request) {
        if (request instanceof GlobalEndRequest g) {
            return switch (g.kind()) {
                case COMMIT -> "GlobalCommit";
                case ROLLBACK -> "GlobalRollback";
                default -> "Global" + enumName(g.kind());
            };
        }
        String n = request.getClass().getSimpleName();
        return n.endsWith("Request") ? n.substring(0, n.length() - "Request".length()) : n;
    }

    private static String enumName(Enum<?> e) {
        String n = e.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : n.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    static String answer(Response answer) {
        if (answer == null) {
            return "withheld";
        }
        if (answer.resultCode() == ResultCode.Success) {
            return "Success";
        }
        if (answer instanceof TransactionResponse t && t.exceptionCode() != null
                && t.exceptionCode() != TransactionExceptionCode.Unknown) {
            return t.exceptionCode().name();
        }
        return "Failed";
    }
}
