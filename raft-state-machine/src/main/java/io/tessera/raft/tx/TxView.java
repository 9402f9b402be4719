package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import java.util.List;
import java.util.Optional;

/**
 * Read API over the applied transaction state, for the coordinator. Safe to call from any thread while
 * apply runs. Consistency: each call reads one RocksDB snapshot, so it sees the state after some whole
 * applyBatch (never half of one); two calls may see different applied indexes. On a follower the state
 * may lag the leader; read-your-writes on the leader holds once the proposal's closure has run.
 * Every method throws {@link IllegalStateException} while the store is closed or if it cannot be read.
 */
public interface TxView {

    /** The live (not ended) transaction. */
    Optional<GlobalTxRecord> global(String xid);

    /** The compact record of an ended transaction, until purged by retention. */
    Optional<EndedRecord> ended(String xid);

    /**
     * GlobalStatus query in one read: the live status, else the ended record's final status, else empty
     * (never seen or purged: Seata answers Finished).
     */
    Optional<GlobalStatus> status(String xid);

    /** Branches of a live transaction, in registration order. */
    List<BranchRecord> branches(String xid);

    /**
     * GlobalLockQuery: true when none of the rows of {@code lockKey} in {@code resourceId} is held by a
     * transaction other than {@code xid}. Does not take locks.
     *
     * @throws IllegalArgumentException for a malformed lock key (answer Failed / LockableCheckFailed)
     */
    boolean lockable(String resourceId, String lockKey, String xid);

    /** Live transactions in {@code status}, oldest transaction id first. */
    List<GlobalTxRecord> byStatus(GlobalStatus status, int limit);

    /** Begin transactions whose deadline is at or before {@code nowMillis}, earliest deadline first. */
    List<GlobalTxRecord> expiredAt(long nowMillis, int limit);

    long lastAppliedIndex();

    /** Console: one page of retained (live and ended) transactions, newest first (see {@link GlobalQuery}). */
    ConsolePage<ConsoleTx> queryGlobals(GlobalQuery query);

    /** Console: one page of held AT row locks, in resource/table/pk order (see {@link LockQuery}). */
    ConsolePage<LockRow> queryLocks(LockQuery query);

    /** Console (globalLock/check): {@code xid} is live and has the branch {@code branchId}. */
    boolean hasBranch(String xid, long branchId);

    /** Console overview: retained transactions per live or final status (only statuses with any), from counters. */
    java.util.Map<GlobalStatus, Long> statusCounts();

    /** Console overview: the number of held AT row locks, from a counter. */
    long lockCount();

    /**
     * The control port's current token-signing key (SetTokenKey), once the first leader has set one. Read
     * from memory: it reflects the last committed batch, and may be read on every request.
     */
    Optional<TokenKeyRecord> tokenKey();

    /** Credentials of {@code role} set through the admin API (SetCredentials), if any; from memory like {@link #tokenKey}. */
    Optional<ControlCredentialsRecord> controlCredentials(ControlRole role);

    /**
     * The member directory (SetMember): every member's node id and endpoints, in node id order. From memory
     * like {@link #tokenKey}; it may hold entries of members that are not (or no longer, or not yet) in the
     * group's configuration, which alone decides who is a member.
     */
    List<MemberRecord> members();

    /**
     * SHA-256 (hex) of every table except meta (the auth and members tables included once they hold something): equal on
     * replicas that applied the same entries.
     */
    String digest();

    /** {@link #digest()} and the applied index of the same point-in-time read. */
    IndexedDigest indexedDigest();

    /** The state digest of one replica at {@code appliedIndex}. */
    record IndexedDigest(long appliedIndex, String digest) {
    }
}
