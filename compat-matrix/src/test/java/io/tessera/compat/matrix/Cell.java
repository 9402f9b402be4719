package io.tessera.compat.matrix;

/** One client release × registry × serializer, and what it must do against Tessera. */
record Cell(ClientRelease release, Registry registry, Serializer serializer, Outcome expected) {

    enum Registry {
        FILE("file"),
        RAFT("raft");

        final String seataName;

        Registry(String seataName) {
            this.seataName = seataName;
        }
    }

    /** {@code transport.serialization}; only SEATA and PROTOBUF are spoken by Tessera. */
    enum Serializer {
        SEATA("seata"),
        PROTOBUF("protobuf"),
        KRYO("kryo"),
        HESSIAN("hessian");

        final String seataName;

        Serializer(String seataName) {
            this.seataName = seataName;
        }

        boolean supported() {
            return this == SEATA || this == PROTOBUF;
        }
    }

    /** A short name for logs and per-cell files: {@code 2.5.0-raft-protobuf}. */
    String id() {
        return release.version() + "-" + registry.seataName + "-" + serializer.seataName;
    }
}
