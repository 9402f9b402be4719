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
    ENDED_TIME_INDEX("ended_time_idx"),
    /** Control-port auth: token-signing key and API-set credentials (added after the first release). */
    AUTH("auth", true),
    /** The member directory: every member's endpoints by node id (added with online membership changes). */
    MEMBERS("members", true),
    /**
     * The console's secondary indexes and their counters (added with the console API, see
     * {@link ConsoleIndex}); rebuilt from the primary tables when a store without them is opened.
     */
    CONSOLE_INDEX("console_idx", true);

    private final String cfName;
    private final boolean addedLater;

    Table(String cfName) {
        this(cfName, false);
    }

    Table(String cfName, boolean addedLater) {
        this.cfName = cfName;
        this.addedLater = addedLater;
    }

    /**
     * A table that stores written before it existed do not have: RocksDB creates its column family empty
     * on open, and the digest names it only when it holds something, so the digest of such a state is
     * what it always was.
     */
    boolean addedLater() {
        return addedLater;
    }

    byte[] cfNameBytes() {
        return cfName.getBytes(StandardCharsets.UTF_8);
    }

    String cfName() {
        return cfName;
    }
}
