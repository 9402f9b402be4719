package io.tessera.raft.tx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.LockData;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the tables over a {@link Kv}. Keeps the secondary indexes in step with the primary
 * rows: every global write goes through {@link #putGlobal}/{@link #deleteGlobal}, which maintain the
 * status index and (for Begin transactions only) the deadline index.
 */
final class TxTables {
    /** Above this many registered branches one scan beats a point get per registration order. */
    static final long POINT_READ_LIMIT = 64;

    private final Kv kv;

    TxTables(Kv kv) {
        this.kv = kv;
    }

    Kv kv() {
        return kv;
    }

    GlobalData global(String xid) {
        byte[] v = kv.get(Table.GLOBALS, StoreKeys.xid(xid));
        return v == null ? null : parse(() -> GlobalData.parseFrom(v), "global " + xid);
    }

    /** Writes {@code next}; {@code previous} is the currently stored row (null for a new global). */
    void putGlobal(GlobalData previous, GlobalData next) {
        if (previous != null) {
            unindex(previous);
        }
        kv.put(Table.GLOBALS, StoreKeys.xid(next.getXid()), next.toByteArray());
        if (previous == null) {
            new ConsoleIndex(kv).add(ConsoleIndex.Entry.of(next));
        } else {
            new ConsoleIndex(kv).statusChanged(ConsoleIndex.Entry.of(next), previous.getStatus());
        }
        kv.put(Table.STATUS_INDEX, StoreKeys.status(next.getStatus(), next.getTransactionId()),
                StoreKeys.xid(next.getXid()));
        if (next.getStatus() == GlobalStatus.Begin.code()) {
            kv.put(Table.DEADLINE_INDEX, StoreKeys.timeKey(next.getDeadline(), next.getTransactionId()),
                    StoreKeys.xid(next.getXid()));
        }
    }

    /**
     * Ends {@code previous}: deletes the live row and writes the ended record {@code e}. The console index
     * keeps the transaction (it lists ended ones too): only its status entry moves.
     */
    void endGlobal(GlobalData previous, EndedData e) {
        unindex(previous);
        kv.delete(Table.GLOBALS, StoreKeys.xid(previous.getXid()));
        kv.put(Table.ENDED, StoreKeys.xid(e.getXid()), e.toByteArray());
        kv.put(Table.ENDED_TIME_INDEX, StoreKeys.timeKey(e.getEndTime(), e.getTransactionId()),
                StoreKeys.xid(e.getXid()));
        new ConsoleIndex(kv).statusChanged(ConsoleIndex.Entry.of(e), previous.getStatus());
    }

    private void unindex(GlobalData g) {
        kv.delete(Table.STATUS_INDEX, StoreKeys.status(g.getStatus(), g.getTransactionId()));
        if (g.getStatus() == GlobalStatus.Begin.code()) {
            kv.delete(Table.DEADLINE_INDEX, StoreKeys.timeKey(g.getDeadline(), g.getTransactionId()));
        }
    }

    /** Branches of a live global in registration order; empty for an unknown or ended xid. */
    List<BranchData> branches(String xid) {
        GlobalData g = global(xid);
        return g == null ? new ArrayList<>() : branches(g);
    }

    /**
     * Branches of {@code g} in registration order. Orders are 0..next_branch_order-1 (register assigns
     * them consecutively), so small transactions are read with point gets: no iterator seek, which was
     * the largest native cost of apply. Large ones (many removed branches) fall back to one scan.
     */
    List<BranchData> branches(GlobalData g) {
        long n = g.getNextBranchOrder();
        List<BranchData> out = new ArrayList<>((int) Math.min(n, POINT_READ_LIMIT));
        if (n > POINT_READ_LIMIT) {
            kv.scan(Table.BRANCHES, StoreKeys.branchPrefix(g.getXid()), (k, v) -> {
                out.add(parseBranch(v, g.getXid()));
                return true;
            });
            return out;
        }
        for (long order = 0; order < n; order++) {
            BranchData b = branch(g.getXid(), order);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** True when {@code g} still has a branch (stops at the first one found). */
    boolean hasBranches(GlobalData g) {
        long n = g.getNextBranchOrder();
        if (n > POINT_READ_LIMIT) {
            boolean[] found = {false};
            kv.scan(Table.BRANCHES, StoreKeys.branchPrefix(g.getXid()), (k, v) -> {
                found[0] = true;
                return false;
            });
            return found[0];
        }
        for (long order = 0; order < n; order++) {
            if (kv.get(Table.BRANCHES, StoreKeys.branch(g.getXid(), order)) != null) {
                return true;
            }
        }
        return false;
    }

    /** The live branch {@code branchId} of {@code g}, or null (never registered, or already removed). */
    BranchData branch(GlobalData g, long branchId) {
        if (g.getBranchIdsCount() == g.getNextBranchOrder()) {
            // Complete id list: its position is the branch's order, so one point get.
            for (int order = 0; order < g.getBranchIdsCount(); order++) {
                if (g.getBranchIds(order) == branchId) {
                    BranchData b = branch(g.getXid(), order);
                    if (b != null && b.getBranchId() != branchId) {
                        throw new StoreException("branch at order " + order + " of " + g.getXid() + " is "
                                + b.getBranchId() + ", global lists " + branchId);
                    }
                    return b;
                }
            }
            return null;
        }
        // A global stored before branch_ids existed.
        for (BranchData b : branches(g)) {
            if (b.getBranchId() == branchId) {
                return b;
            }
        }
        return null;
    }

    private BranchData branch(String xid, long order) {
        byte[] v = kv.get(Table.BRANCHES, StoreKeys.branch(xid, order));
        return v == null ? null : parseBranch(v, xid);
    }

    private static BranchData parseBranch(byte[] v, String xid) {
        return parse(() -> BranchData.parseFrom(v), "branch of " + xid);
    }

    /**
     * {@code g} after registering branch {@code branchId} at order next_branch_order. The id list is
     * extended only while complete, so a global stored before it existed keeps being read by scan.
     */
    static GlobalData withBranch(GlobalData g, long branchId) {
        GlobalData.Builder b = g.toBuilder().setNextBranchOrder(g.getNextBranchOrder() + 1);
        if (g.getBranchIdsCount() == g.getNextBranchOrder()) {
            b.addBranchIds(branchId);
        }
        return b.build();
    }

    void putBranch(BranchData b) {
        kv.put(Table.BRANCHES, StoreKeys.branch(b.getXid(), b.getOrder()), b.toByteArray());
    }

    void deleteBranch(BranchData b) {
        kv.delete(Table.BRANCHES, StoreKeys.branch(b.getXid(), b.getOrder()));
    }

    LockData lock(byte[] row) {
        byte[] v = kv.get(Table.LOCKS, row);
        return v == null ? null : parse(() -> LockData.parseFrom(v), "lock");
    }

    /** Takes a free row ({@code row} must not be held: the console's lock counter counts on it). */
    void putLock(byte[] row, LockData lock) {
        kv.put(Table.LOCKS, row, lock.toByteArray());
        new ConsoleIndex(kv).lockTaken(row);
    }

    /** Frees a held row. */
    void deleteLock(byte[] row) {
        kv.delete(Table.LOCKS, row);
        new ConsoleIndex(kv).lockReleased(row);
    }

    EndedData ended(String xid) {
        byte[] v = kv.get(Table.ENDED, StoreKeys.xid(xid));
        return v == null ? null : parse(() -> EndedData.parseFrom(v), "ended " + xid);
    }

    void deleteEnded(EndedData e) {
        kv.delete(Table.ENDED, StoreKeys.xid(e.getXid()));
        kv.delete(Table.ENDED_TIME_INDEX, StoreKeys.timeKey(e.getEndTime(), e.getTransactionId()));
        new ConsoleIndex(kv).remove(ConsoleIndex.Entry.of(e));
    }

    /** Live globals in {@code status}, in transaction-id order (= begin order on one leader). */
    List<GlobalData> byStatus(GlobalStatus status, int limit) {
        List<GlobalData> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        kv.scan(Table.STATUS_INDEX, StoreKeys.statusPrefix(status.code()), (k, v) -> {
            out.add(requireGlobal(StoreKeys.str(v)));
            return out.size() < limit;
        });
        return out;
    }

    /** Begin transactions whose deadline is at or before {@code now}, earliest deadline first. */
    List<GlobalData> expiredAt(long now, int limit) {
        List<GlobalData> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        kv.scan(Table.DEADLINE_INDEX, new byte[0], (k, v) -> {
            if (StoreKeys.timeOf(k) > now) {
                return false;
            }
            out.add(requireGlobal(StoreKeys.str(v)));
            return out.size() < limit;
        });
        return out;
    }

    /** Ended records whose end time is before {@code cutoff}, oldest first. */
    List<EndedData> endedBefore(long cutoff, int limit) {
        List<EndedData> out = new ArrayList<>();
        kv.scan(Table.ENDED_TIME_INDEX, new byte[0], (k, v) -> {
            if (StoreKeys.timeOf(k) >= cutoff) {
                return false;
            }
            String xid = StoreKeys.str(v);
            EndedData e = ended(xid);
            if (e == null) {
                throw new StoreException("ended-time index points at missing ended record " + xid);
            }
            out.add(e);
            return limit <= 0 || out.size() < limit;
        });
        return out;
    }

    private GlobalData requireGlobal(String xid) {
        GlobalData g = global(xid);
        if (g == null) {
            throw new StoreException("index points at missing global " + xid);
        }
        return g;
    }

    static GlobalTxRecord toRecord(GlobalData g) {
        return new GlobalTxRecord(g.getTransactionId(), g.getXid(), g.getApplicationId(),
                g.getTransactionServiceGroup(), g.getName(), g.getTimeoutMillis(), g.getBeginTime(),
                g.getDeadline(), GlobalStatus.of(g.getStatus()),
                g.hasApplicationData() ? g.getApplicationData() : null);
    }

    static BranchRecord toRecord(BranchData b) {
        return new BranchRecord(b.getBranchId(), b.getXid(), b.getTransactionId(), b.getResourceId(),
                BranchType.of(b.getBranchType()), b.hasLockKey() ? b.getLockKey() : null, b.getClientId(),
                b.hasApplicationData() ? b.getApplicationData() : null, BranchStatus.of(b.getStatus()),
                b.getOrder());
    }

    static EndedRecord toRecord(EndedData e) {
        return new EndedRecord(e.getXid(), e.getTransactionId(), GlobalStatus.of(e.getStatus()), e.getEndTime());
    }

    /** The console's view of a live transaction ({@code branches} null when not asked for). */
    static ConsoleTx toConsole(GlobalData g, List<BranchRecord> branches) {
        return new ConsoleTx(g.getTransactionId(), g.getXid(), GlobalStatus.of(g.getStatus()), g.getApplicationId(),
                g.getTransactionServiceGroup(), g.getName(), g.getTimeoutMillis(), g.getBeginTime(),
                g.hasApplicationData() ? g.getApplicationData() : null, true, 0, g.getControlBy(),
                g.getControlTime(), branches);
    }

    /** The console's view of an ended (retained) transaction: no branches any more. */
    static ConsoleTx toConsole(EndedData e) {
        return new ConsoleTx(e.getTransactionId(), e.getXid(), GlobalStatus.of(e.getStatus()), e.getApplicationId(),
                e.getTransactionServiceGroup(), e.getName(), e.getTimeoutMillis(), e.getBeginTime(), null, false,
                e.getEndTime(), e.getEndedBy(), e.getEndedBy().isEmpty() ? 0 : e.getEndTime(), List.of());
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parser<T> p, String what) {
        try {
            return p.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("undecodable stored " + what, e);
        }
    }
}
