package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.LockData;
import java.util.HexFormat;
import java.util.Map;

/** Human-readable dump of every table (including the indexes), for golden files and failure messages. */
final class StateDump {
    private StateDump() {
    }

    static String dump(TxStateMachine machine, Map<Long, String> branchAliases) {
        return machine.store().read(kv -> {
            TxTables t = new TxTables(kv);
            StringBuilder sb = new StringBuilder("applied=").append(machine.lastAppliedIndex()).append('\n');
            kv.scan(Table.GLOBALS, new byte[0], (k, v) -> {
                GlobalData g = t.global(StoreKeys.str(k));
                sb.append("global ").append(g.getXid()).append(" app=").append(g.getApplicationId())
                        .append(" grp=").append(g.getTransactionServiceGroup()).append(" name=").append(g.getName())
                        .append(" timeout=").append(g.getTimeoutMillis()).append(" begin=").append(g.getBeginTime())
                        .append(" deadline=").append(g.getDeadline()).append(" status=")
                        .append(GlobalStatus.of(g.getStatus()))
                        .append(" data=").append(g.hasApplicationData() ? g.getApplicationData() : "-").append('\n');
                for (var b : t.branches(g.getXid())) {
                    BranchRecord r = TxTables.toRecord(b);
                    sb.append("  branch ").append(branchAliases.getOrDefault(r.branchId(), "#" + r.branchId()))
                            .append(" order=").append(r.order()).append(' ').append(r.branchType())
                            .append(" res=").append(r.resourceId())
                            .append(" lock=").append(r.lockKey() == null ? "-" : r.lockKey())
                            .append(" client=").append(r.clientId()).append(" status=").append(r.status())
                            .append(" data=").append(r.applicationData() == null ? "-" : r.applicationData())
                            .append(" owns=").append(b.getOwnedRowsCount()).append('\n');
                }
                return true;
            });
            kv.scan(Table.LOCKS, new byte[0], (k, v) -> {
                String[] row = StoreKeys.rowParts(k);
                LockData l = t.lock(k);
                sb.append("lock ").append(row[0]).append(' ').append(row[1]).append(':').append(row[2])
                        .append(" -> ").append(l.getXid()).append(' ')
                        .append(branchAliases.getOrDefault(l.getBranchId(), "#" + l.getBranchId())).append('\n');
                return true;
            });
            kv.scan(Table.ENDED, new byte[0], (k, v) -> {
                EndedData e = t.ended(StoreKeys.str(k));
                sb.append("ended ").append(e.getXid()).append(" status=").append(GlobalStatus.of(e.getStatus()))
                        .append(" end=").append(e.getEndTime()).append('\n');
                return true;
            });
            kv.scan(Table.STATUS_INDEX, new byte[0], (k, v) -> {
                sb.append("idx status=").append(GlobalStatus.of(k[0] & 0xff)).append(' ').append(StoreKeys.str(v)).append('\n');
                return true;
            });
            kv.scan(Table.DEADLINE_INDEX, new byte[0], (k, v) -> {
                sb.append("idx deadline=").append(StoreKeys.timeOf(k)).append(' ').append(StoreKeys.str(v)).append('\n');
                return true;
            });
            kv.scan(Table.ENDED_TIME_INDEX, new byte[0], (k, v) -> {
                sb.append("idx ended=").append(StoreKeys.timeOf(k)).append(' ').append(StoreKeys.str(v)).append('\n');
                return true;
            });
            AuthSnapshot auth = new AuthTable(kv).snapshot();
            if (auth.tokenKey() != null) {
                TokenKeyRecord k = auth.tokenKey();
                sb.append("tokenkey gen=").append(k.generation()).append(" key=")
                        .append(HexFormat.of().formatHex(k.key())).append(" set=").append(k.setTime())
                        .append(" by=").append(k.requestedBy()).append('\n');
            }
            for (ControlRole role : ControlRole.values()) {
                auth.credentials(role).ifPresent(c -> sb.append("credentials ").append(role.wireName())
                        .append(" user=").append(c.username()).append(" salt=").append(HexFormat.of().formatHex(c.salt()))
                        .append(" hash=").append(HexFormat.of().formatHex(c.hash())).append(" iter=")
                        .append(c.iterations()).append(" set=").append(c.setTime()).append(" by=")
                        .append(c.requestedBy()).append('\n'));
            }
            for (MemberRecord m : new MemberTable(kv).records()) {
                sb.append("member ").append(m.spec()).append(" set=").append(m.setTime()).append(" by=")
                        .append(m.requestedBy()).append('\n');
            }
            return sb.toString().stripTrailing();
        });
    }
}
