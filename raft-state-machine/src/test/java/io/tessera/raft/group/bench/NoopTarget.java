package io.tessera.raft.group.bench;

import io.tessera.raft.group.ApplyTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The replication ceiling: apply does nothing but count (state lives in memory, snapshot = one number). */
final class NoopTarget implements ApplyTarget {
    private static final byte[] EMPTY = new byte[0];
    private volatile long lastApplied;

    NoopTarget(Path ignored) {
    }

    @Override
    public void open() {
    }

    @Override
    public List<byte[]> applyBatch(List<Entry> entries) {
        List<byte[]> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            out.add(EMPTY);
        }
        lastApplied = entries.get(entries.size() - 1).index();
        return out;
    }

    @Override
    public long lastAppliedIndex() {
        return lastApplied;
    }

    @Override
    public void saveSnapshot(Path dir) throws IOException {
        Files.writeString(dir.resolve("applied"), Long.toString(lastApplied));
    }

    @Override
    public void loadSnapshot(Path dir) throws IOException {
        lastApplied = Long.parseLong(Files.readString(dir.resolve("applied"), StandardCharsets.UTF_8).trim());
    }

    @Override
    public void close() {
    }
}
