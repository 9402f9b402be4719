package io.tessera.compat.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.seata.saga.engine.StateMachineEngine;
import org.apache.seata.saga.engine.config.DbStateMachineConfig;
import org.apache.seata.saga.engine.impl.ProcessCtrlStateMachineEngine;
import org.apache.seata.saga.rm.StateMachineEngineHolder;
import org.apache.seata.saga.statelang.domain.ExecutionStatus;
import org.apache.seata.saga.statelang.domain.StateMachineInstance;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Saga through Seata's state-machine engine (DbStateMachineConfig + ProcessCtrlStateMachineEngine) on a
 * real database holding Seata's saga tables: a transfer that completes (global transaction committed)
 * and one whose credit step fails, so the engine compensates the debit (global transaction rolled back).
 * The services are beans of a plain Spring context: Seata's saga engine invokes ServiceTasks through
 * Spring (SpringBeanServiceInvoker) and evaluates its expressions with SpEL.
 */
final class SagaScenario {
    static final String MACHINE = "modesSagaTransfer";
    private static final long INITIAL = 1_000;

    private final DataSource ds;
    private final GenericApplicationContext context = new GenericApplicationContext();
    private final DbStateMachineConfig config = new DbStateMachineConfig();
    private final StateMachineEngine engine;

    SagaScenario(Database db) throws Exception {
        ds = db.create("saga");
        Sql.script(ds, "/modes/saga-" + db.dialect() + ".sql");
        SagaAccounts.createTables(ds, 3, INITIAL);
        SagaAccounts accounts = new SagaAccounts(ds);
        context.registerBean("sagaAccounts", SagaAccounts.class, () -> accounts);
        context.refresh();
        // Neither the context nor the config is closed by the test: DbStateMachineConfig.destroy() runs
        // Seata's ShutdownHook.destroyAll(), which destroys this JVM's TM and RM clients for every mode.
        config.setDataSource(ds);
        config.setApplicationContext(context);
        config.setResources(new String[] {"classpath:modes/saga-transfer.json"});
        config.setApplicationId(ModesClient.APP);
        config.setTxServiceGroup(ModesClient.GROUP);
        config.afterPropertiesSet();
        ProcessCtrlStateMachineEngine e = new ProcessCtrlStateMachineEngine();
        e.setStateMachineConfig(config);
        // What Seata's Spring configuration does: the SAGA resource manager finds the engine here for phase two.
        new StateMachineEngineHolder().setStateMachineEngine(e);
        engine = e;
    }

    private StateMachineInstance transfer(String businessKey, int from, int to, long amount) {
        Map<String, Object> params = new HashMap<>();
        params.put("businessKey", businessKey);
        params.put("from", from);
        params.put("to", to);
        params.put("amount", amount);
        return engine.startWithBusinessKey(MACHINE, null, businessKey, params);
    }

    /** Forward path: both steps succeed, the global transaction commits. @return its xid */
    String forwardCommits() throws Exception {
        StateMachineInstance inst = transfer("saga-ok-1", 1, 2, 100);
        assertEquals(ExecutionStatus.SU, inst.getStatus(), "state machine succeeded: " + inst.getException());
        assertEquals(900, Sql.queryLong(ds, "SELECT balance FROM saga_accounts WHERE id = 1"));
        assertEquals(1_100, Sql.queryLong(ds, "SELECT balance FROM saga_accounts WHERE id = 2"));
        return inst.getId();
    }

    /** Compensation path: credit fails, the debit is compensated, the global transaction rolls back. @return its xid */
    String failingStepIsCompensated() throws Exception {
        StateMachineInstance inst = transfer("saga-fail-1", 3, SagaAccounts.MISSING_ACCOUNT, 70);
        // Seata marks a run it compensated by itself (CompensationTrigger) UN forward, SU compensation.
        assertEquals(ExecutionStatus.UN, inst.getStatus(), "forward part did not complete");
        assertEquals(ExecutionStatus.SU, inst.getCompensationStatus(), "compensation succeeded");
        assertEquals(INITIAL, Sql.queryLong(ds, "SELECT balance FROM saga_accounts WHERE id = 3"), "debit compensated");
        assertEquals(0, Sql.queryLong(ds, "SELECT COUNT(*) FROM saga_ops WHERE business_key = 'saga-fail-1'"));
        return inst.getId();
    }
}
