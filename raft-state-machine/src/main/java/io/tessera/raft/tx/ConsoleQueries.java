package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.LockData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's queries over one consistent read ({@link Kv} snapshot), through {@link ConsoleIndex}.
 * A transaction query walks the smallest index that covers one of its filters (sizes from the counters),
 * newest first, with the time bounds as a key range; the other filters are checked on the records read.
 * Without such other filters and without time bounds the total is the counter and skipped entries are
 * never read, so the first page costs one seek and pageSize record reads however many are retained.
 */
final class ConsoleQueries {
    private final Kv kv;
    private final TxTables t;
    private final ConsoleIndex idx;
    private long reads;

    ConsoleQueries(Kv kv) {
        this.kv = kv;
        this.t = new TxTables(kv);
        this.idx = new ConsoleIndex(kv);
    }

    ConsolePage<ConsoleTx> globals(GlobalQuery q) {
        long lo = q.timeStart() == null ? Long.MIN_VALUE : Math.floorDiv(q.timeStart(), 1000) * 1000;
        long hi = q.timeEnd() == null ? Long.MAX_VALUE : Math.floorDiv(q.timeEnd(), 1000) * 1000 + 999;
        long skip = (long) (q.pageNum() - 1) * q.pageSize();
        List<ConsoleTx> items = new ArrayList<>();
        if (q.xid() != null) {
            ConsoleTx tx = read(q.xid(), q.withBranch());
            boolean match = tx != null && matches(tx, q, true, true, true) && tx.beginTime() >= lo && tx.beginTime() <= hi;
            if (match && skip == 0) {
                items.add(tx);
            }
            return new ConsolePage<>(items, match ? 1 : 0, reads);
        }
        // The smallest of the indexes the filters allow.
        byte[] prefix = {ConsoleIndex.ALL};
        long size = idx.count(prefix);
        char by = 'A';
        if (q.status() != null && idx.count(ConsoleIndex.statusPrefix(q.status().code())) <= size) {
            prefix = ConsoleIndex.statusPrefix(q.status().code());
            size = idx.count(prefix);
            by = 'S';
        }
        if (q.applicationId() != null && idx.count(ConsoleIndex.stringPrefix(ConsoleIndex.APP, q.applicationId())) <= size) {
            prefix = ConsoleIndex.stringPrefix(ConsoleIndex.APP, q.applicationId());
            size = idx.count(prefix);
            by = 'P';
        }
        if (q.transactionName() != null && idx.count(ConsoleIndex.stringPrefix(ConsoleIndex.NAME, q.transactionName())) <= size) {
            prefix = ConsoleIndex.stringPrefix(ConsoleIndex.NAME, q.transactionName());
            size = idx.count(prefix);
            by = 'N';
        }
        boolean checkStatus = q.status() != null && by != 'S';
        boolean checkApp = q.applicationId() != null && by != 'P';
        boolean checkName = q.transactionName() != null && by != 'N';
        boolean residual = checkStatus || checkApp || checkName;
        boolean timed = q.timeStart() != null || q.timeEnd() != null;
        int prefixLength = prefix.length;
        byte[] start = hi == Long.MAX_VALUE ? prefix : ConsoleIndex.key(prefix, hi, Long.MAX_VALUE);
        long[] matched = {0};
        long total;
        if (!residual && !timed) {
            // Total from the counter; skipped entries are passed over as keys, only the page is read.
            total = size;
            if (skip < total) {
                kv.scanFrom(Table.CONSOLE_INDEX, prefix, start, (k, v) -> {
                    if (matched[0]++ < skip) {
                        return true;
                    }
                    items.add(require(StoreKeys.str(v), q.withBranch()));
                    return items.size() < q.pageSize();
                });
            }
            return new ConsolePage<>(items, total, reads);
        }
        long lastWanted = skip + q.pageSize();
        kv.scanFrom(Table.CONSOLE_INDEX, prefix, start, (k, v) -> {
            if (ConsoleIndex.beginTimeOf(k, prefixLength) < lo) {
                return false;
            }
            ConsoleTx tx = null;
            if (residual) {
                tx = require(StoreKeys.str(v), q.withBranch() && matched[0] >= skip && matched[0] < lastWanted);
                if (!matches(tx, q, checkStatus, checkApp, checkName)) {
                    return true;
                }
            }
            if (matched[0] >= skip && matched[0] < lastWanted) {
                items.add(tx != null ? tx : require(StoreKeys.str(v), q.withBranch()));
            }
            matched[0]++;
            return true;
        });
        return new ConsolePage<>(items, matched[0], reads);
    }

    private static boolean matches(ConsoleTx tx, GlobalQuery q, boolean status, boolean app, boolean name) {
        return (!status || q.status() == null || tx.status() == q.status())
                && (!app || q.applicationId() == null || tx.applicationId().equals(q.applicationId()))
                && (!name || q.transactionName() == null || tx.name().equals(q.transactionName()));
    }

    private ConsoleTx require(String xid, boolean withBranches) {
        ConsoleTx tx = read(xid, withBranches);
        if (tx == null) {
            throw new StoreException("console index points at missing transaction " + xid);
        }
        return tx;
    }

    /** The live or retained transaction {@code xid}, or null. */
    private ConsoleTx read(String xid, boolean withBranches) {
        reads++;
        GlobalData g = t.global(xid);
        if (g != null) {
            return TxTables.toConsole(g, withBranches ? t.branches(g).stream().map(TxTables::toRecord).toList() : null);
        }
        EndedData e = t.ended(xid);
        return e == null ? null : TxTables.toConsole(e);
    }

