package io.tessera.examples.transfer;

import java.io.IOException;
import java.sql.SQLException;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of a transfer. The paying bank begins a global transaction (Seata's TM asks the coordinator,
 * Tessera, for an XID), debits in its own database, and asks the receiving bank to credit under the same XID.
 * If the receiver credits, the paying bank commits the global transaction; if it refuses, the paying bank
 * rolls it back and Tessera has both databases undo their part (Seata AT: each branch's undo log).
 */
final class TransferService {
    /** How a transfer ended, for the HTTP answer. */
    record Outcome(boolean committed, String xid, String message) {
    }

    private static final Logger log = LoggerFactory.getLogger(TransferService.class);
    private static final int TIMEOUT_MS = 30_000;

    private final String bank;
    private final Accounts accounts;
    private final PeerBank peer;
    private final long creditLimit;

    /**
     * @param peer the receiving bank (null: this bank only receives)
     * @param creditLimit the largest amount this bank accepts in one transfer
     */
    TransferService(String bank, Accounts accounts, PeerBank peer, long creditLimit) {
        this.bank = bank;
        this.accounts = accounts;
        this.peer = peer;
        this.creditLimit = creditLimit;
    }

    boolean pays() {
        return peer != null;
    }

    /** The paying side: one global transaction around the local debit and the remote credit. */
    Outcome transfer(String from, String to, long amount) throws TransactionException, SQLException, InterruptedException {
        GlobalTransaction tx = GlobalTransactionContext.getCurrentOrCreate();
        tx.begin(TIMEOUT_MS, "transfer " + from + " -> " + to);
        String xid = tx.getXid();
        try {
            accounts.debit(from, amount);
            PeerBank.Answer answer = peer.credit(xid, to, amount);
            if (!answer.credited()) {
                tx.rollback();
                log.info("transfer {} of {} from {} to {} rolled back: the other bank answered {} {}", xid, amount, from, to,
                        answer.status(), answer.body());
                return new Outcome(false, xid, "refused by the other bank: " + answer.body());
            }
            tx.commit();
            log.info("transfer {} of {} from {} to {} committed", xid, amount, from, to);
            return new Outcome(true, xid, "committed");
        } catch (Accounts.Refused e) {
            tx.rollback();
            log.info("transfer {} of {} from {} to {} rolled back: {}", xid, amount, from, to, e.getMessage());
            return new Outcome(false, xid, e.getMessage());
        } catch (IOException | SQLException | RuntimeException e) {
            tx.rollback();
            log.warn("transfer {} of {} from {} to {} rolled back after a failure: {}", xid, amount, from, to, e.toString());
            return new Outcome(false, xid, "failed: " + e.getMessage());
        } finally {
            RootContext.unbind();
        }
    }

    /**
     * The receiving side: joins the caller's global transaction, credits, and refuses amounts over its limit
     * after writing, so that a refused transfer has a branch to undo here too.
     */
    void credit(String xid, String account, long amount) throws SQLException, Accounts.Refused {
        RootContext.bind(xid);
        try {
            accounts.credit(account, amount);
            if (amount > creditLimit) {
                log.info("credit {} of {} to {} refused: over {}'s limit of {} per transfer", xid, amount, account, bank,
                        creditLimit);
                throw new Accounts.Refused("amount " + amount + " is over " + bank + "'s limit of " + creditLimit);
            }
            log.info("credit {} of {} to {} written", xid, amount, account);
        } finally {
            RootContext.unbind();
        }
    }
}
