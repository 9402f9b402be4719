package io.tessera.codec.protobuf;

import io.tessera.codec.CodecException;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;

/**
 * Wire numbers of the PROTOBUF codec's enums (spec §7.1), which differ from the SEATA codec's.
 *
 * <p>Policy, chosen so that a 2.2 client decoding our bytes gets a usable answer and our decoding of a
 * client's bytes yields what seata-all itself would:
 * <ul>
 *   <li>Decoding a number the reference cannot map fails with MALFORMED_BODY (the reference throws too).</li>
 *   <li>Encoding a value a coordinator must be able to send (exception codes, ended global states)
 *       degrades to the nearest expressible value instead of failing, because the reference would
 *       drop the response and leave the client waiting for a timeout.</li>
 *   <li>Encoding anything else the proto enum lacks fails with UNENCODABLE.</li>
 * </ul>
 * Pure functions; no state.
 */
final class ProtoEnums {

    private ProtoEnums() {
    }

    static int resultCode(ResultCode code, String what) {
        if (code == null) {
            throw unencodable(what + ": resultCode is null");
        }
        return code == ResultCode.Success ? 1 : 0;
    }

    static ResultCode resultCode(int number) {
        return switch (number) {
            case 0 -> ResultCode.Failed;
            case 1 -> ResultCode.Success;
            default -> throw malformed("ResultCodeProto " + number);
        };
    }

    /**
     * The proto enum shifts every code after Unknown down by one (it has no BeginFailed) and stops at
     * FailedStore. Missing codes: LockKeyConflictFailFast becomes LockKeyConflict (the client still
     * sees a lock conflict, it merely retries locally instead of failing fast); BeginFailed,
     * NotRaftLeader, TransactionTimeout, CommitHeuristic and Broken become Unknown. Null means "not
     * set", which is Unknown in seata-all's message classes.
     */
    static int exceptionCode(TransactionExceptionCode code) {
        if (code == null) {
            return 0;
        }
        return switch (code) {
            case Unknown, BeginFailed, NotRaftLeader, TransactionTimeout, CommitHeuristic, Broken -> 0;
            case LockKeyConflictFailFast -> 1;
            default -> code.ordinal() - 1;
        };
    }

    static TransactionExceptionCode exceptionCode(int number) {
        if (number == 0) {
            return TransactionExceptionCode.Unknown;
        }
        if (number < 0 || number > 17) {
            throw malformed("TransactionExceptionCodeProto " + number);
        }
        return TransactionExceptionCode.of(number + 1);
    }

    /** AT, TCC, SAGA only: an XA (or SAGA_ANNOTATION) branch cannot be expressed. Null is seata's default AT. */
    static int branchType(BranchType type) {
        if (type == null) {
            return 0;
        }
        return switch (type) {
            case AT, TCC, SAGA -> type.ordinal();
            case XA, SAGA_ANNOTATION -> throw unencodable("BranchTypeProto has no " + type);
        };
    }

    static BranchType branchType(int number) {
        return switch (number) {
            case 0 -> BranchType.AT;
            case 1 -> BranchType.TCC;
            case 2 -> BranchType.SAGA;
            default -> throw malformed("BranchTypeProto " + number);
        };
    }

    /**
     * Codes 0-15 are the same numbers. The retry-timeout states become their ended-and-failed
     * counterparts (CommitRetryTimeout → CommitFailed, RollbackRetryTimeout → RollbackFailed) so a TM
     * asking about such a transaction still learns that it failed. The 2.5-only codes 18-20 are never
     * sent by a coordinator and are unencodable.
     */
    static int globalStatus(GlobalStatus status, String what) {
        if (status == null) {
            throw unencodable(what + ": globalStatus is null");
        }
        return switch (status) {
            case CommitRetryTimeout -> GlobalStatus.CommitFailed.code();
            case RollbackRetryTimeout -> GlobalStatus.RollbackFailed.code();
            case Deleting, StopCommitOrCommitRetry, StopRollbackOrRollbackRetry ->
                    throw unencodable("GlobalStatusProto has no " + status);
            default -> status.code();
        };
    }

    static GlobalStatus globalStatus(int number) {
        if (number < 0 || number > 15) {
            throw malformed("GlobalStatusProto " + number);
        }
        return GlobalStatus.of(number);
    }

    /**
     * Branch-end responses carry the status number unchecked in both directions (the reference reads
     * the raw enum value), so every code the model knows travels, including 11, 12 and 14 that the proto
     * enum does not name.
     */
    static int branchStatusByNumber(BranchStatus status) {
        if (status == null) {
            throw unencodable("branch-end response: branchStatus is null");
        }
        return status.code();
    }

    static BranchStatus branchStatusByNumber(int number) {
        if (number < 0 || number > 14) {
            throw malformed("branchStatus " + number);
        }
        return BranchStatus.of(number);
    }

    /**
     * BranchReportRequest maps by name in the reference: only names present in BranchStatusProto
     * travel. Unknown is unencodable because the proto calls it "BUnknown", which the reference can
     * neither produce nor parse back; we nevertheless decode 0 as Unknown rather than rejecting it.
     */
    static int branchStatusByName(BranchStatus status) {
        if (status == null) {
            throw unencodable("BranchReportRequest: status is null");
        }
        return switch (status) {
            case Unknown, PhaseTwo_CommitFailed_XAER_NOTA_Retryable, PhaseTwo_RollbackFailed_XAER_NOTA_Retryable,
                    STOP_RETRY -> throw unencodable("BranchReportRequest: no BranchStatusProto name for " + status);
            default -> status.code();
        };
    }

    static BranchStatus branchStatusByName(int number) {
        if ((number >= 0 && number <= 10) || number == 13) {
            return BranchStatus.of(number);
        }
        throw malformed("BranchStatusProto " + number);
    }

    static CodecException unencodable(String message) {
        return new CodecException(CodecException.Reason.UNENCODABLE, message);
    }

    static CodecException malformed(String message) {
        return new CodecException(CodecException.Reason.MALFORMED_BODY, message);
    }
}