    ConsolePage<LockRow> locks(LockQuery q) {
        long lo = q.timeStart() == null ? Long.MIN_VALUE : Math.floorDiv(q.timeStart(), 1000) * 1000;
        long hi = q.timeEnd() == null ? Long.MAX_VALUE : Math.floorDiv(q.timeEnd(), 1000) * 1000 + 999;
        boolean timed = q.timeStart() != null || q.timeEnd() != null;
        long skip = (long) (q.pageNum() - 1) * q.pageSize();
        long lastWanted = skip + q.pageSize();
        List<LockRow> items = new ArrayList<>();
        Map<String, GlobalData> holders = new HashMap<>();
        long[] matched = {0};
        RowVisitor visit = (row, lock) -> {
            String[] parts = StoreKeys.rowParts(row);
            if ((q.xid() != null && !q.xid().equals(lock.getXid()))
                    || (q.resourceId() != null && !q.resourceId().equals(parts[0]))
                    || (q.tableName() != null && !q.tableName().equals(parts[1]))
                    || (q.pk() != null && !q.pk().equals(parts[2]))
                    || (q.transactionId() != null && q.transactionId() != lock.getTransactionId())
                    || (q.branchId() != null && q.branchId() != lock.getBranchId())) {
                return;
            }
            boolean inPage = matched[0] >= skip && matched[0] < lastWanted;
            GlobalData holder = timed || inPage ? holders.computeIfAbsent(lock.getXid(), this::globalRead) : null;
            if (timed && (holder == null || holder.getBeginTime() < lo || holder.getBeginTime() > hi)) {
                return;
            }
            if (inPage) {
                items.add(new LockRow(lock.getXid(), lock.getTransactionId(), lock.getBranchId(), parts[0], parts[1],
                        parts[2], holder == null ? "" : holder.getTransactionServiceGroup(),
                        holder == null ? 0 : holder.getBeginTime()));
            }
            matched[0]++;
        };
        if (q.xid() != null) {
            GlobalData g = globalRead(q.xid());
            if (g != null) {
                for (BranchData b : t.branches(g)) {
                    for (var owned : b.getOwnedRowsList()) {
                        byte[] row = owned.toByteArray();
                        LockData l = lockRead(row);
                        if (l != null && l.getBranchId() == b.getBranchId()) {
                            visit.visit(row, l);
                        }
                    }
                }
            }
        } else if (q.resourceId() != null) {
            byte[] prefix = resourcePrefix(q.resourceId(), q.tableName());
            kv.scan(Table.LOCKS, prefix, (k, v) -> {
                visit.visit(k, parseLock(v));
                return true;
            });
        } else if (q.tableName() != null) {
            kv.scan(Table.CONSOLE_INDEX, ConsoleIndex.tablePrefix(q.tableName()), (k, v) -> {
                byte[] row = ConsoleIndex.rowOfTableKey(k);
                LockData l = lockRead(row);
                if (l == null) {
                    throw new StoreException("console lock index points at a free row");
                }
                visit.visit(row, l);
                return true;
            });
        } else if (q.transactionId() == null && q.branchId() == null && q.pk() == null && !timed) {
            long total = idx.count(ConsoleIndex.LOCKS_COUNT);
            kv.scan(Table.LOCKS, new byte[0], (k, v) -> {
                if (matched[0] < skip) {
                    matched[0]++;
                    return true;
                }
                visit.visit(k, parseLock(v));
                return items.size() < q.pageSize();
            });
            return new ConsolePage<>(items, total, reads);
        } else {
            kv.scan(Table.LOCKS, new byte[0], (k, v) -> {
                visit.visit(k, parseLock(v));
                return true;
            });
        }
        return new ConsolePage<>(items, matched[0], reads);
    }

    private interface RowVisitor {
        void visit(byte[] row, LockData lock);
    }

    private static byte[] resourcePrefix(String resourceId, String table) {
        byte[] r = StoreKeys.utf8(resourceId);
        if (table == null) {
            return java.nio.ByteBuffer.allocate(4 + r.length).putInt(r.length).put(r).array();
        }
        byte[] tb = StoreKeys.utf8(table);
        return java.nio.ByteBuffer.allocate(8 + r.length + tb.length).putInt(r.length).put(r).putInt(tb.length).put(tb)
                .array();
    }

    private GlobalData globalRead(String xid) {
        reads++;
        return t.global(xid);
    }

    private LockData lockRead(byte[] row) {
        reads++;
        return t.lock(row);
    }

    private LockData parseLock(byte[] v) {
        reads++;
        try {
            return LockData.parseFrom(v);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new StoreException("undecodable stored lock", e);
        }
    }

    /** globalLock/check: {@code xid} is live and has a branch {@code branchId}. */
    boolean hasBranch(String xid, long branchId) {
        GlobalData g = t.global(xid);
        return g != null && t.branch(g, branchId) != null;
    }

    /** Retained transactions per (live or final) status, and the number of held row locks (key null). */
    Map<GlobalStatus, Long> statusCounts() {
        Map<GlobalStatus, Long> out = new EnumMap<>(GlobalStatus.class);
        for (GlobalStatus s : GlobalStatus.values()) {
            long n = idx.count(ConsoleIndex.statusPrefix(s.code()));
            if (n > 0) {
                out.put(s, n);
            }
        }
        return out;
    }

    long lockCount() {
        return idx.count(ConsoleIndex.LOCKS_COUNT);
    }
}
