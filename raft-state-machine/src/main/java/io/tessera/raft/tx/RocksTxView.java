package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link TxView} over the store; every method is one {@link TxStore#read} (one RocksDB snapshot). */
final class RocksTxView implements TxView {
    private final TxStore store;
    private final Supplier<AuthSnapshot> auth;
    private final Supplier<List<MemberRecord>> members;

    RocksTxView(TxStore store, Supplier<AuthSnapshot> auth, Supplier<List<MemberRecord>> members) {
        this.store = store;
        this.auth = auth;
        this.members = members;
    }

    @Override
    public List<MemberRecord> members() {
        return members.get();
    }

    @Override
    public Optional<TokenKeyRecord> tokenKey() {
        return Optional.ofNullable(auth.get().tokenKey());
    }

    @Override
    public Optional<ControlCredentialsRecord> controlCredentials(ControlRole role) {
        return auth.get().credentials(role);
    }

    @Override
    public Optional<GlobalTxRecord> global(String xid) {
        return store.read(kv -> Optional.ofNullable(new TxTables(kv).global(xid)).map(TxTables::toRecord));
    }

    @Override
    public Optional<EndedRecord> ended(String xid) {
        return store.read(kv -> Optional.ofNullable(new TxTables(kv).ended(xid)).map(TxTables::toRecord));
    }

    @Override
    public Optional<GlobalStatus> status(String xid) {
        return store.read(kv -> {
            TxTables t = new TxTables(kv);
            var g = t.global(xid);
            if (g != null) {
                return Optional.of(GlobalStatus.of(g.getStatus()));
            }
            var e = t.ended(xid);
            return e == null ? Optional.empty() : Optional.of(GlobalStatus.of(e.getStatus()));
        });
    }

    @Override
    public List<BranchRecord> branches(String xid) {
        return store.read(kv -> new TxTables(kv).branches(xid).stream().map(TxTables::toRecord).toList());
    }

    @Override
    public boolean lockable(String resourceId, String lockKey, String xid) {
        List<byte[]> rows = LockKeys.rows(resourceId, lockKey);
        return store.read(kv -> new LockTable(new TxTables(kv)).lockable(rows, xid));
    }

    @Override
    public List<GlobalTxRecord> byStatus(GlobalStatus status, int limit) {
        return store.read(kv -> new TxTables(kv).byStatus(status, limit).stream().map(TxTables::toRecord).toList());
    }

    @Override
    public List<GlobalTxRecord> expiredAt(long nowMillis, int limit) {
        return store.read(kv -> new TxTables(kv).expiredAt(nowMillis, limit).stream().map(TxTables::toRecord).toList());
    }

    @Override
    public ConsolePage<ConsoleTx> queryGlobals(GlobalQuery query) {
        return store.read(kv -> new ConsoleQueries(kv).globals(query));
    }

    @Override
    public ConsolePage<LockRow> queryLocks(LockQuery query) {
        return store.read(kv -> new ConsoleQueries(kv).locks(query));
    }

    @Override
    public boolean hasBranch(String xid, long branchId) {
        return store.read(kv -> new ConsoleQueries(kv).hasBranch(xid, branchId));
    }

    @Override
    public java.util.Map<GlobalStatus, Long> statusCounts() {
        return store.read(kv -> new ConsoleQueries(kv).statusCounts());
    }

    @Override
    public long lockCount() {
        return store.read(kv -> new ConsoleQueries(kv).lockCount());
    }

    @Override
    public long lastAppliedIndex() {
        return store.lastAppliedIndex();
    }

    @Override
    public String digest() {
        return store.read(RocksTxView::digestOf);
    }

    @Override
    public IndexedDigest indexedDigest() {
        // One snapshot for both: the index is written in the same WriteBatch as the entries' effects.
        return store.read(kv -> {
            byte[] applied = kv.get(Table.META, StoreKeys.LAST_APPLIED);
            return new IndexedDigest(applied == null ? 0 : StoreKeys.longOf(applied), digestOf(kv));
        });
    }

    private static String digestOf(Kv kv) {
        MessageDigest md = sha256();
        for (Table t : Table.values()) {
            if (t == Table.META) {
                continue;
            }
            boolean[] named = {false};
            if (!t.addedLater()) {
                md.update(StoreKeys.utf8(t.cfName()));
                named[0] = true;
            }
            kv.scan(t, new byte[0], (k, v) -> {
                if (!named[0]) {
                    md.update(StoreKeys.utf8(t.cfName()));
                    named[0] = true;
                }
                md.update(ByteBuffer.allocate(4).putInt(k.length).array());
                md.update(k);
                md.update(ByteBuffer.allocate(4).putInt(v.length).array());
                md.update(v);
                return true;
            });
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
