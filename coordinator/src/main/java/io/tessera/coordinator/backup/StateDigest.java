package io.tessera.coordinator.backup;

import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Digest of the transaction state inside a snapshot's {@code state/} directory, computed by loading it
 * into a scratch store. Doubles as a deep check: the checkpoint must open in RocksDB and read back.
 */
public final class StateDigest {
    private StateDigest() {
    }

    /** @param scratch a directory that does not exist yet; removed afterwards */
    public static String of(Path stateSnapshotDir, Path scratch) throws IOException {
        TxStateMachine sm = new TxStateMachine(scratch);
        try {
            sm.open();
            sm.loadSnapshot(stateSnapshotDir);
            return sm.view().digest();
        } finally {
            sm.close();
            deleteTree(scratch);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
