package io.tessera.coordinator.console;

import io.tessera.raft.tx.BranchRecord;
import io.tessera.raft.tx.ConsolePage;
import io.tessera.raft.tx.ConsoleTx;
import io.tessera.raft.tx.LockRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seata 2.5's console JSON, field by field (server/.../console/entity/vo and common/.../result): the
 * envelopes SingleResult and PageResult, GlobalSessionVO, BranchSessionVO, GlobalLockVO. Ids are strings
 * as in Seata's VOs, times numbers; fields Seata's raft mode leaves null stay null. Tessera's additions
 * (documented in docs/console-api.md) come after Seata's fields and are ignored by Seata's front end.
 */
final class ConsoleJson {
    static final String SUCCESS = "200";
    static final String FAIL = "500";

    private ConsoleJson() {
    }

    /** SingleResult: code, message, data (null included), success. */
    static Map<String, Object> single(String code, String message, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        m.put("data", data);
        m.put("success", SUCCESS.equals(code));
        return m;
    }

    static Map<String, Object> ok(Object data) {
        return single(SUCCESS, "success", data);
    }

    static Map<String, Object> failure(String message) {
        return single(FAIL, message, null);
    }

    /** PageResult: code, message, data, total, pages, pageNum, pageSize, currPage (= pageNum), success. */
    static Map<String, Object> page(List<?> data, long total, int pageNum, int pageSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", SUCCESS);
        m.put("message", "success");
        m.put("data", data);
        m.put("total", total);
        m.put("pages", total / pageSize + (total % pageSize == 0 ? 0 : 1));
        m.put("pageNum", pageNum);
        m.put("pageSize", pageSize);
        m.put("currPage", pageNum);
        m.put("success", true);
        return m;
    }

    static List<Map<String, Object>> globals(ConsolePage<ConsoleTx> page) {
        List<Map<String, Object>> out = new ArrayList<>(page.items().size());
        for (ConsoleTx tx : page.items()) {
            out.add(global(tx));
        }
        return out;
    }

    static Map<String, Object> global(ConsoleTx tx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("xid", tx.xid());
        m.put("transactionId", String.valueOf(tx.transactionId()));
        m.put("status", tx.status().code());
        m.put("applicationId", tx.applicationId());
        m.put("transactionServiceGroup", tx.transactionServiceGroup());
        m.put("transactionName", tx.name());
        m.put("timeout", tx.timeoutMillis());
        m.put("beginTime", tx.beginTime());
        m.put("applicationData", tx.applicationData());
        m.put("gmtCreate", null);
        m.put("gmtModified", null);
        if (tx.branches() == null) {
            m.put("branchSessionVOs", null);
        } else {
            List<Map<String, Object>> branches = new ArrayList<>(tx.branches().size());
            for (BranchRecord b : tx.branches()) {
                branches.add(branch(b));
            }
            m.put("branchSessionVOs", branches);
        }
        // Tessera: ended transactions are listed too (retained until purged), and operator actions are recorded.
        m.put("live", tx.live());
        m.put("endTime", tx.live() ? null : tx.endTime());
        m.put("lastActionBy", tx.controlBy().isEmpty() ? null : tx.controlBy());
        m.put("lastActionTime", tx.controlBy().isEmpty() ? null : tx.controlTime());
        return m;
    }

    static Map<String, Object> branch(BranchRecord b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("xid", b.xid());
        m.put("transactionId", String.valueOf(b.transactionId()));
        m.put("branchId", String.valueOf(b.branchId()));
        m.put("resourceGroupId", null);
        m.put("resourceId", b.resourceId());
        m.put("branchType", b.branchType().name());
        m.put("status", b.status().code());
        m.put("clientId", b.clientId());
        m.put("applicationData", b.applicationData());
        m.put("gmtCreate", null);
        m.put("gmtModified", null);
        // Tessera: the lock key the branch registered (what the RM locked).
        m.put("lockKey", b.lockKey());
        return m;
    }

    static List<Map<String, Object>> locks(ConsolePage<LockRow> page) {
        List<Map<String, Object>> out = new ArrayList<>(page.items().size());
        for (LockRow r : page.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("xid", r.xid());
            m.put("transactionId", String.valueOf(r.transactionId()));
            m.put("branchId", String.valueOf(r.branchId()));
            m.put("resourceId", r.resourceId());
            m.put("tableName", r.tableName());
            m.put("pk", r.pk());
            // Seata's db-mode row key (its raft mode leaves it null): resourceId^^^tableName^^^pk.
            m.put("rowKey", r.resourceId() + "^^^" + r.tableName() + "^^^" + r.pk());
            m.put("vgroup", r.transactionServiceGroup());
            m.put("gmtCreate", null);
            m.put("gmtModified", null);
            out.add(m);
        }
        return out;
    }
}
