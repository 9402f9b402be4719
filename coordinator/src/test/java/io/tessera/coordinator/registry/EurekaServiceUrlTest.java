package io.tessera.coordinator.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.ConfigException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Eureka service URLs: a comma list, paths kept, basic-auth credentials out of the URL and the logs. */
class EurekaServiceUrlTest {
    @Test
    void credentialsBecomeAHeaderAndNeverPartOfTheText() {
        EurekaServiceUrl url = EurekaServiceUrl.parse("k", "http://eu:s3cret@10.0.0.7:8761/eureka");
        assertEquals("http://10.0.0.7:8761/eureka/", url.toString());
        assertEquals(URI.create("http://10.0.0.7:8761/eureka/apps/DEFAULT"), url.resolve("apps/DEFAULT"));
        assertEquals(Optional.of("Basic ZXU6czNjcmV0"), url.authorization());
        assertFalse(url.toString().contains("s3cret"));
    }

    @Test
    void aCommaListInOrder() {
        List<EurekaServiceUrl> urls = EurekaServiceUrl.parseList("k", "http://a:8761/eureka/, https://b/eureka");
        assertEquals("[http://a:8761/eureka/, https://b/eureka/]", urls.toString());
        assertTrue(urls.get(1).authorization().isEmpty());
    }

    @Test
    void aBadEntryIsRefusedWithoutRepeatingIt() {
        String message = assertThrows(ConfigException.class,
                () -> EurekaServiceUrl.parseList("registry.eureka.serviceUrl", "eu:s3cret@host:8761")).getMessage();
        assertFalse(message.contains("s3cret"), message);
        assertThrows(ConfigException.class, () -> EurekaServiceUrl.parseList("k", " , "));
    }
}
