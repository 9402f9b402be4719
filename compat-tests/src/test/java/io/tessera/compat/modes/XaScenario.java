package io.tessera.compat.modes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.datasource.xa.DataSourceProxyXA;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * XA mode through Seata's DataSourceProxyXA over two databases of one server: phase one ends and
 * prepares each branch's XA transaction in the database, phase two commits or rolls it back from the
 * coordinator's decision.
 */
final class XaScenario {
    private static final long INITIAL = 1_000;

    private final Database db;
    private final DataSource[] raw = new DataSource[2];
    private final DataSourceProxyXA[] proxy = new DataSourceProxyXA[2];

    XaScenario(Database db) throws Exception {
        this.db = db;
        String[] names = {"xa_a", "xa_b"};
        for (int d = 0; d < 2; d++) {
            raw[d] = db.create(names[d]);
            Sql.execute(raw[d], "CREATE TABLE xa_accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int a = 1; a <= 3; a++) {
                Sql.execute(raw[d], "INSERT INTO xa_accounts (id, balance) VALUES (" + a + ", " + INITIAL + ")");
            }
            proxy[d] = new DataSourceProxyXA(raw[d]);
        }
    }

    long balance(int d, int account) throws SQLException {
        return Sql.queryLong(raw[d], "SELECT balance FROM xa_accounts WHERE id = ?", account);
    }

    /** A transfer A:1 -> B:1 that commits; both sides visible. @return the xid */
    String commits() throws Exception {
        GlobalTransaction tx = begin();
        try {
            leg(proxy[0], 1, -40);
            leg(proxy[1], 1, 40);
            tx.commit();
        } finally {
            RootContext.unbind();
        }
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        assertEquals(INITIAL - 40, balance(0, 1));
        assertEquals(INITIAL + 40, balance(1, 1));
        return tx.getXid();
    }

    /** Both legs prepared, then the application rolls back: neither side changed. @return the xid */
    String rollsBack() throws Exception {
        GlobalTransaction tx = begin();
        try {
            leg(proxy[0], 2, -25);
            leg(proxy[1], 2, 25);
            tx.rollback();
        } finally {
            RootContext.unbind();
        }
        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        assertEquals(INITIAL, balance(0, 2));
        assertEquals(INITIAL, balance(1, 2));
        return tx.getXid();
    }

    /** The second leg fails in phase one (no such account): the prepared first leg is rolled back. @return the xid */
    String failingLegRollsBack() throws Exception {
        GlobalTransaction tx = begin();
        try {
            leg(proxy[0], 3, -10);
            assertThrows(IllegalStateException.class, () -> leg(proxy[1], 99, 10));
            tx.rollback();
        } finally {
            RootContext.unbind();
        }
        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        assertEquals(INITIAL, balance(0, 3));
        return tx.getXid();
    }

    /** No XA transaction is left prepared in the server (phase two reached every branch). */
    void awaitNothingPrepared() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> prepared() == 0);
    }

    private int prepared() throws SQLException {
        if (db.dialect().equals("postgresql")) {
            return (int) Sql.queryLong(raw[0], "SELECT COUNT(*) FROM pg_prepared_xacts");
        }
        int n = 0;
        try (Connection c = raw[0].getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("XA RECOVER")) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    private static GlobalTransaction begin() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, "xa-transfer");
        return tx;
    }

    /** One XA branch: autocommit off starts it, commit() ends and prepares it (Seata's ConnectionProxyXA). */
    private static void leg(DataSource ds, int account, long delta) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement("UPDATE xa_accounts SET balance = balance + ? WHERE id = ?")) {
                u.setLong(1, delta);
                u.setInt(2, account);
                if (u.executeUpdate() != 1) {
                    throw new IllegalStateException("no account " + account);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
