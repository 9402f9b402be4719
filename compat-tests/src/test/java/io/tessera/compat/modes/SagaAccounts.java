package io.tessera.compat.modes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The services a Saga state machine calls (as Spring beans, Seata's SpringBeanServiceInvoker): each forward
 * step writes its effect and an op row in one local transaction; a compensation undoes the effect only if
 * its forward op row is there (and deletes it), so compensating a step that never ran changes nothing.
 */
public class SagaAccounts {
    static final int MISSING_ACCOUNT = 99;

    private final DataSource ds;

    public SagaAccounts(DataSource ds) {
        this.ds = ds;
    }

    static void createTables(DataSource ds, int accounts, long initial) throws SQLException {
        Sql.execute(ds, "CREATE TABLE saga_accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                "CREATE TABLE saga_ops (business_key VARCHAR(64) NOT NULL, op VARCHAR(16) NOT NULL,"
                        + " PRIMARY KEY (business_key, op))");
        for (int a = 1; a <= accounts; a++) {
            Sql.execute(ds, "INSERT INTO saga_accounts (id, balance) VALUES (" + a + ", " + initial + ")");
        }
    }

    public boolean debit(String businessKey, int account, long amount) throws SQLException {
        return forward(businessKey, "debit", account, -amount);
    }

    /** Fails for {@link #MISSING_ACCOUNT}: the failing service task of the compensation path. */
    public boolean credit(String businessKey, int account, long amount) throws SQLException {
        return forward(businessKey, "credit", account, amount);
    }

    public boolean compensateDebit(String businessKey, int account, long amount) throws SQLException {
        return compensate(businessKey, "debit", account, amount);
    }

    public boolean compensateCredit(String businessKey, int account, long amount) throws SQLException {
        return compensate(businessKey, "credit", account, -amount);
    }

    private boolean forward(String businessKey, String op, int account, long delta) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (update(c, account, delta) != 1) {
                    throw new IllegalArgumentException("no account " + account);
                }
                try (PreparedStatement i = c.prepareStatement("INSERT INTO saga_ops (business_key, op) VALUES (?, ?)")) {
                    i.setString(1, businessKey);
                    i.setString(2, op);
                    i.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private boolean compensate(String businessKey, String op, int account, long delta) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM saga_ops WHERE business_key = ? AND op = ?")) {
                d.setString(1, businessKey);
                d.setString(2, op);
                if (d.executeUpdate() == 1) {
                    update(c, account, delta);
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static int update(Connection c, int account, long delta) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE saga_accounts SET balance = balance + ? WHERE id = ?")) {
            u.setLong(1, delta);
            u.setInt(2, account);
            return u.executeUpdate();
        }
    }
}
