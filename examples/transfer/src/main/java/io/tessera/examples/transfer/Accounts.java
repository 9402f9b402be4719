package io.tessera.examples.transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The bank's SQL: plain JDBC. Seata's proxy turns each write inside a global transaction into an AT branch. */
final class Accounts {
    static final Pattern ACCOUNT_ID = Pattern.compile("[a-z0-9-]{1,32}");

    /** A refusal the caller reports to its client (not a failure of the bank). */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final BankDatabase db;

    Accounts(BankDatabase db) {
        this.db = db;
    }

    void debit(String account, long amount) throws SQLException, Refused {
        try (Connection c = db.seata().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?")) {
            s.setLong(1, amount);
            s.setString(2, account);
            s.setLong(3, amount);
            if (s.executeUpdate() != 1) {
                throw new Refused("no account " + account + " with a balance of at least " + amount);
            }
        }
    }

    void credit(String account, long amount) throws SQLException, Refused {
        try (Connection c = db.seata().getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            s.setLong(1, amount);
            s.setString(2, account);
            if (s.executeUpdate() != 1) {
                throw new Refused("no account " + account);
            }
        }
    }

    Map<String, Long> balances() throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = db.plain().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id, balance FROM account");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    /** Undo log rows not yet deleted (phase two deletes them, asynchronously after a commit). */
    long undoLogRows() throws SQLException {
        try (Connection c = db.plain().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM undo_log");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
