package io.tessera.compat.modes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.rm.tcc.api.BusinessActionContext;

/**
 * The business side of {@link TccAccounts} on a real database. Every try writes its effect and a row in
 * {@code tcc_ops} (xid, branch) in one local transaction; confirm and cancel settle that row in one local
 * transaction, so a repeated phase two is a no-op and a cancel without a try (the try failed after its
 * branch was registered) changes nothing - the idempotence and empty-rollback rules Seata asks TCC
 * participants to keep.
 *
 * <p>Public with a no-argument constructor: Seata's ProxyUtil subclasses it with ByteBuddy.
 */
public class TccAccountsAction implements TccAccounts {
    /** The account that does not exist: a try on it fails (after its branch was registered). */
    static final int MISSING_ACCOUNT = 99;

    private DataSource ds;

    public TccAccountsAction() {
    }

    TccAccountsAction using(DataSource dataSource) {
        this.ds = dataSource;
        return this;
    }

    static void createTables(DataSource ds, int accounts, long initial) throws SQLException {
        Sql.execute(ds, "CREATE TABLE tcc_accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL,"
                        + " frozen BIGINT NOT NULL, pending BIGINT NOT NULL)",
                "CREATE TABLE tcc_ops (xid VARCHAR(128) NOT NULL, branch_id BIGINT NOT NULL, action VARCHAR(16) NOT NULL,"
                        + " account INT NOT NULL, amount BIGINT NOT NULL, state VARCHAR(16) NOT NULL,"
                        + " PRIMARY KEY (xid, branch_id))");
        for (int a = 1; a <= accounts; a++) {
            Sql.execute(ds, "INSERT INTO tcc_accounts (id, balance, frozen, pending) VALUES (" + a + ", " + initial + ", 0, 0)");
        }
    }

    @Override
    public boolean debit(int account, long amount) {
        return tryAction("debit", account, amount, "UPDATE tcc_accounts SET balance = balance - ?, frozen = frozen + ? WHERE id = ?");
    }

    @Override
    public boolean credit(int account, long amount) {
        return tryAction("credit", account, amount, "UPDATE tcc_accounts SET pending = pending + ? WHERE id = ?");
    }

    @Override
    public boolean confirmDebit(BusinessActionContext context) {
        return settle(context, "UPDATE tcc_accounts SET frozen = frozen - ? WHERE id = ?", "CONFIRMED");
    }

    @Override
    public boolean cancelDebit(BusinessActionContext context) {
        return settle(context, "UPDATE tcc_accounts SET balance = balance + ?, frozen = frozen - ? WHERE id = ?", "CANCELLED");
    }

    @Override
    public boolean confirmCredit(BusinessActionContext context) {
        return settle(context, "UPDATE tcc_accounts SET balance = balance + ?, pending = pending - ? WHERE id = ?", "CONFIRMED");
    }

    @Override
    public boolean cancelCredit(BusinessActionContext context) {
        return settle(context, "UPDATE tcc_accounts SET pending = pending - ? WHERE id = ?", "CANCELLED");
    }

    /** Try: the effect and the op row, or nothing (an exception, which fails the try). */
    private boolean tryAction(String action, int account, long amount, String effect) {
        BusinessActionContext ctx = org.apache.seata.rm.tcc.api.BusinessActionContextUtil.getContext();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (apply(c, effect, account, amount) != 1) {
                    throw new IllegalArgumentException("no account " + account);
                }
                insertOp(c, ctx.getXid(), ctx.getBranchId(), action, account, amount, "TRIED");
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("try " + action + " in " + RootContext.getXID(), e);
        }
    }

    /** Confirm/cancel: applies {@code effect} once if the try happened; records an empty rollback otherwise. */
    private boolean settle(BusinessActionContext ctx, String effect, String finalState) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                String state = null;
                int account = 0;
                long amount = 0;
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT state, account, amount FROM tcc_ops WHERE xid = ? AND branch_id = ? FOR UPDATE")) {
                    q.setString(1, ctx.getXid());
                    q.setLong(2, ctx.getBranchId());
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            state = rs.getString(1);
                            account = rs.getInt(2);
                            amount = rs.getLong(3);
                        }
                    }
                }
                if (state == null) {
                    // Empty rollback: the try never committed anything.
                    Object a = ctx.getActionContext("account");
                    insertOp(c, ctx.getXid(), ctx.getBranchId(), "none", a == null ? 0 : Integer.parseInt(a.toString()), 0,
                            finalState + "_EMPTY");
                } else if (state.equals("TRIED")) {
                    apply(c, effect, account, amount);
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE tcc_ops SET state = ? WHERE xid = ? AND branch_id = ?")) {
                        u.setString(1, finalState);
                        u.setString(2, ctx.getXid());
                        u.setLong(3, ctx.getBranchId());
                        u.executeUpdate();
                    }
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // false: Seata's TCC manager answers a retryable phase-two failure and the coordinator retries.
            return false;
        }
    }

    /** Runs {@code effect}: every '?' but the last is the amount, the last the account. */
    private static int apply(Connection c, String effect, int account, long amount) throws SQLException {
        int params = (int) effect.chars().filter(ch -> ch == '?').count();
        try (PreparedStatement u = c.prepareStatement(effect)) {
            for (int i = 1; i < params; i++) {
                u.setLong(i, amount);
            }
            u.setInt(params, account);
            return u.executeUpdate();
        }
    }

    private static void insertOp(Connection c, String xid, long branchId, String action, int account, long amount,
            String state) throws SQLException {
        try (PreparedStatement i = c.prepareStatement(
                "INSERT INTO tcc_ops (xid, branch_id, action, account, amount, state) VALUES (?, ?, ?, ?, ?, ?)")) {
            i.setString(1, xid);
            i.setLong(2, branchId);
            i.setString(3, action);
            i.setInt(4, account);
            i.setLong(5, amount);
            i.setString(6, state);
            i.executeUpdate();
        }
    }
}
