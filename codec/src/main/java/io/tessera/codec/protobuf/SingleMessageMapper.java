package io.tessera.codec.protobuf;

import io.tessera.codec.CodecException;
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
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.codec.protobuf.generated.BranchCommitRequestProto;
import io.tessera.codec.protobuf.generated.BranchCommitResponseProto;
import io.tessera.codec.protobuf.generated.BranchRegisterRequestProto;
import io.tessera.codec.protobuf.generated.BranchRegisterResponseProto;
import io.tessera.codec.protobuf.generated.BranchReportRequestProto;
import io.tessera.codec.protobuf.generated.BranchReportResponseProto;
import io.tessera.codec.protobuf.generated.BranchRollbackRequestProto;
import io.tessera.codec.protobuf.generated.BranchRollbackResponseProto;
import io.tessera.codec.protobuf.generated.GlobalBeginRequestProto;
import io.tessera.codec.protobuf.generated.GlobalBeginResponseProto;
import io.tessera.codec.protobuf.generated.GlobalCommitRequestProto;
import io.tessera.codec.protobuf.generated.GlobalCommitResponseProto;
import io.tessera.codec.protobuf.generated.GlobalLockQueryRequestProto;
import io.tessera.codec.protobuf.generated.GlobalLockQueryResponseProto;
import io.tessera.codec.protobuf.generated.GlobalReportRequestProto;
import io.tessera.codec.protobuf.generated.GlobalReportResponseProto;
import io.tessera.codec.protobuf.generated.GlobalRollbackRequestProto;
import io.tessera.codec.protobuf.generated.GlobalRollbackResponseProto;
import io.tessera.codec.protobuf.generated.GlobalStatusRequestProto;
import io.tessera.codec.protobuf.generated.GlobalStatusResponseProto;
import io.tessera.codec.protobuf.generated.RegisterRMRequestProto;
import io.tessera.codec.protobuf.generated.RegisterRMResponseProto;
import io.tessera.codec.protobuf.generated.RegisterTMRequestProto;
import io.tessera.codec.protobuf.generated.RegisterTMResponseProto;
import io.tessera.codec.protobuf.generated.UndoLogDeleteRequestProto;

/** Dispatches every non-batch request/response between its record and its proto message. */
final class SingleMessageMapper {

    private final RegistrationMapper registration = new RegistrationMapper();
    private final GlobalTxMapper global = new GlobalTxMapper();
    private final BranchTxMapper branch = new BranchTxMapper();

    /** @throws CodecException UNENCODABLE for batches, heartbeats and values the proto cannot carry */
    com.google.protobuf.Message toProto(Message m) {
        if (m instanceof RegisterTMRequest r) {
            return registration.toProto(r);
        } else if (m instanceof RegisterRMRequest r) {
            return registration.toProto(r);
        } else if (m instanceof RegisterTMResponse r) {
            return registration.toProto(r);
        } else if (m instanceof RegisterRMResponse r) {
            return registration.toProto(r);
        } else if (m instanceof GlobalBeginRequest r) {
            return global.toProto(r);
        } else if (m instanceof GlobalBeginResponse r) {
            return global.toProto(r);
        } else if (m instanceof GlobalEndRequest r) {
            return global.toProto(r);
        } else if (m instanceof GlobalReportRequest r) {
            return global.toProto(r);
        } else if (m instanceof GlobalEndResponse r) {
            return global.toProto(r);
        } else if (m instanceof BranchRegisterRequest r) {
            return branch.toProto(r);
        } else if (m instanceof BranchRegisterResponse r) {
            return branch.toProto(r);
        } else if (m instanceof BranchReportRequest r) {
            return branch.toProto(r);
        } else if (m instanceof BranchReportResponse r) {
            return branch.toProto(r);
        } else if (m instanceof GlobalLockQueryRequest r) {
            return branch.toProto(r);
        } else if (m instanceof GlobalLockQueryResponse r) {
            return branch.toProto(r);
        } else if (m instanceof BranchEndRequest r) {
            return branch.toProto(r);
        } else if (m instanceof BranchEndResponse r) {
            return branch.toProto(r);
        } else if (m instanceof UndoLogDeleteRequest r) {
            return branch.toProto(r);
        }
        throw ProtoEnums.unencodable("no PROTOBUF body for " + (m == null ? "null" : m.getClass().getSimpleName()));
    }

    /** @return null if {@code p} is not a single message (a batch container) */
    Message fromProto(com.google.protobuf.Message p) {
        if (p instanceof RegisterTMRequestProto r) {
            return registration.fromProto(r);
        } else if (p instanceof RegisterRMRequestProto r) {
            return registration.fromProto(r);
        } else if (p instanceof RegisterTMResponseProto r) {
            return registration.fromProto(r);
        } else if (p instanceof RegisterRMResponseProto r) {
            return registration.fromProto(r);
        } else if (p instanceof GlobalBeginRequestProto r) {
            return global.fromProto(r);
        } else if (p instanceof GlobalBeginResponseProto r) {
            return global.fromProto(r);
        } else if (p instanceof GlobalCommitRequestProto r) {
            return global.fromProto(GlobalEndRequest.Kind.COMMIT, r.getAbstractGlobalEndRequest());
        } else if (p instanceof GlobalRollbackRequestProto r) {
            return global.fromProto(GlobalEndRequest.Kind.ROLLBACK, r.getAbstractGlobalEndRequest());
        } else if (p instanceof GlobalStatusRequestProto r) {
            return global.fromProto(GlobalEndRequest.Kind.STATUS, r.getAbstractGlobalEndRequest());
        } else if (p instanceof GlobalReportRequestProto r) {
            return global.fromProto(r);
        } else if (p instanceof GlobalCommitResponseProto r) {
            return global.fromProto(GlobalEndRequest.Kind.COMMIT, r.getAbstractGlobalEndResponse());
        } else if (p instanceof GlobalRollbackResponseProto r) {
            return global.fromProto(GlobalEndRequest.Kind.ROLLBACK, r.getAbstractGlobalEndResponse());
        } else if (p instanceof GlobalStatusResponseProto r) {
            return global.fromProto(GlobalEndRequest.Kind.STATUS, r.getAbstractGlobalEndResponse());
        } else if (p instanceof GlobalReportResponseProto r) {
            return global.fromProto(GlobalEndRequest.Kind.REPORT, r.getAbstractGlobalEndResponse());
        } else if (p instanceof BranchRegisterRequestProto r) {
            return branch.fromProto(r);
        } else if (p instanceof BranchRegisterResponseProto r) {
            return branch.fromProto(r);
        } else if (p instanceof BranchReportRequestProto r) {
            return branch.fromProto(r);
        } else if (p instanceof BranchReportResponseProto r) {
            return branch.fromProto(r);
        } else if (p instanceof GlobalLockQueryRequestProto r) {
            return branch.fromProto(r);
        } else if (p instanceof GlobalLockQueryResponseProto r) {
            return branch.fromProto(r);
        } else if (p instanceof BranchCommitRequestProto r) {
            return branch.fromProto(true, r.getAbstractBranchEndRequest());
        } else if (p instanceof BranchRollbackRequestProto r) {
            return branch.fromProto(false, r.getAbstractBranchEndRequest());
        } else if (p instanceof BranchCommitResponseProto r) {
            return branch.fromProto(true, r.getAbstractBranchEndResponse());
        } else if (p instanceof BranchRollbackResponseProto r) {
            return branch.fromProto(false, r.getAbstractBranchEndResponse());
        } else if (p instanceof UndoLogDeleteRequestProto r) {
            return branch.fromProto(r);
        }
        return null;
    }
}
