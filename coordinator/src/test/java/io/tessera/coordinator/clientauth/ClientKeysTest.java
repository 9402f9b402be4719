package io.tessera.coordinator.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientKeysTest {
    @Test
    void readsKeysAndDomainsIgnoringCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client-keys");
        Files.writeString(file, """
                # access key = application id : secret key
                order-ak = order-service:0123456789abcdef:with:colons

                stock-ak=stock-service:fedcba9876543210
                audit-ak = audit:aaaaaaaaaaaaaaaa
                domain.shop = order-service, stock-service
                """);
        ClientKeys keys = ClientKeys.load(file);
        assertEquals(3, keys.size());
        assertEquals("order-service", keys.key("order-ak").orElseThrow().applicationId());
        assertEquals("0123456789abcdef:with:colons", keys.key("order-ak").orElseThrow().secretKey());
        assertTrue(keys.key("nobody").isEmpty());
        assertTrue(keys.key(null).isEmpty());
        assertEquals(keys.domainOf("order-service"), keys.domainOf("stock-service"));
        assertFalse(keys.domainOf("audit").equals(keys.domainOf("order-service")));
        assertFalse(keys.key("order-ak").orElseThrow().toString().contains("0123456789abcdef"));
    }

    @Test
    void everyMistakeIsNamedWithItsLineAndNoSecretIsShown() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClientKeys.parse(List.of(
                "just-a-word",
                "ak1 = app1",
                "ak2 = app2:short",
                "ak3 = app3:0123456789abcdef",
                "ak3 = app3:0123456789abcdeX",
                "bad key = app4:0123456789abcdef",
                "ak5 = :0123456789abcdef",
                "domain. = app3",
                "domain.d1 = app3, ghost",
                "domain.d2 = app3"), "client-auth.keys-file /etc/keys"));
        String m = e.getMessage();
        assertTrue(m.startsWith("client-auth.keys-file /etc/keys: "), m);
        for (String expected : List.of("line 1: expected", "line 2: access key 'ak1' needs '<application id>:<secret key>'",
                "line 3: the secret key of 'ak2' must have at least 16 characters", "line 5: access key 'ak3' is defined twice",
                "line 6: access key 'bad key' must be", "line 7: access key 'ak5' needs an application id",
                "line 8: 'domain.' needs a name", "line 9: domain 'd1' names application 'ghost'",
                "line 10: application 'app3' is already in domain 'd1'")) {
            assertTrue(m.contains(expected), "missing '" + expected + "' in: " + m);
        }
        assertFalse(m.contains("0123456789abcde"), "a secret leaked: " + m);
        assertFalse(m.contains("short"), "a secret leaked: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void aFileWithoutKeysIsAMistake() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClientKeys.parse(List.of("# nothing", ""), "f"));
        assertTrue(e.getMessage().contains("no access key is defined"), e.getMessage());
    }
}
