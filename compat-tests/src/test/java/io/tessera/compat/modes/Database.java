package io.tessera.compat.modes;

import javax.sql.DataSource;

/** A real database server started by a test class: one server, several databases in it. */
interface Database extends AutoCloseable {
    /** Seata's name for the dialect ({@code mysql} or {@code postgresql}): picks the DDL scripts. */
    String dialect();

    /** Creates an empty database {@code name} and returns a plain (unpooled) DataSource for it. */
    DataSource create(String name) throws Exception;

    /** The server's own version string (for the test log and the docs). */
    String version() throws Exception;

    @Override
    void close() throws Exception;
}
