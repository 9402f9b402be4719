package io.tessera.raft.tx;

import java.nio.charset.StandardCharsets;

/** The column families of the transaction store; key layouts are in {@link StoreKeys}. */
enum Table {
    META("meta"),
    GLOBALS("globals"),
    BRANCHES("branches"),
    LOCKS("locks"),
    STATUS_INDEX("status_idx"),
    DEADLINE_INDEX("deadline_idx"),
    ENDED("ended"),
    ENDED_TIME_INDEX("ended_time_idx");

    private final String cfName;

    Table(String cfName) {
        this.cfName = cfName;
    }

    byte[] cfNameBytes() {
        return cfName.getBytes(StandardCharsets.UTF_8);
    }

    String cfName() {
        return cfName;
    }
}
