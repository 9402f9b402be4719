package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.LockData;
import java.util.ArrayList;
import java.util.List;

/**
 * AT global row locks (semantics in docs/architecture.md, "Locks"). A row is held by exactly one branch;
 * other branches of the same xid may "re-acquire" it without becoming its owner. Acquisition is
 * all-or-nothing: conflicts are found before anything is written.
 */
final class LockTable {
    /** Outcome of an acquisition: {@code conflict} is null on success. */
    record Acquired(TransactionExceptionCode conflict, String holderXid, List<byte[]> ownedRows) {
    }

    private final TxTables tables;

    LockTable(TxTables tables) {
        this.tables = tables;
    }

    /**
     * Mirrors Seata's lock manager: another xid's row is a conflict. If the requester runs with
     * autoCommit=false, scanning continues over all rows and any conflicting holder whose global is
     * rolling back turns the answer into LockKeyConflictFailFast (the requester then gives up at once
     * instead of spinning until that rollback releases the row). With autoCommit=true the first conflict
     * decides. skipCheckLock never lets a row be taken from another xid here (every row key is unique,
     * like Seata's DB lock table), it only suppresses the fail-fast inspection.
     */
    Acquired acquire(BranchData branch, List<byte[]> rows, boolean autoCommit, boolean skipCheckLock) {
        List<byte[]> toTake = new ArrayList<>();
        boolean conflict = false;
        String holder = null;
        for (byte[] row : rows) {
            LockData held = tables.lock(row);
            if (held == null) {
                toTake.add(row);
                continue;
            }
            if (held.getXid().equals(branch.getXid())) {
                continue;
            }
            if (holder == null) {
                holder = held.getXid();
            }
            conflict = true;
            if (!autoCommit && !skipCheckLock && holderIsRollingBack(held.getXid())) {
                return new Acquired(TransactionExceptionCode.LockKeyConflictFailFast, held.getXid(), List.of());
            }
            if (autoCommit || skipCheckLock) {
                break;
            }
        }
        if (conflict) {
            return new Acquired(TransactionExceptionCode.LockKeyConflict, holder, List.of());
        }
        LockData mine = LockData.newBuilder()
                .setXid(branch.getXid())
                .setTransactionId(branch.getTransactionId())
                .setBranchId(branch.getBranchId())
                .build();
        for (byte[] row : toTake) {
            tables.putLock(row, mine);
        }
        return new Acquired(null, null, toTake);
    }

    private boolean holderIsRollingBack(String xid) {
        GlobalData g = tables.global(xid);
        if (g == null) {
            return false;
        }
        // A rollback parked at its retry timeout still holds its rows for the rollback (Seata keeps the
        // locks' Rollbacking mark), so waiting for it is as pointless as for a running rollback.
        GlobalStatus s = GlobalStatus.of(g.getStatus());
        return s.isRollbackFamily() || s == GlobalStatus.RollbackRetryTimeout
                || s == GlobalStatus.StopRollbackOrRollbackRetry;
    }

    /** Releases the rows the branch owns (a row re-owned by someone else is left alone). */
    void release(BranchData branch) {
        for (var row : branch.getOwnedRowsList()) {
            byte[] key = row.toByteArray();
            LockData held = tables.lock(key);
            if (held != null && held.getBranchId() == branch.getBranchId()) {
                tables.deleteLock(key);
            }
        }
    }

    /** GlobalLockQuery: true when no row is held by another xid. */
    boolean lockable(List<byte[]> rows, String xid) {
        for (byte[] row : rows) {
            LockData held = tables.lock(row);
            if (held != null && !held.getXid().equals(xid)) {
                return false;
            }
        }
        return true;
    }
}
