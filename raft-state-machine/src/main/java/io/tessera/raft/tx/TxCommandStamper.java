package io.tessera.raft.tx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.proto.BeginGlobal;
import io.tessera.raft.proto.Decision;
import io.tessera.raft.proto.PurgeEnded;
import io.tessera.raft.proto.TxCommand;

/**
 * Leader-side stamping of coordinator drafts: the only place ids, xids and times are chosen. Every
 * command gets stamp_time; BeginGlobal gets transaction id, xid, begin time and deadline; RegisterBranch
 * gets a branch id; PurgeEnded gets its cut-off time. The auth commands carry their random values from
 * the proposer already; here they are only checked, so a malformed one is never proposed.
 *
 * <p>The leader's own drafts arrive as {@link TxCommand} objects and are stamped without a decode; only
 * a forwarded draft arrives as bytes. Either way the stamped command is serialised exactly once, for the
 * log, and travels to apply as the object too.
 */
public final class TxCommandStamper implements CommandStamper {

    @Override
    public byte[] stamp(byte[] draft, StampContext context) {
        return stampDecoded(draft, context).command();
    }

    /** The stamped command and the TxCommand it was serialized from (apply on this leader reuses it). */
    @Override
    public Stamped stampDecoded(byte[] draft, StampContext context) {
        TxCommand cmd;
        try {
            cmd = TxCommand.parseFrom(draft);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("undecodable command draft", e);
        }
        return stamp(cmd, context);
    }

    /** A typed draft of this node is stamped as it is; forwarded bytes are decoded first. */
    @Override
    public Stamped stampDraft(Object draft, StampContext context) {
        if (draft instanceof TxCommand cmd) {
            return stamp(cmd, context);
        }
        if (draft instanceof byte[] bytes) {
            return stampDecoded(bytes, context);
        }
        throw new IllegalArgumentException("not a TxCommand draft: " + (draft == null ? "null" : draft.getClass().getName()));
    }

    /** The Noop command: applying it changes no state (TxTransitions answers it with a plain ok). */
    @Override
    public Object noopDraft() {
        return TxCommand.newBuilder().setNoop(io.tessera.raft.proto.Noop.getDefaultInstance()).build();
    }

    @Override
    public byte[] draftBytes(Object draft) {
        if (draft instanceof TxCommand cmd) {
            return cmd.toByteArray();
        }
        return CommandStamper.super.draftBytes(draft);
    }

    private Stamped stamp(TxCommand cmd, StampContext context) {
        long now = context.nowMillis();
        TxCommand.Builder b = cmd.toBuilder().setStampTime(now);
        switch (cmd.getBodyCase()) {
            case BEGIN -> {
                BeginGlobal g = cmd.getBegin();
                if (g.getXidPrefix().isEmpty()) {
                    throw new IllegalArgumentException("BeginGlobal draft without xid_prefix");
                }
                if (g.getTimeoutMillis() < 0) {
                    throw new IllegalArgumentException("negative timeout " + g.getTimeoutMillis());
                }
                long id = context.nextId();
                long deadline = now + g.getTimeoutMillis();
                b.setBegin(g.toBuilder()
                        .setTransactionId(id)
                        .setXid(g.getXidPrefix() + ":" + id)
                        .setBeginTime(now)
                        .setDeadline(deadline < now ? Long.MAX_VALUE : deadline));
            }
            case DECIDE -> {
                // Apply treats a decision-less command as a broken invariant; refuse it before proposing.
                if (cmd.getDecide().getDecision() == Decision.DECISION_UNSPECIFIED
                        || cmd.getDecide().getDecision() == Decision.UNRECOGNIZED) {
                    throw new IllegalArgumentException("DecideGlobal draft without a decision");
                }
            }
            case PHASE_TWO_BATCH -> {
                if (cmd.getPhaseTwoBatch().getResultsCount() == 0) {
                    throw new IllegalArgumentException("BranchPhaseTwoResults draft without results");
                }
            }
            case REGISTER -> b.setRegister(cmd.getRegister().toBuilder().setBranchId(context.nextId()));
            case PARK -> {
                if (cmd.getPark().getRetryTimeoutMillis() < 0) {
                    throw new IllegalArgumentException("ParkGlobal draft with a negative retry timeout");
                }
            }
            case PURGE -> {
                PurgeEnded p = cmd.getPurge();
                if (p.getRetentionMillis() < 0) {
                    throw new IllegalArgumentException("negative retention " + p.getRetentionMillis());
                }
                b.setPurge(p.toBuilder().setCutoffTime(now - p.getRetentionMillis()));
            }
            case SET_TOKEN_KEY -> {
                String problem = AuthLimits.tokenKeyProblem(cmd.getSetTokenKey());
                if (problem != null) {
                    throw new IllegalArgumentException("SetTokenKey draft: " + problem);
                }
            }
            case SET_CREDENTIALS -> {
                String problem = AuthLimits.credentialsProblem(cmd.getSetCredentials());
                if (problem != null) {
                    throw new IllegalArgumentException("SetCredentials draft: " + problem);
                }
            }
            case SET_MEMBER -> {
                String problem = MemberLimits.problem(cmd.getSetMember());
                if (problem != null) {
                    throw new IllegalArgumentException("SetMember draft: " + problem);
                }
            }
            case CONSOLE -> {
                var c = cmd.getConsole();
                if (c.getKind() == io.tessera.raft.proto.ConsoleActionKind.CONSOLE_ACTION_UNSPECIFIED
                        || c.getKind() == io.tessera.raft.proto.ConsoleActionKind.UNRECOGNIZED
                        || c.getXid().isEmpty() || c.getRequestedBy().isEmpty()) {
                    throw new IllegalArgumentException("ConsoleAction draft without kind, xid or requested_by");
                }
            }
            case BODY_NOT_SET -> throw new IllegalArgumentException("command draft without body");
            default -> {
            }
        }
        TxCommand stamped = b.build();
        return new Stamped(stamped.toByteArray(), stamped);
    }
}
