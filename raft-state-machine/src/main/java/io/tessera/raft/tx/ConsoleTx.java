package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import java.util.List;

/**
 * A transaction as the console lists it: live (with its branches when asked for) or ended and retained.
 * {@code applicationData} may be null; {@code endTime} is 0 while live; {@code controlBy}/{@code controlTime}:
 * the last operator action (who, when), empty/0 if none; {@code branches} is null when not asked for and
 * empty for an ended transaction.
 */
public record ConsoleTx(
        long transactionId,
        String xid,
        GlobalStatus status,
        String applicationId,
        String transactionServiceGroup,
        String name,
        long timeoutMillis,
        long beginTime,
        String applicationData,
        boolean live,
        long endTime,
        String controlBy,
        long controlTime,
        List<BranchRecord> branches) {
}
