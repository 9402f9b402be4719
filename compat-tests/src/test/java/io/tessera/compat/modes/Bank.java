package io.tessera.compat.modes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.datasource.DataSourceProxy;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * Money transfers between two databases of one server in AT mode, through Seata's own DataSourceProxy:
 * each transfer is one global transaction with one local transaction per database (a debit on one side,
 * a credit on the other, each leg also inserting a row into {@code transfers}). A few hot accounts make
 * concurrent transfers meet on the same rows, i.e. on the same global locks. The checks read the
 * databases directly (not through the proxies).
 */
final class Bank {
    static final int ACCOUNTS = 6;
    static final long INITIAL = 1_000;
    static final int TX_TIMEOUT_MS = 15_000;

    enum Outcome { COMMITTED, ROLLED_BACK, UNKNOWN }

    /** One transfer as the client saw it; {@code from} is in database {@code fromDb} (0 = A, 1 = B). */
    record Transfer(String id, String xid, int fromDb, int from, int to, long amount, boolean intendedRollback,
            Outcome outcome, String error) {
    }

    private final DataSource[] raw = new DataSource[2];
    private final DataSourceProxy[] proxy = new DataSourceProxy[2];

    /** Creates {@code bank_a} and {@code bank_b} with accounts, transfers and Seata's undo_log table. */
    Bank(Database db) throws Exception {
        String[] names = {"bank_a", "bank_b"};
        for (int d = 0; d < 2; d++) {
            raw[d] = db.create(names[d]);
            Sql.execute(raw[d], "CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                    "CREATE TABLE transfers (id VARCHAR(64) PRIMARY KEY, xid VARCHAR(128) NOT NULL,"
                            + " account_id INT NOT NULL, amount BIGINT NOT NULL)");
            Sql.script(raw[d], "/modes/undo_log-" + db.dialect() + ".sql");
            for (int a = 1; a <= ACCOUNTS; a++) {
                Sql.execute(raw[d], "INSERT INTO accounts (id, balance) VALUES (" + a + ", " + INITIAL + ")");
            }
            // Seata's AT proxy: registers the database as an AT resource with the RM client.
            proxy[d] = new DataSourceProxy(raw[d]);
        }
    }

    String resourceId(int d) {
        return proxy[d].getResourceId();
    }

    /** Mostly accounts 1 and 2 (hot: global-lock contention), sometimes any. */
    static int pickAccount(Random r) {
        return r.nextInt(10) < 7 ? 1 + r.nextInt(2) : 1 + r.nextInt(ACCOUNTS);
    }

    /** One transfer in its own global transaction; never throws, the outcome says what the client saw. */
    Transfer transfer(String id, Random r) {
        int fromDb = r.nextInt(2);
        int from = pickAccount(r);
        int to = pickAccount(r);
        long amount = 1 + r.nextInt(50);
        boolean intendedRollback = r.nextInt(5) == 0;
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        String xid = null;
        try {
            tx.begin(TX_TIMEOUT_MS, "transfer");
            xid = tx.getXid();
            leg(proxy[fromDb], id + "-debit", xid, from, -amount);
            leg(proxy[1 - fromDb], id + "-credit", xid, to, amount);
            if (intendedRollback) {
                tx.rollback();
                return done(id, xid, fromDb, from, to, amount, true, tx.getLocalStatus(), null);
            }
            tx.commit();
            return done(id, xid, fromDb, from, to, amount, false, tx.getLocalStatus(), null);
        } catch (Exception e) {
            // A leg failed (typically a global lock conflict after the AT client's lock retries), or an
            // answer was lost: the application rolls back, as Seata's TransactionalTemplate does.
            String error = e.toString();
            if (xid == null) {
                return new Transfer(id, null, fromDb, from, to, amount, intendedRollback, Outcome.ROLLED_BACK, error);
            }
            try {
                tx.rollback();
                return done(id, xid, fromDb, from, to, amount, intendedRollback, tx.getLocalStatus(), error);
            } catch (Exception rollbackFailure) {
                return new Transfer(id, xid, fromDb, from, to, amount, intendedRollback, Outcome.UNKNOWN,
                        error + " / rollback: " + rollbackFailure);
            }
        } finally {
            RootContext.unbind();
        }
    }

    private static Transfer done(String id, String xid, int fromDb, int from, int to, long amount, boolean intended,
            GlobalStatus status, String error) {
        Outcome o = switch (status) {
            case Committed -> Outcome.COMMITTED;
            case Rollbacked, TimeoutRollbacked -> Outcome.ROLLED_BACK;
            default -> Outcome.UNKNOWN;
        };
        return new Transfer(id, xid, fromDb, from, to, amount, intended, o, error == null ? "status " + status : error);
    }

    /** One local transaction through the AT proxy: its commit registers the branch with its lock keys. */
    private static void leg(DataSource ds, String rowId, String xid, int account, long delta) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement u = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
                    u.setLong(1, delta);
                    u.setInt(2, account);
                    assertEquals(1, u.executeUpdate());
                }
                try (PreparedStatement i = c.prepareStatement(
                        "INSERT INTO transfers (id, xid, account_id, amount) VALUES (?, ?, ?, ?)")) {
                    i.setString(1, rowId);
                    i.setString(2, xid);
                    i.setInt(3, account);
                    i.setLong(4, delta);
                    i.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** {@code perThread} transfers on each of {@code threads} threads, seeded, all at once. */
    List<Transfer> run(int threads, int perThread, long seed) throws Exception {
        List<Transfer> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                Random r = new Random(seed + thread);
                for (int n = 0; n < perThread; n++) {
                    all.add(transfer("t" + thread + "-" + n, r));
                }
            }, "transfer-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join(Duration.ofMinutes(2).toMillis());
            assertTrue(!w.isAlive(), w.getName() + " still running");
        }
        return new ArrayList<>(all);
    }

    /**
     * Transfers on {@code threads} threads until {@link Load#stop()}; what the client saw is kept per
     * transfer, and the committed count can be watched while it runs (e.g. around a leader kill).
     */
    Load load(int threads, long seed) {
        return new Load(threads, seed);
    }

    final class Load {
        private final List<Transfer> done = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicLong committed = new java.util.concurrent.atomic.AtomicLong();
        private final List<Thread> workers = new ArrayList<>();
        private volatile boolean stopped;

        private Load(int threads, long seed) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    Random r = new Random(seed + thread);
                    for (int n = 0; !stopped; n++) {
                        Transfer tr = transfer("t" + thread + "-" + n, r);
                        done.add(tr);
                        if (tr.outcome() == Outcome.COMMITTED) {
                            committed.incrementAndGet();
                        }
                    }
                }, "transfer-" + t);
                w.start();
                workers.add(w);
            }
        }

        long committed() {
            return committed.get();
        }

        /** Stops starting transfers, waits for those in flight, returns every transfer made. */
        List<Transfer> stop() throws InterruptedException {
            stopped = true;
            for (Thread w : workers) {
                w.join(Duration.ofSeconds(90).toMillis());
                assertTrue(!w.isAlive(), w.getName() + " still running");
            }
            return new ArrayList<>(done);
        }
    }

    /**
     * Waits until no undo_log row of a branch is left (log_status 0: AT deletes them after phase two,
     * asynchronously for commits). Rows with log_status 1 are Seata's own anti-suspension markers: an RM
     * that receives a rollback for a branch whose undo log is already gone (phase two delivered again,
     * e.g. by a new leader that never learnt the first delivery was acknowledged) inserts one so that a
     * late phase one cannot commit; Seata purges them by age, not by transaction.
     * @return the xids of such markers (each must be a transfer that was rolled back)
     */
    java.util.Set<String> awaitNoUndoLogs() throws SQLException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(
                () -> Sql.queryLong(raw[0], "SELECT COUNT(*) FROM undo_log WHERE log_status = 0") == 0
                        && Sql.queryLong(raw[1], "SELECT COUNT(*) FROM undo_log WHERE log_status = 0") == 0);
        java.util.Set<String> markers = new java.util.TreeSet<>();
        for (int d = 0; d < 2; d++) {
            markers.addAll(Sql.map(raw[d], "SELECT xid, log_status FROM undo_log").keySet());
        }
        return markers;
    }

    /** Every anti-suspension marker belongs to a transfer the client did not see committed. */
    static void checkMarkers(java.util.Set<String> markers, List<Transfer> transfers) {
        for (Transfer t : transfers) {
            if (t.xid() != null && markers.contains(t.xid())) {
                assertTrue(t.outcome() != Outcome.COMMITTED, "a rollback marker for a committed transfer: " + t);
            }
        }
    }

    /**
     * Money is conserved; each account's balance is its initial balance plus the legs recorded in
     * {@code transfers}; a committed transfer has both legs, a rolled back one neither, an unknown one
     * both or neither; no other rows exist.
     */
    void check(List<Transfer> transfers) throws SQLException {
        Map<String, Long> legs = new HashMap<>();
        long total = 0;
        for (int d = 0; d < 2; d++) {
            Map<String, Long> balances = Sql.map(raw[d], "SELECT id, balance FROM accounts");
            Map<String, Long> expected = new HashMap<>();
            for (int a = 1; a <= ACCOUNTS; a++) {
                expected.put(String.valueOf(a), INITIAL);
            }
            Map<String, Long> rows = Sql.map(raw[d], "SELECT id, amount FROM transfers");
            Map<String, Long> accountOf = Sql.map(raw[d], "SELECT id, account_id FROM transfers");
            for (Map.Entry<String, Long> row : rows.entrySet()) {
                expected.merge(String.valueOf(accountOf.get(row.getKey())), row.getValue(), Long::sum);
            }
            assertEquals(expected, balances, "db " + d + ": balances are the initial ones plus the recorded legs");
            total += balances.values().stream().mapToLong(Long::longValue).sum();
            rows.keySet().forEach(k -> legs.put(k, 1L));
        }
        assertEquals(2 * ACCOUNTS * INITIAL, total, "money conserved across both databases");
        int seen = 0;
        for (Transfer t : transfers) {
            boolean debit = legs.containsKey(t.id() + "-debit");
            boolean credit = legs.containsKey(t.id() + "-credit");
            seen += (debit ? 1 : 0) + (credit ? 1 : 0);
            switch (t.outcome()) {
                case COMMITTED -> assertTrue(debit && credit, "committed transfer visible in both: " + t);
                case ROLLED_BACK -> assertTrue(!debit && !credit, "rolled back transfer in neither: " + t);
                case UNKNOWN -> assertEquals(debit, credit, "transfer all or nothing: " + t);
            }
        }
        assertEquals(legs.size(), seen, "no legs of transfers the client never made");
    }

    /** Counts per outcome, intended rollbacks, and failures (for the test log). */
    static String summary(List<Transfer> transfers) {
        Map<Outcome, Long> byOutcome = new java.util.EnumMap<>(Outcome.class);
        transfers.forEach(t -> byOutcome.merge(t.outcome(), 1L, Long::sum));
        long intended = transfers.stream().filter(Transfer::intendedRollback).count();
        long conflicts = transfers.stream().filter(t -> t.error() != null && t.error().contains("ock")).count();
        return transfers.size() + " transfers " + byOutcome + ", " + intended + " intended rollbacks, "
                + conflicts + " with a lock conflict";
    }
}
