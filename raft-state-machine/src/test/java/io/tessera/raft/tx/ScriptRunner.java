package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.proto.TxCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interprets the golden-file command language against a {@link Harness}. Aliases keep the files
 * readable: {@code begin x1 ...} binds x1 to the stamped xid, every successful register binds the next
 * b-alias (b1, b2, ...). Output replaces real xids and branch ids by their aliases. An alias that was
 * never bound is used literally as the xid (an unknown transaction).
 *
 * <pre>
 * begin X APP GROUP NAME [timeout=MS] [data=JSON]      register X TYPE RESOURCE LOCKKEY|- [data=JSON] [client=ID]
 * report X B STATUS [data=JSON]                          commit X | rollback X | timeout X
 * result X B BRANCHSTATUS                                greport X GLOBALSTATUS | end X GLOBALSTATUS
 * results X B:BRANCHSTATUS B:BRANCHSTATUS ...  (one BranchPhaseTwoResults entry)
 * purge retention=MS [max=N]                             noop
 * tokenkey KEYHEX [ifabsent] [by=WHO]                    credentials ROLE USER SALTHEX HASHHEX [iter=N] [by=WHO]
 * member ID HOST:CONTROL:TRANSACTION:RAFT [by=WHO]      unmember ID [by=WHO]
 * members  (the member directory as the read API shows it)
 * auth   (the auth state as the read API shows it)     forged CMD  (stamp time only, past the stamper's checks)
 * batch CMD || CMD ...   (one applyBatch)                lockable RESOURCE LOCKKEY X
 * bystatus STATUS [limit=N]                              expired MS [limit=N]
 * console KIND X [B] [failed] [by=WHO]   (ConsoleAction; KIND = STOP_GLOBAL, ..., B a branch alias or -)
 * query [xid=X] [app=A] [status=S] [name=N] [from=MS] [to=MS] [branches] [page=N] [size=N]
 * locks [xid=X] [table=T] [res=R] [pk=P] [txid=X] [branch=B] [from=MS] [to=MS] [page=N] [size=N]
 * counts (statuses and held locks from the console counters)
 * dump
 * every applying command takes [at=MS] to move the leader clock first
 * </pre>
 */
final class ScriptRunner {
    static final String XID_PREFIX = "10.0.0.1:8091";
    private final Harness h;
    private final Map<String, String> xids = new LinkedHashMap<>();
    private final Map<String, Long> branches = new LinkedHashMap<>();
    private int branchCounter;

    private record Draft(TxCommand bytes, String beginAlias) {
    }

    ScriptRunner(Harness h) {
        this.h = h;
    }

    String run(String line) throws ApplyHaltException {
        String[] words = line.trim().split("\\s+");
        return switch (words[0]) {
            case "batch" -> batch(line.trim().substring("batch".length()));
            case "lockable" -> lockable(words);
            case "bystatus" -> names(h.view().byStatus(GlobalStatus.valueOf(words[1]), intOpt(words, "limit", 100)));
            case "expired" -> names(h.view().expiredAt(Long.parseLong(words[1]), intOpt(words, "limit", 100)));
            case "dump" -> alias(StateDump.dump(h.machine, branchAliases()));
            case "query" -> query(words);
            case "locks" -> locks(words);
            case "counts" -> h.view().statusCounts() + " locks=" + h.view().lockCount();
            case "auth" -> authView();
            case "members" -> h.view().members().isEmpty() ? "no members" : String.join("\n", h.view().members()
                    .stream().map(m -> m.spec() + " set=" + m.setTime() + " by=" + m.requestedBy()).toList());
            case "forged" -> describe(h.applyForged(draft(java.util.Arrays.copyOfRange(words, 1, words.length)).bytes()));
            default -> applyDrafts(List.of(draft(words)));
        };
    }

    private String authView() {
        TxView v = h.view();
        StringBuilder sb = new StringBuilder(v.tokenKey().map(k -> "key gen=" + k.generation() + " set=" + k.setTime()
                + " by=" + k.requestedBy()).orElse("no key"));
        for (ControlRole role : ControlRole.values()) {
            sb.append('\n').append(role.wireName()).append(": ").append(v.controlCredentials(role)
                    .map(c -> "user=" + c.username() + " iter=" + c.iterations() + " set=" + c.setTime())
                    .orElse("configured"));
        }
        return sb.toString();
    }

    private String lockable(String[] w) {
        try {
            return String.valueOf(h.view().lockable(w[1], w[2], xid(w[3])));
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    private String batch(String rest) throws ApplyHaltException {
        List<Draft> drafts = new ArrayList<>();
        for (String part : rest.split("\\|\\|")) {
            drafts.add(draft(part.trim().split("\\s+")));
        }
        return applyDrafts(drafts);
    }

    private String applyDrafts(List<Draft> drafts) throws ApplyHaltException {
        List<TxOutcome> out = h.applyAll(drafts.stream().map(Draft::bytes).toList());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < out.size(); i++) {
            TxOutcome o = out.get(i);
            if (drafts.get(i).beginAlias() != null && o.success()) {
                xids.put(drafts.get(i).beginAlias(), o.xid());
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(describe(o));
        }
        return sb.toString();
    }

    private Draft draft(String[] w) {
        Map<String, String> opt = options(w);
        if (opt.containsKey("at")) {
            h.at(Long.parseLong(opt.get("at")));
        }
        TxCommands c = h.commands;
        if (w[0].equals("begin")) {
            return new Draft(c.begin(XID_PREFIX, w[2], w[3], w[4], Long.parseLong(opt.getOrDefault("timeout", "60000")),
                    opt.get("data")), w[1]);
        }
        return new Draft(switch (w[0]) {
            case "register" -> c.register(xid(w[1]), BranchType.valueOf(w[2]), w[3], w[4].equals("-") ? null : w[4],
                    opt.getOrDefault("client", "app:127.0.0.1:1000"), opt.get("data"));
            case "report" -> c.report(xid(w[1]), branch(w[2]), BranchStatus.valueOf(w[3]), opt.get("data"));
            case "commit" -> c.commit(xid(w[1]));
            case "rollback" -> c.rollback(xid(w[1]));
            case "timeout" -> c.timeout(xid(w[1]));
            case "result" -> c.phaseTwoResult(xid(w[1]), branch(w[2]), BranchStatus.valueOf(w[3]));
            case "results" -> c.phaseTwoResults(xid(w[1]), java.util.Arrays.stream(w, 2, w.length)
                    .filter(x -> !x.contains("="))
                    .map(x -> new BranchResult(branch(x.substring(0, x.indexOf(':'))),
                            BranchStatus.valueOf(x.substring(x.indexOf(':') + 1))))
                    .toList());
            case "greport" -> c.reportGlobal(xid(w[1]), GlobalStatus.valueOf(w[2]));
            case "end" -> c.end(xid(w[1]), GlobalStatus.valueOf(w[2]));
            case "park" -> c.park(xid(w[1]), GlobalStatus.valueOf(w[2]), Long.parseLong(opt.getOrDefault("timeout", "0")),
                    java.util.Arrays.asList(w).contains("unlock"));
            case "purge" -> c.purgeEnded(Long.parseLong(opt.get("retention")), Integer.parseInt(opt.getOrDefault("max", "0")));
            case "noop" -> c.noop();
            case "tokenkey" -> c.setTokenKey(HexFormat.of().parseHex(w[1]), opt.getOrDefault("by", "script"),
                    java.util.Arrays.asList(w).contains("ifabsent"));
            case "credentials" -> c.setCredentials(ControlRole.valueOf(w[1].toUpperCase(java.util.Locale.ROOT)), w[2],
                    HexFormat.of().parseHex(w[3]), HexFormat.of().parseHex(w[4]),
                    Integer.parseInt(opt.getOrDefault("iter", "100000")), opt.getOrDefault("by", "script"));
            case "member" -> {
                String[] e = w[2].split(":");
                yield c.setMember(w[1], e[0], Integer.parseInt(e[1]), Integer.parseInt(e[2]), Integer.parseInt(e[3]),
                        opt.getOrDefault("by", "script"));
            }
            case "unmember" -> c.removeMember(w[1], opt.getOrDefault("by", "script"));
            case "console" -> c.console(io.tessera.raft.proto.ConsoleActionKind.valueOf(w[1]), xid(w[2]),
                    w.length > 3 && !w[3].contains("=") && !w[3].equals("failed") && !w[3].equals("-") ? branch(w[3]) : 0,
                    java.util.Arrays.asList(w).contains("failed"), opt.getOrDefault("by", "admin 'ops' from 10.0.0.5 via n1"));
            default -> throw new IllegalArgumentException("unknown script command: " + w[0]);
        }, null);
    }

    private String describe(TxOutcome o) {
        StringBuilder sb = new StringBuilder(o.success() ? "ok " : "FAILED ").append(o.globalStatus());
        if (o.applied()) {
            sb.append(" applied");
        }
        if (!o.success()) {
            sb.append(" code=").append(o.exceptionCode());
        }
        if (o.branchId() != 0) {
            sb.append(" branch=").append(branchAlias(o));
        }
        if (o.count() != 0) {
            sb.append(" count=").append(o.count());
        }
        if (!o.message().isEmpty()) {
            sb.append(" msg=").append(o.message());
        }
        return alias(sb.toString());
    }

    private String branchAlias(TxOutcome o) {
        for (Map.Entry<String, Long> e : branches.entrySet()) {
            if (e.getValue() == o.branchId()) {
                return e.getKey();
            }
        }
        if (!(o.success() && o.applied())) {
            return "#" + o.branchId();
        }
        String a = "b" + (++branchCounter);
        branches.put(a, o.branchId());
        return a;
    }

    private Map<Long, String> branchAliases() {
        Map<Long, String> m = new HashMap<>();
        branches.forEach((a, id) -> m.put(id, a));
        return m;
    }

    private String alias(String s) {
        List<Map.Entry<String, String>> byLength = new ArrayList<>(xids.entrySet());
        byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        for (Map.Entry<String, String> e : byLength) {
            s = s.replace(e.getValue(), e.getKey());
        }
        for (Map.Entry<String, Long> e : branches.entrySet()) {
            s = s.replace("branchId = " + e.getValue(), "branchId = " + e.getKey())
                    .replace("branch " + e.getValue() + " ", "branch " + e.getKey() + " ");
        }
        return s;
    }

    private String xid(String alias) {
        return xids.getOrDefault(alias, alias);
    }

    private long branch(String alias) {
        Long id = branches.get(alias);
        return id != null ? id : 999_999L;
    }

    private String query(String[] w) {
        Map<String, String> o = options(w);
        ConsolePage<ConsoleTx> page = h.view().queryGlobals(new GlobalQuery(o.containsKey("xid") ? xid(o.get("xid")) : null,
                o.get("app"), o.containsKey("status") ? GlobalStatus.valueOf(o.get("status")) : null, o.get("name"),
                o.containsKey("from") ? Long.valueOf(o.get("from")) : null, o.containsKey("to") ? Long.valueOf(o.get("to")) : null,
                java.util.Arrays.asList(w).contains("branches"), intOpt(w, "page", 1), intOpt(w, "size", 10)));
        StringBuilder sb = new StringBuilder("total=" + page.total() + " read=" + page.recordsRead());
        for (ConsoleTx tx : page.items()) {
            sb.append("\n").append(tx.xid()).append(' ').append(tx.status()).append(tx.live() ? " live" : " ended")
                    .append(" app=").append(tx.applicationId()).append(" name=").append(tx.name())
                    .append(" begin=").append(tx.beginTime());
            if (!tx.controlBy().isEmpty()) {
                sb.append(" by=[").append(tx.controlBy()).append("] at=").append(tx.controlTime());
            }
            if (tx.branches() != null) {
                for (BranchRecord b : tx.branches()) {
                    sb.append("\n  branch ").append(branchAliases().getOrDefault(b.branchId(), "#" + b.branchId()))
                            .append(' ').append(b.status());
                }
            }
        }
        return alias(sb.toString());
    }

    private String locks(String[] w) {
        Map<String, String> o = options(w);
        ConsolePage<LockRow> page = h.view().queryLocks(new LockQuery(o.containsKey("xid") ? xid(o.get("xid")) : null,
                o.get("table"), o.containsKey("txid") ? Long.valueOf(o.get("txid")) : null,
                o.containsKey("branch") ? branch(o.get("branch")) : null, o.get("pk"), o.get("res"),
                o.containsKey("from") ? Long.valueOf(o.get("from")) : null, o.containsKey("to") ? Long.valueOf(o.get("to")) : null,
                intOpt(w, "page", 1), intOpt(w, "size", 10)));
        StringBuilder sb = new StringBuilder("total=" + page.total() + " read=" + page.recordsRead());
        for (LockRow r : page.items()) {
            sb.append("\n").append(r.resourceId()).append(' ').append(r.tableName()).append(':').append(r.pk())
                    .append(" -> ").append(r.xid()).append(' ')
                    .append(branchAliases().getOrDefault(r.branchId(), "#" + r.branchId()))
                    .append(" grp=").append(r.transactionServiceGroup());
        }
        return alias(sb.toString());
    }

    private String names(List<GlobalTxRecord> records) {
        return records.isEmpty() ? "(none)" : alias(String.join(" ", records.stream().map(GlobalTxRecord::xid).toList()));
    }

    private static Map<String, String> options(String[] w) {
        Map<String, String> m = new HashMap<>();
        for (String s : w) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                m.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return m;
    }

    private static int intOpt(String[] w, String key, int def) {
        String v = options(w).get(key);
        return v == null ? def : Integer.parseInt(v);
    }
}
