package io.tessera.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry keys of a node's file: Seata's names and defaults, validated at load. */
class RegistryConfigLoaderTest {
    private static final String BASE = "node.id=node1\nregistry.username=seata-client\nregistry.password=client-secret-1\n"
            + "admin.username=tessera-admin\nadmin.password=admin-secret-1\nraft.tls.enabled=false\n";

    @TempDir
    Path dir;

    private NodeConfig load(String text, Map<String, String> env) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, BASE + "data.dir=" + dir.resolve("d") + "\n" + text);
        return new NodeConfigLoader(Map.of(), env).load(file);
    }

    @Test
    void noRegistrationByDefaultAndForFileOrRaft() throws IOException {
        assertEquals(List.of(), load("", Map.of()).registry().types());
        assertEquals(List.of(), load("registry.type=file\n", Map.of()).registry().types());
        assertEquals(List.of(), load("registry.type=raft\n", Map.of()).registry().types());
    }

    @Test
    void seataKeyNamesWithSeataDefaults() throws IOException {
        RegistryConfig r = load("registry.type=zk, redis\nregistry.zk.serverAddr=10.0.0.5:2181\n"
                + "registry.zk.cluster=tc-a\nregistry.redis.db=3\n", Map.of()).registry();
        assertEquals(List.of("zk", "redis"), r.types());
        assertEquals("10.0.0.5:2181", r.get("registry.zk.serverAddr"));
        assertEquals("tc-a", r.get("registry.zk.cluster"));
        assertEquals(6000, r.intValue("registry.zk.sessionTimeout"));
        assertEquals(3, r.intValue("registry.redis.db"));
        assertEquals("default", r.get("registry.redis.cluster"));
        assertEquals("http://localhost:2379", r.get("registry.etcd3.serverAddr"));
        assertEquals(10, r.intValue("registry.etcd3.lease-ttl-seconds"));
        assertNull(r.get("registry.redis.password"));
    }

    @Test
    void eurekaKeysAreSeatasWithSeatasDefaults() throws IOException {
        RegistryConfig r = load("registry.type=eureka\n", Map.of()).registry();
        assertEquals(List.of("eureka"), r.types());
        assertEquals("http://localhost:8761/eureka", r.get("registry.eureka.serviceUrl"));
        assertEquals("default", r.get("registry.eureka.application"));
        assertEquals("1", r.get("registry.eureka.weight"));
        assertEquals(30, r.intValue("registry.eureka.lease-renewal-interval-seconds"));
        assertEquals(90, r.intValue("registry.eureka.lease-expiration-duration-seconds"));
        assertThrows(ConfigException.class,
                () -> load("registry.eureka.lease-expiration-duration-seconds=0\n", Map.of()));
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        RegistryConfig r = load("registry.type=zk\n", Map.of("TESSERA_REGISTRY_TYPE", "etcd3",
                "TESSERA_REGISTRY_ETCD3_SERVERADDR", "http://etcd:2379")).registry();
        assertEquals(List.of("etcd3"), r.types());
        assertEquals("http://etcd:2379", r.get("registry.etcd3.serverAddr"));
    }

    @Test
    void registriesThatCannotBeTestedHereAreRefusedWithTheReason() {
        for (String type : List.of("nacos", "seata", "consul")) {
            String message = assertThrows(ConfigException.class, () -> load("registry.type=" + type + "\n", Map.of()))
                    .getMessage();
            assertTrue(message.contains("not implemented") && message.contains("Registries"), message);
        }
        assertThrows(ConfigException.class, () -> load("registry.type=zookeeper\n", Map.of()));
        assertThrows(ConfigException.class, () -> load("registry.zk.sessionTimeout=0\n", Map.of()));
        assertThrows(ConfigException.class, () -> load("registry.zk.bogus=1\n", Map.of()));
    }
}
