package io.tessera.codec.oracle;

import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
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
import io.tessera.codec.message.UndoLogDeleteRequest;

/**
 * What a message looks like after crossing the SEATA wire (spec §6.1, §6.7): the wire cannot tell
 * null from "", so each string field becomes whatever seata-all's decoder builds for a length-0
 * string; Success responses lose msg; registration responses keep only identified + version.
 */
public final class SeataWireExpectations {
    private SeataWireExpectations() {
    }

    /** Our SeataBodyCodec's decoding of the SEATA encoding of {@code m}. */
    public static Message afterWire(Message m) {
        if (m instanceof RegisterTMRequest r) {
            return new RegisterTMRequest(e(r.version()), e(r.applicationId()), e(r.transactionServiceGroup()),
                    e(r.extraData()));
        }
        if (m instanceof RegisterRMRequest r) {
            return new RegisterRMRequest(n(r.version()), n(r.applicationId()), e(r.transactionServiceGroup()),
                    n(r.extraData()), n(r.resourceIds()));
        }
        if (m instanceof RegisterTMResponse r) {
            return new RegisterTMResponse(r.identified(), n(r.version()), null, null, null);
        }
        if (m instanceof RegisterRMResponse r) {
            return new RegisterRMResponse(r.identified(), n(r.version()), null, null, null);
        }
        if (m instanceof GlobalBeginRequest r) {
            return new GlobalBeginRequest(r.timeout(), n(r.transactionName()));
        }
        if (m instanceof GlobalEndRequest r) {
            return new GlobalEndRequest(r.kind(), n(r.xid()), n(r.extraData()));
        }
        if (m instanceof GlobalReportRequest r) {
            return new GlobalReportRequest(n(r.xid()), n(r.extraData()), r.globalStatus());
        }
        if (m instanceof BranchRegisterRequest r) {
            return new BranchRegisterRequest(n(r.xid()), r.branchType(), n(r.resourceId()), n(r.lockKey()),
                    n(r.applicationData()));
        }
        if (m instanceof GlobalLockQueryRequest r) {
            return new GlobalLockQueryRequest(n(r.xid()), r.branchType(), n(r.resourceId()), n(r.lockKey()),
                    n(r.applicationData()));
        }
        if (m instanceof BranchReportRequest r) {
            return new BranchReportRequest(n(r.xid()), r.branchId(), r.status(), n(r.resourceId()),
                    n(r.applicationData()), r.branchType());
        }
        if (m instanceof BranchEndRequest r) {
            return new BranchEndRequest(r.commit(), n(r.xid()), r.branchId(), r.branchType(), n(r.resourceId()),
                    n(r.applicationData()));
        }
        if (m instanceof UndoLogDeleteRequest r) {
            return new UndoLogDeleteRequest(r.branchType(), n(r.resourceId()), r.saveDays());
        }
        if (m instanceof GlobalBeginResponse r) {
            return new GlobalBeginResponse(r.resultCode(), msg(r), r.exceptionCode(), n(r.xid()), n(r.extraData()));
        }
        if (m instanceof GlobalEndResponse r) {
            return new GlobalEndResponse(r.kind(), r.resultCode(), msg(r), r.exceptionCode(), r.globalStatus());
        }
        if (m instanceof BranchRegisterResponse r) {
            return new BranchRegisterResponse(r.resultCode(), msg(r), r.exceptionCode(), r.branchId());
        }
        if (m instanceof BranchReportResponse r) {
            return new BranchReportResponse(r.resultCode(), msg(r), r.exceptionCode());
        }
        if (m instanceof GlobalLockQueryResponse r) {
            return new GlobalLockQueryResponse(r.resultCode(), msg(r), r.exceptionCode(), r.lockable());
        }
        if (m instanceof BranchEndResponse r) {
            return new BranchEndResponse(r.commit(), r.resultCode(), msg(r), r.exceptionCode(), n(r.xid()),
                    r.branchId(), r.branchStatus());
        }
        if (m instanceof MergedWarpMessage r) {
            return new MergedWarpMessage(r.msgs().stream().map(x -> (Request) afterWire(x)).toList(), r.msgIds());
        }
        if (m instanceof MergeResultMessage r) {
            return new MergeResultMessage(r.msgs().stream().map(x -> (Response) afterWire(x)).toList());
        }
        if (m instanceof BatchResultMessage r) {
            return new BatchResultMessage(r.results().stream().map(x -> (Response) afterWire(x)).toList(),
                    r.msgIds());
        }
        if (m instanceof HeartbeatMessage) {
            return m;
        }
        throw new IllegalArgumentException("no expectation for " + m);
    }

    /**
     * seata-all's own decoding, which differs from ours where its decoders stop early on an empty
     * version: the RegisterRMRequest decoder then leaves every other field unset, and both
     * registration-response decoders leave the version at the Java object's default
     * ({@code seataDefaultVersion}, i.e. the library's own version) instead of null.
     */
    public static Message afterSeataDecoder(Message m, String seataDefaultVersion) {
        if (m instanceof RegisterRMRequest r && n(r.version()) == null) {
            return new RegisterRMRequest(seataDefaultVersion, null, null, null, null);
        }
        if (m instanceof RegisterTMResponse r && n(r.version()) == null) {
            return new RegisterTMResponse(r.identified(), seataDefaultVersion, null, null, null);
        }
        if (m instanceof RegisterRMResponse r && n(r.version()) == null) {
            return new RegisterRMResponse(r.identified(), seataDefaultVersion, null, null, null);
        }
        return afterWire(m);
    }

    private static String msg(Response r) {
        return r.resultCode() == ResultCode.Failed ? n(r.msg()) : null;
    }

    private static String n(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String e(String s) {
        return s == null ? "" : s;
    }
}
