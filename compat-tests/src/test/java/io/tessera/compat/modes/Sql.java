package io.tessera.compat.modes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Plain JDBC for the tests' own setup and checks (never through Seata's proxies). */
final class Sql {
    private Sql() {
    }

    static void execute(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Runs a classpath script of ';'-terminated statements (no ';' inside a statement). */
    static void script(DataSource ds, String resource) throws SQLException, IOException {
        String text;
        try (InputStream in = Sql.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String stmt : text.split(";")) {
            String sql = stmt.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
            if (!sql.isEmpty()) {
                execute(ds, sql);
            }
        }
    }

    static long queryLong(DataSource ds, String sql, Object... args) throws SQLException {
        return Long.parseLong(queryString(ds, sql, args));
    }

    static String queryString(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row: " + sql);
                }
                return rs.getString(1);
            }
        }
    }

    /** First column (a string key) to second column (a number) of every row. */
    static Map<String, Long> map(DataSource ds, String sql) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
