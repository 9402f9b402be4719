package io.tessera.compat.modes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.integration.tx.api.util.ProxyUtil;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * TCC through the annotation API without Spring: {@link ProxyUtil#createProxy} wraps the participant so
 * that each {@code @TwoPhaseBusinessAction} call registers a TCC branch (Seata's TCC interceptor) and the
 * TCC resource manager later calls its confirm or cancel method from the coordinator's decision.
 */
final class TccScenario {
    private static final long INITIAL = 1_000;

    private final DataSource ds;
    private final TccAccounts accounts;

    TccScenario(Database db) throws Exception {
        ds = db.create("tcc");
        TccAccountsAction.createTables(ds, 3, INITIAL);
        accounts = ProxyUtil.createProxy(new TccAccountsAction().using(ds));
    }

    /** Account id -> balance, frozen and pending of that account, as one string. */
    private String account(int id) throws Exception {
        return Sql.queryString(ds, "SELECT balance FROM tcc_accounts WHERE id = ?", id) + "/"
                + Sql.queryString(ds, "SELECT frozen FROM tcc_accounts WHERE id = ?", id) + "/"
                + Sql.queryString(ds, "SELECT pending FROM tcc_accounts WHERE id = ?", id);
    }

    /** Debit 1, credit 2, commit: both confirmed. @return the xid */
    String commits() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(30_000, "tcc-transfer");
            accounts.debit(1, 30);
            accounts.credit(2, 30);
            tx.commit();
        } finally {
            RootContext.unbind();
        }
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals((INITIAL - 30) + "/0/0", account(1), "debit confirmed");
            assertEquals((INITIAL + 30) + "/0/0", account(2), "credit confirmed");
        });
        assertEquals(Map.of("CONFIRMED", 2L), states(tx.getXid()));
        return tx.getXid();
    }

    /** Debit 3, then a credit whose try fails; rollback cancels the debit and the (empty) credit. @return the xid */
    String failingTryRollsBack() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(30_000, "tcc-transfer-fails");
            accounts.debit(3, 20);
            assertEquals((INITIAL - 20) + "/20/0", account(3), "debit tried: money frozen");
            assertThrows(RuntimeException.class, () -> accounts.credit(TccAccountsAction.MISSING_ACCOUNT, 20));
            tx.rollback();
        } finally {
            RootContext.unbind();
        }
        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertEquals(INITIAL + "/0/0", account(3), "debit cancelled"));
        assertEquals(Map.of("CANCELLED", 1L, "CANCELLED_EMPTY", 1L), states(tx.getXid()),
                "the debit cancelled, the failed credit's cancel found nothing to undo");
        return tx.getXid();
    }

    private Map<String, Long> states(String xid) throws Exception {
        return Sql.map(ds, "SELECT state, COUNT(*) FROM tcc_ops WHERE xid = '" + xid + "' GROUP BY state");
    }
}
