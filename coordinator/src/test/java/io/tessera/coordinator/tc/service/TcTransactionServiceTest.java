package io.tessera.coordinator.tc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.RpcFrame;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.tc.port.AtResources;
import io.tessera.coordinator.testing.InProcessTxLog;
import io.tessera.coordinator.testing.ManualClock;
import io.tessera.coordinator.testing.ManualScheduler;
import io.tessera.coordinator.transport.AnswerWithheldException;
import io.tessera.coordinator.transport.ClientRole;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.tx.BranchResult;
import io.tessera.raft.tx.TxCommands;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TC service against the in-process port on virtual time: what each request proposes and what its
 * client hears, leaderless gaps and lost results included (issue 12).
 */
class TcTransactionServiceTest {
    private static final long BUDGET_MS = 4_000;
    private static final long WAIT_MS = 2_000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final TxCommands commands = new TxCommands();
    private final AtResources atResources = new AtResources();
    private InProcessTxLog log;
    private PhaseTwoWaiters waiters;
    private TcTransactionService service;
    private ClientSession tm;
    private ClientSession rm;

    @BeforeEach
    void wire() throws Exception {
        log = new InProcessTxLog(dir, scheduler);
        waiters = new PhaseTwoWaiters(log.view(), scheduler, WAIT_MS);
        log.addEventListener(waiters);
        service = new TcTransactionService(log, commands, waiters, new ReplyPolicy(), "10.0.0.1:8091",
                new TcOptions(BUDGET_MS, WAIT_MS, 1_000, 10_000, 60_000, 60_000), 5_000, scheduler, ClientAuth.off(),
                atResources);
        tm = session(ClientRole.TM, 40_001);
        rm = session(ClientRole.RM, 40_002);
        log.lead(1);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private static ClientSession session(ClientRole role, int port) {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", port);
            }
        };
        return new ClientSession(channel, role, "2.5.0", "orders", "tx-group", RpcFrame.CODEC_SEATA);
    }

    private CompletableFuture<Response> send(ClientSession s, Request r) {
        CompletableFuture<Response> f = service.handle(s, r);
        scheduler.runDue();
        return f;
    }

    private static <T> T answer(CompletableFuture<Response> f, Class<T> type) {
        assertTrue(f.isDone(), "answered");
        return assertInstanceOf(type, f.join());
    }

    private String begin() {
        GlobalBeginResponse r = answer(send(tm, new GlobalBeginRequest(60_000, "t")), GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private long register(String xid, BranchType type, String resource, String lockKey) {
        BranchRegisterResponse r = answer(send(rm, new BranchRegisterRequest(xid, type, resource, lockKey, null)),
                BranchRegisterResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.branchId();
    }

    private static boolean withheld(CompletableFuture<Response> f) {
        assertTrue(f.isDone(), "settled");
        try {
            f.join();
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof AnswerWithheldException;
        }
    }

    @Test
    void aCommitDuringALeaderlessGapIsNotAnsweredAndItsRetryHearsTheOutcome() {
        String xid = begin();
        log.loseLeadership();
        CompletableFuture<Response> commit = send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null));
        scheduler.advance(Duration.ofMillis(BUDGET_MS - 1));
        assertFalse(commit.isDone(), "still settling within the budget");
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(withheld(commit), "never a final-looking answer for an undecided transaction");
        assertEquals(GlobalStatus.Begin, log.view().status(xid).orElseThrow());

        log.lead(2);
        GlobalEndResponse retry = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null)), GlobalEndResponse.class);
        assertEquals(GlobalStatus.Committed, retry.globalStatus());
    }

    @Test
    void aCommitWhoseLeaderComesBackWithinTheBudgetIsAnswered() {
        String xid = begin();
        log.loseLeadership();
        CompletableFuture<Response> commit = send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null));
        scheduler.advance(Duration.ofMillis(3_000));
        log.lead(2);
        scheduler.runDue();
        assertEquals(GlobalStatus.Committed, answer(commit, GlobalEndResponse.class).globalStatus());
    }

    @Test
    void aCommitThatAppliedButLostItsResultIsSettledByProposingAgain() {
        String xid = begin();
        log.loseResultsOfNext(1);
        CompletableFuture<Response> commit = send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null));
        assertFalse(commit.isDone());
        scheduler.advance(Duration.ofMillis(100));
        GlobalEndResponse r = answer(commit, GlobalEndResponse.class);
        assertEquals(ResultCode.Success, r.resultCode());
        assertEquals(GlobalStatus.Committed, r.globalStatus());
        assertEquals(2, log.applied().stream().filter(c -> c.hasDecide()).count(), "proposed twice, decided once");
    }

    @Test
    void aTccCommitAnswersAfterTheFirstRound() {
        String xid = begin();
        long b = register(xid, BranchType.TCC, "deduct", null);
        CompletableFuture<Response> commit = send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null));
        assertFalse(commit.isDone(), "waits for phase two");
        waiters.confirmed(xid, GlobalStatus.Committed);
        scheduler.runDue();
        assertEquals(GlobalStatus.Committed, answer(commit, GlobalEndResponse.class).globalStatus());

        String x2 = begin();
        long b2 = register(x2, BranchType.TCC, "deduct", null);
        CompletableFuture<Response> c2 = send(tm, new GlobalEndRequest(Kind.COMMIT, x2, null));
        log.propose(commands.phaseTwoResults(x2, List.of(new BranchResult(b2, BranchStatus.PhaseTwo_CommitFailed_Retryable))),
                ProposalOptions.once(1_000));
        scheduler.runDue();
        assertEquals(GlobalStatus.CommitRetrying, answer(c2, GlobalEndResponse.class).globalStatus(),
                "the TM learns at once that phase two is retrying");

        String x3 = begin();
        register(x3, BranchType.TCC, "deduct", null);
        CompletableFuture<Response> c3 = send(tm, new GlobalEndRequest(Kind.COMMIT, x3, null));
        scheduler.advance(Duration.ofMillis(WAIT_MS));
        assertEquals(GlobalStatus.Committing, answer(c3, GlobalEndResponse.class).globalStatus(),
                "after the wait: the decision, which stands");
        assertTrue(b > 0);
    }

    @Test
    void anAtCommitIsAnsweredCommittedAtTheDecisionAndItsResourceIsRemembered() {
        String xid = begin();
        register(xid, BranchType.AT, "jdbc:mysql://db/orders", "t:1");
        GlobalEndResponse r = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null)), GlobalEndResponse.class);
        assertEquals(GlobalStatus.Committed, r.globalStatus());
        assertEquals(GlobalStatus.AsyncCommitting, log.view().status(xid).orElseThrow());
        assertEquals(Set.of("jdbc:mysql://db/orders"), atResources.snapshot());
    }

    @Test
    void aCommitOfARolledBackOrUnknownTransactionHearsFinished() {
        String xid = begin();
        register(xid, BranchType.TCC, "deduct", null);
        send(tm, new GlobalEndRequest(Kind.ROLLBACK, xid, null));
        GlobalEndResponse r = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null)), GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, r.resultCode());
        assertEquals(GlobalStatus.Finished, r.globalStatus(), "Rollbacking would read as a successful commit");
        GlobalEndResponse unknown = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, "10.0.0.1:8091:42", null)),
                GlobalEndResponse.class);
        assertEquals(GlobalStatus.Finished, unknown.globalStatus());
        assertEquals(TransactionExceptionCode.GlobalTransactionNotExist, unknown.exceptionCode());
    }

    @Test
    void aLateCommitOfATimedOutTransactionHearsTheTimeout() {
        GlobalBeginResponse b = answer(send(tm, new GlobalBeginRequest(300, "short")), GlobalBeginResponse.class);
        clock.set(clock.millis() + 1_000);
        GlobalEndResponse r = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, b.xid(), null)), GlobalEndResponse.class);
        assertEquals(GlobalStatus.TimeoutRollbacked, r.globalStatus());
        assertEquals(TransactionExceptionCode.TransactionTimeout, r.exceptionCode());
    }

    @Test
    void aRollbackDuringALeaderlessGapIsNotAnsweredEither() {
        String xid = begin();
        log.loseLeadership();
        CompletableFuture<Response> rollback = send(tm, new GlobalEndRequest(Kind.ROLLBACK, xid, null));
        scheduler.advance(Duration.ofMillis(BUDGET_MS));
        assertTrue(withheld(rollback));
    }

    @Test
    void aRegisterThatLostItsResultFailsWithTheReasonAndIsNotRepeated() {
        String xid = begin();
        log.loseResultsOfNext(1);
        BranchRegisterResponse r = answer(send(rm, new BranchRegisterRequest(xid, BranchType.TCC, "r", null, null)),
                BranchRegisterResponse.class);
        assertEquals(ResultCode.Failed, r.resultCode());
        assertTrue(r.msg().contains("LEADERSHIP_CHANGED"), r.msg());
        assertEquals(1, log.applied().stream().filter(c -> c.hasRegister()).count(), "a register is never repeated");
    }

    @Test
    void aStatusQueryWithoutALeaderIsUnknownNeverFinished() {
        String xid = begin();
        log.loseLeadership();
        CompletableFuture<Response> status = send(tm, new GlobalEndRequest(Kind.STATUS, xid, null));
        scheduler.advance(Duration.ofMillis(5_000));
        GlobalEndResponse r = answer(status, GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, r.resultCode());
        assertEquals(GlobalStatus.UnKnown, r.globalStatus());
    }

    @Test
    void aParkedTransactionAnswersItsRetryTimeoutStatus() {
        String xid = begin();
        register(xid, BranchType.TCC, "deduct", null);
        send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null));
        clock.set(clock.millis() + 10_000);
        log.propose(commands.park(xid, GlobalStatus.CommitRetryTimeout, 5_000, false), ProposalOptions.once(1_000));
        GlobalEndResponse again = answer(send(tm, new GlobalEndRequest(Kind.COMMIT, xid, null)), GlobalEndResponse.class);
        assertEquals(GlobalStatus.CommitRetryTimeout, again.globalStatus());
        GlobalEndResponse status = answer(send(tm, new GlobalEndRequest(Kind.STATUS, xid, null)), GlobalEndResponse.class);
        assertEquals(GlobalStatus.CommitRetryTimeout, status.globalStatus());
    }
}
