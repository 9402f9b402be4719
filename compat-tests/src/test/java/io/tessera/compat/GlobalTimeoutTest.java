package io.tessera.compat;

import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.apache.seata.tm.api.TransactionalExecutor;
import org.apache.seata.tm.api.TransactionalTemplate;
import org.apache.seata.tm.api.transaction.Propagation;
import org.apache.seata.tm.api.transaction.TransactionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Global transaction timeouts as the real TM experiences them: the coordinator rolls back on its own. */
@Timeout(60)
class GlobalTimeoutTest extends RaftRegistryClusterTest {
    // Short, yet long enough for a cold client on a loaded box to register its branch before it expires.
    private static final int TIMEOUT_MS = 2_500;


    private static long register(String xid) throws TransactionException {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, "{\"t\":1}", null);
    }

    private static void awaitRollbackDelivered(String xid) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !client.recorder.callsFor(xid).isEmpty());
    }

    @Test
    void openTransactionPastItsTimeoutIsRolledBackAndALateCommitLearnsIt() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(TIMEOUT_MS, "compat-timeout");
        String xid = tx.getXid();
        long branch = register(xid);

        awaitRollbackDelivered(xid);
        assertEquals(List.of(new Call(false, BranchType.TCC, xid, branch, TCC_RESOURCE, "{\"t\":1}")),
                client.recorder.callsFor(xid));
        cluster.awaitEndedEverywhere(xid, GlobalStatus.TimeoutRollbacked);

        tx.commit();
        assertEquals(GlobalStatus.TimeoutRollbacked, tx.getLocalStatus());
        assertTrue(GlobalStatus.isOnePhaseTimeout(tx.getLocalStatus()),
                "the status on which TransactionalTemplate raises TransactionTimeout");
        TransactionException late = assertThrows(TransactionException.class,
                () -> DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, null, null));
        assertTrue(late.getCode() == TransactionExceptionCode.GlobalTransactionNotActive
                || late.getCode() == TransactionExceptionCode.GlobalTransactionNotExist, late.toString());
    }

    @Test
    void transactionalTemplateRaisesWhenTheBusinessOutlivesTheTimeout() {
        AtomicReference<String> xid = new AtomicReference<>();
        TransactionalExecutor business = new TransactionalExecutor() {
            @Override
            public Object execute() throws Throwable {
                xid.set(RootContext.getXID());
                register(xid.get());
                awaitRollbackDelivered(xid.get());
                return "done";
            }

            @Override
            public TransactionInfo getTransactionInfo() {
                TransactionInfo info = new TransactionInfo();
                info.setName("compat-template-timeout");
                info.setTimeOut(TIMEOUT_MS);
                info.setPropagation(Propagation.REQUIRED);
                return info;
            }
        };

        TransactionalExecutor.ExecutionException e = assertInstanceOf(TransactionalExecutor.ExecutionException.class,
                assertThrows(Throwable.class, () -> new TransactionalTemplate().execute(business)));
        assertEquals(TransactionalExecutor.Code.RollbackDone, e.getCode(), e.toString());
        assertEquals(GlobalStatus.TimeoutRollbacked, e.getTransaction().getLocalStatus());
        cluster.awaitEndedEverywhere(xid.get(), GlobalStatus.TimeoutRollbacked);
        assertEquals(1, client.recorder.callsFor(xid.get()).size(), "rolled back once, by the coordinator");
    }
}
