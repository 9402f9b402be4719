package io.tessera.codec.oracle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.TransactionResponse;
import io.tessera.codec.message.UndoLogDeleteRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.AbstractResultMessage;
import org.apache.seata.core.protocol.RpcMessage;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractTransactionResponse;
import org.apache.seata.core.rpc.netty.v1.ProtocolDecoderV1;
import org.apache.seata.core.rpc.netty.v1.ProtocolEncoderV1;

/**
 * The bridge between our message records and the real seata-all 2.5.0 classes, used as the judge
 * of our codecs. Maps both ways, field by field, enums by wire code (names differ: Seata renamed
 * FailedLockGlobalTranscation), and runs frames through seata-all's own ProtocolEncoderV1 and
 * ProtocolDecoderV1. Codec-agnostic: the PROTOBUF tests use it with codec byte 0x02.
 */
public final class SeataOracle {
    private final ProtocolEncoderV1 encoder = new ProtocolEncoderV1();
    private final ProtocolDecoderV1 decoder = new ProtocolDecoderV1();

    /** The version seata-all's message objects carry before a decoder sets one ("2.5.0"). */
    public static String seataDefaultVersion() {
        return new org.apache.seata.core.protocol.RegisterRMRequest().getVersion();
    }

    /** seata-all's encoding of {@code frame} (its body converted with {@link #toSeata}). */
    public byte[] encodeWithSeata(RpcFrame frame) {
        ByteBuf out = Unpooled.buffer();
        encoder.encode(toSeataRpc(frame), out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** seata-all's decoding of one whole frame, mapped back to our records. */
    public RpcFrame decodeWithSeata(byte[] frame) {
        return fromSeataRpc(decodeToSeataRpc(frame));
    }

    public RpcMessage decodeToSeataRpc(byte[] frame) {
        ByteBuf in = Unpooled.wrappedBuffer(frame);
        return decoder.decodeFrame(in);
    }

    public static RpcMessage toSeataRpc(RpcFrame f) {
        RpcMessage m = new RpcMessage();
        m.setId(f.requestId());
        m.setMessageType(f.messageType());
        m.setCodec(f.codec());
        m.setCompressor(f.compressor());
        m.setHeadMap(new HashMap<>(f.headMap()));
        m.setBody(f.isHeartbeat() ? (((HeartbeatMessage) f.body()).ping()
                ? org.apache.seata.core.protocol.HeartbeatMessage.PING
                : org.apache.seata.core.protocol.HeartbeatMessage.PONG) : toSeata(f.body()));
        return m;
    }

    public static RpcFrame fromSeataRpc(RpcMessage m) {
        Message body;
        if (m.getBody() instanceof org.apache.seata.core.protocol.HeartbeatMessage h) {
            body = h.isPing() ? HeartbeatMessage.PING : HeartbeatMessage.PONG;
        } else {
            body = fromSeata((AbstractMessage) m.getBody());
        }
        return new RpcFrame(m.getMessageType(), m.getCodec(), m.getCompressor(), m.getId(), m.getHeadMap(), body);
    }

    // ---------------------------------------------------------------- ours -> seata

    public static AbstractMessage toSeata(Message message) {
        if (message instanceof Request r) {
            return requestToSeata(r);
        }
        if (message instanceof Response r) {
            return responseToSeata(r);
        }
        if (message instanceof MergedWarpMessage m) {
            var s = new org.apache.seata.core.protocol.MergedWarpMessage();
            s.msgs = new ArrayList<>(m.msgs().stream().map(SeataOracle::toSeata).toList());
            s.msgIds = new ArrayList<>(m.msgIds());
            return s;
        }
        if (message instanceof MergeResultMessage m) {
            var s = new org.apache.seata.core.protocol.MergeResultMessage();
            s.setMsgs(m.msgs().stream().map(r -> (AbstractResultMessage) toSeata(r)).toArray(AbstractResultMessage[]::new));
            return s;
        }
        if (message instanceof BatchResultMessage m) {
            var s = new org.apache.seata.core.protocol.BatchResultMessage();
            s.setResultMessages(new ArrayList<>(m.results().stream().map(r -> (AbstractResultMessage) toSeata(r)).toList()));
            s.setMsgIds(new ArrayList<>(m.msgIds()));
            return s;
        }
        throw new IllegalArgumentException("no seata body for " + message);
    }

    private static AbstractMessage requestToSeata(Request request) {
        if (request instanceof RegisterTMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterTMRequest();
            s.setVersion(r.version());
            s.setApplicationId(r.applicationId());
            s.setTransactionServiceGroup(r.transactionServiceGroup());
            s.setExtraData(r.extraData());
            return s;
        }
        if (request instanceof RegisterRMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterRMRequest();
            s.setVersion(r.version());
            s.setApplicationId(r.applicationId());
            s.setTransactionServiceGroup(r.transactionServiceGroup());
            s.setExtraData(r.extraData());
            s.setResourceIds(r.resourceIds());
            return s;
        }
        if (request instanceof GlobalBeginRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalBeginRequest();
            s.setTimeout(r.timeout());
            s.setTransactionName(r.transactionName());
            return s;
        }
        if (request instanceof GlobalEndRequest r) {
            AbstractGlobalEndRequest s = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitRequest();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackRequest();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusRequest();
                case REPORT -> throw new IllegalArgumentException("REPORT");
            };
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            return s;
        }
        if (request instanceof GlobalReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalReportRequest();
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            s.setGlobalStatus(r.globalStatus() == null ? null : globalStatus(r.globalStatus()));
            return s;
        }
        if (request instanceof BranchRegisterRequest r) {
            return branchRegister(new org.apache.seata.core.protocol.transaction.BranchRegisterRequest(), r.xid(),
                    r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        }
        if (request instanceof GlobalLockQueryRequest r) {
            return branchRegister(new org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest(), r.xid(),
                    r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        }
        if (request instanceof BranchReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchReportRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setStatus(branchStatus(r.status()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            s.setBranchType(branchType(r.branchType()));
            return s;
        }
        if (request instanceof BranchEndRequest r) {
            AbstractBranchEndRequest s = r.commit() ? new org.apache.seata.core.protocol.transaction.BranchCommitRequest()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            return s;
        }
        if (request instanceof UndoLogDeleteRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest();
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setSaveDays(r.saveDays());
            return s;
        }
        throw new IllegalArgumentException("unmapped request " + request);
    }

    private static AbstractMessage branchRegister(org.apache.seata.core.protocol.transaction.BranchRegisterRequest s,
            String xid, BranchType type, String resourceId, String lockKey, String applicationData) {
        s.setXid(xid);
        s.setBranchType(branchType(type));
        s.setResourceId(resourceId);
        s.setLockKey(lockKey);
        s.setApplicationData(applicationData);
        return s;
    }

    private static AbstractMessage responseToSeata(Response response) {
        if (response instanceof RegisterTMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterTMResponse();
            identify(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        }
        if (response instanceof RegisterRMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterRMResponse();
            identify(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        }
        TransactionResponse t = (TransactionResponse) response;
        AbstractTransactionResponse s;
        if (t instanceof GlobalBeginResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalBeginResponse();
            b.setXid(r.xid());
            b.setExtraData(r.extraData());
            s = b;
        } else if (t instanceof GlobalEndResponse r) {
            AbstractGlobalEndResponse g = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitResponse();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackResponse();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusResponse();
                case REPORT -> new org.apache.seata.core.protocol.transaction.GlobalReportResponse();
            };
            g.setGlobalStatus(r.globalStatus() == null ? null : globalStatus(r.globalStatus()));
            s = g;
        } else if (t instanceof BranchRegisterResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.BranchRegisterResponse();
            b.setBranchId(r.branchId());
            s = b;
        } else if (t instanceof BranchReportResponse) {
            s = new org.apache.seata.core.protocol.transaction.BranchReportResponse();
        } else if (t instanceof GlobalLockQueryResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse();
            b.setLockable(r.lockable());
            s = b;
        } else if (t instanceof BranchEndResponse r) {
            AbstractBranchEndResponse b = r.commit() ? new org.apache.seata.core.protocol.transaction.BranchCommitResponse()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackResponse();
            b.setXid(r.xid());
            b.setBranchId(r.branchId());
            b.setBranchStatus(r.branchStatus() == null ? null : branchStatus(r.branchStatus()));
            s = b;
        } else {
            throw new IllegalArgumentException("unmapped response " + t);
        }
        s.setResultCode(r(t.resultCode()));
        s.setMsg(t.msg());
        s.setTransactionExceptionCode(t.exceptionCode() == null ? null
                : org.apache.seata.core.exception.TransactionExceptionCode.get(t.exceptionCode().code()));
        return s;
    }

    private static void identify(org.apache.seata.core.protocol.AbstractIdentifyResponse s, boolean identified,
            String version, String extraData, ResultCode code, String msg) {
        s.setIdentified(identified);
        s.setVersion(version);
        s.setExtraData(extraData);
        s.setResultCode(code == null ? null : r(code));
        s.setMsg(msg);
    }

    private static org.apache.seata.core.protocol.ResultCode r(ResultCode c) {
        return c == null ? null : org.apache.seata.core.protocol.ResultCode.get(c.code());
    }

    private static org.apache.seata.core.model.BranchType branchType(BranchType t) {
        return t == null ? null : org.apache.seata.core.model.BranchType.get(t.code());
    }

    private static org.apache.seata.core.model.BranchStatus branchStatus(BranchStatus s) {
        return s == null ? null : org.apache.seata.core.model.BranchStatus.get(s.code());
    }

    private static org.apache.seata.core.model.GlobalStatus globalStatus(GlobalStatus s) {
        return org.apache.seata.core.model.GlobalStatus.get(s.code());
    }

    // ---------------------------------------------------------------- seata -> ours

    public static Message fromSeata(AbstractMessage m) {
        if (m instanceof org.apache.seata.core.protocol.MergedWarpMessage s) {
            List<Request> msgs = s.msgs.stream().map(x -> (Request) fromSeata(x)).toList();
            return new MergedWarpMessage(msgs, s.msgIds == null ? List.of() : s.msgIds);
        }
        if (m instanceof org.apache.seata.core.protocol.MergeResultMessage s) {
            return new MergeResultMessage(Arrays.stream(s.getMsgs()).map(x -> (Response) fromSeata(x)).toList());
        }
        if (m instanceof org.apache.seata.core.protocol.BatchResultMessage s) {
            return new BatchResultMessage(s.getResultMessages().stream().map(x -> (Response) fromSeata(x)).toList(),
                    s.getMsgIds());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterTMRequest s) {
            return new RegisterTMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterRMRequest s) {
            return new RegisterRMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData(), s.getResourceIds());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterTMResponse s) {
            return new RegisterTMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(), ours(s.getResultCode()),
                    s.getMsg());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterRMResponse s) {
            return new RegisterRMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(), ours(s.getResultCode()),
                    s.getMsg());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalBeginRequest s) {
            return new GlobalBeginRequest(s.getTimeout(), s.getTransactionName());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalReportRequest s) {
            return new GlobalReportRequest(s.getXid(), s.getExtraData(),
                    s.getGlobalStatus() == null ? null : GlobalStatus.of(s.getGlobalStatus().getCode()));
        }
        if (m instanceof AbstractGlobalEndRequest s) {
            Kind kind = switch (s.getTypeCode()) {
                case 7 -> Kind.COMMIT;
                case 9 -> Kind.ROLLBACK;
                case 15 -> Kind.STATUS;
                default -> throw new IllegalArgumentException("type " + s.getTypeCode());
            };
            return new GlobalEndRequest(kind, s.getXid(), s.getExtraData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest s) {
            return new GlobalLockQueryRequest(s.getXid(), ours(s.getBranchType()), s.getResourceId(), s.getLockKey(),
                    s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.BranchRegisterRequest s) {
            return new BranchRegisterRequest(s.getXid(), ours(s.getBranchType()), s.getResourceId(), s.getLockKey(),
                    s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.BranchReportRequest s) {
            return new BranchReportRequest(s.getXid(), s.getBranchId(), ours(s.getStatus()), s.getResourceId(),
                    s.getApplicationData(), ours(s.getBranchType()));
        }
        if (m instanceof AbstractBranchEndRequest s) {
            return new BranchEndRequest(s.getTypeCode() == 3, s.getXid(), s.getBranchId(), ours(s.getBranchType()),
                    s.getResourceId(), s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest s) {
            return new UndoLogDeleteRequest(ours(s.getBranchType()), s.getResourceId(), s.getSaveDays());
        }
        if (m instanceof AbstractTransactionResponse s) {
            return transactionResponse(s);
        }
        throw new IllegalArgumentException("unmapped seata message " + m.getClass());
    }

    private static Message transactionResponse(AbstractTransactionResponse s) {
        ResultCode code = ours(s.getResultCode());
        String msg = s.getMsg();
        TransactionExceptionCode ex = s.getTransactionExceptionCode() == null ? null
                : TransactionExceptionCode.of(s.getTransactionExceptionCode().ordinal());
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalBeginResponse b) {
            return new GlobalBeginResponse(code, msg, ex, b.getXid(), b.getExtraData());
        }
        if (s instanceof AbstractGlobalEndResponse g) {
            Kind kind = switch (g.getTypeCode()) {
                case 8 -> Kind.COMMIT;
                case 10 -> Kind.ROLLBACK;
                case 16 -> Kind.STATUS;
                case 18 -> Kind.REPORT;
                default -> throw new IllegalArgumentException("type " + g.getTypeCode());
            };
            return new GlobalEndResponse(kind, code, msg, ex,
                    g.getGlobalStatus() == null ? null : GlobalStatus.of(g.getGlobalStatus().getCode()));
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchRegisterResponse b) {
            return new BranchRegisterResponse(code, msg, ex, b.getBranchId());
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchReportResponse) {
            return new BranchReportResponse(code, msg, ex);
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse l) {
            return new GlobalLockQueryResponse(code, msg, ex, l.isLockable());
        }
        if (s instanceof AbstractBranchEndResponse b) {
            return new BranchEndResponse(b.getTypeCode() == 4, code, msg, ex, b.getXid(), b.getBranchId(),
                    ours(b.getBranchStatus()));
        }
        throw new IllegalArgumentException("unmapped seata response " + s.getClass());
    }

    private static ResultCode ours(org.apache.seata.core.protocol.ResultCode c) {
        return c == null ? null : ResultCode.of(c.ordinal());
    }

    private static BranchType ours(org.apache.seata.core.model.BranchType t) {
        return t == null ? null : BranchType.of(t.ordinal());
    }

    private static BranchStatus ours(org.apache.seata.core.model.BranchStatus s) {
        return s == null ? null : BranchStatus.of(s.getCode());
    }
}
