package io.tessera.compat.matrix;

import java.util.Optional;

/**
 * The Seata client releases the matrix runs, with what each brings (checked on Maven Central, see
 * /work/notes/seata-client-versions.md): its package, whether it has the raft registry (2.0.0+), and
 * which seata-serializer-protobuf jar gives it PROTOBUF. org.apache.seata published that module for
 * 2.2.0 and 2.3.0 only; 2.5.0 and 2.6.0 users have to take 2.3.0's (2.1.0 has none that fits), and so
 * do we. The build copies each release's jars into {@code target/seata-clients/<version>/}.
 */
enum ClientRelease {
    IO_1_5_2("1.5.2", "io.seata", false, "1.5.2", "4.0.2"),
    IO_1_8_0("1.8.0", "io.seata", false, "1.8.0", null),
    IO_2_0_0("2.0.0", "io.seata", true, "2.0.0", null),
    APACHE_2_1_0("2.1.0", "org.apache.seata", true, null, null),
    APACHE_2_2_0("2.2.0", "org.apache.seata", true, "2.2.0", null),
    APACHE_2_3_0("2.3.0", "org.apache.seata", true, "2.3.0", null),
    APACHE_2_5_0("2.5.0", "org.apache.seata", true, "2.3.0", null),
    APACHE_2_6_0("2.6.0", "org.apache.seata", true, "2.3.0", null);

    private final String version;
    private final String pkg;
    private final boolean raftRegistry;
    private final String protobufJar;
    private final String kryoJar;

    ClientRelease(String version, String pkg, boolean raftRegistry, String protobufJar, String kryoJar) {
        this.version = version;
        this.pkg = pkg;
        this.raftRegistry = raftRegistry;
        this.protobufJar = protobufJar;
        this.kryoJar = kryoJar;
    }

    String version() {
        return version;
    }

    /** "io.seata" or "org.apache.seata": the package of its classes and the groupId of its artifacts. */
    String pkg() {
        return pkg;
    }

    boolean hasRaftRegistry() {
        return raftRegistry;
    }

    /** Version of the seata-serializer-protobuf jar this release runs PROTOBUF with, if any. */
    Optional<String> protobufJar() {
        return Optional.ofNullable(protobufJar);
    }

    /** The Kryo this release was built against, when it is not the clients' shared Kryo 5. */
    Optional<String> kryoJar() {
        return Optional.ofNullable(kryoJar);
    }

    /** {@code io.seata:seata-all:1.5.2} style. */
    String coordinates() {
        return pkg + ":seata-all:" + version;
    }
}
