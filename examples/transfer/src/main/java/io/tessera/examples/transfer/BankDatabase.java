package io.tessera.examples.transfer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.seata.rm.datasource.DataSourceProxy;

/**
 * One bank's own PostgreSQL (embedded: the server binaries come from a Maven artifact), with its accounts
 * table, the undo_log table Seata's AT mode needs in every business database, and the Seata
 * {@link DataSourceProxy} the application writes through.
 */
final class BankDatabase implements AutoCloseable {
    /** AT mode's undo log, as Seata's client script for PostgreSQL defines it (ids from undo_log_id_seq). */
    private static final String UNDO_LOG = """
            CREATE TABLE IF NOT EXISTS undo_log (
                id            SERIAL       NOT NULL,
                branch_id     BIGINT       NOT NULL,
                xid           VARCHAR(128) NOT NULL,
                context       VARCHAR(128) NOT NULL,
                rollback_info BYTEA        NOT NULL,
                log_status    INT          NOT NULL,
                log_created   TIMESTAMP(0) NOT NULL,
                log_modified  TIMESTAMP(0) NOT NULL,
                CONSTRAINT pk_undo_log PRIMARY KEY (id),
                CONSTRAINT ux_undo_log UNIQUE (xid, branch_id));
            CREATE SEQUENCE IF NOT EXISTS undo_log_id_seq INCREMENT BY 1 MINVALUE 1;
            """;
    private static final String ACCOUNTS = """
            CREATE TABLE IF NOT EXISTS account (
                id      VARCHAR(32) PRIMARY KEY,
                balance BIGINT      NOT NULL CHECK (balance >= 0));
            """;

    private final EmbeddedPostgres postgres;
    private final DataSource plain;
    private final DataSourceProxy proxy;

    private BankDatabase(EmbeddedPostgres postgres, DataSourceProxy proxy) {
        this.postgres = postgres;
        this.plain = postgres.getPostgresDatabase();
        this.proxy = proxy;
    }

    /**
     * Starts the database on a free port, creates the tables and opening balances, then wraps it in Seata's
     * DataSourceProxy (which registers the database with the RM as an AT resource: call after RMClient.init).
     */
    static BankDatabase start(Map<String, Long> openingBalances) throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try {
            create(postgres.getPostgresDatabase(), openingBalances);
            return new BankDatabase(postgres, new DataSourceProxy(postgres.getPostgresDatabase()));
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    private static void create(DataSource plain, Map<String, Long> openingBalances) throws SQLException {
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            s.execute(UNDO_LOG);
            s.execute(ACCOUNTS);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO account (id, balance) VALUES (?, ?)")) {
                for (Map.Entry<String, Long> a : openingBalances.entrySet()) {
                    insert.setString(1, a.getKey());
                    insert.setLong(2, a.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    /** What the application writes through: every statement inside a global transaction becomes an AT branch. */
    DataSource seata() {
        return proxy;
    }

    /** Direct reads (balances for display, undo log counts), outside Seata. */
    DataSource plain() {
        return plain;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
