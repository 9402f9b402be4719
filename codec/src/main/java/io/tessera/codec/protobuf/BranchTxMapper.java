package io.tessera.codec.protobuf;

import static io.tessera.codec.protobuf.ProtoHeaders.str;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.codec.protobuf.ProtoHeaders.TxHeader;
import io.tessera.codec.protobuf.generated.AbstractBranchEndRequestProto;
import io.tessera.codec.protobuf.generated.AbstractBranchEndResponseProto;
import io.tessera.codec.protobuf.generated.BranchCommitRequestProto;
import io.tessera.codec.protobuf.generated.BranchCommitResponseProto;
import io.tessera.codec.protobuf.generated.BranchRegisterRequestProto;
import io.tessera.codec.protobuf.generated.BranchRegisterResponseProto;
import io.tessera.codec.protobuf.generated.BranchReportRequestProto;
import io.tessera.codec.protobuf.generated.BranchReportResponseProto;
import io.tessera.codec.protobuf.generated.BranchRollbackRequestProto;
import io.tessera.codec.protobuf.generated.BranchRollbackResponseProto;
import io.tessera.codec.protobuf.generated.GlobalLockQueryRequestProto;
import io.tessera.codec.protobuf.generated.GlobalLockQueryResponseProto;
import io.tessera.codec.protobuf.generated.UndoLogDeleteRequestProto;

/** Branch-level messages: register, report, lock query, phase-two commit/rollback, undo-log delete. */
final class BranchTxMapper {

    BranchRegisterRequestProto toProto(BranchRegisterRequest m) {
        return register(m, m.xid(), m.branchType(), m.resourceId(), m.lockKey(), m.applicationData());
    }

    /** The reference nests a whole BranchRegisterRequestProto whose header carries type 21. */
    GlobalLockQueryRequestProto toProto(GlobalLockQueryRequest m) {
        return GlobalLockQueryRequestProto.newBuilder()
                .setBranchRegisterRequest(
                        register(m, m.xid(), m.branchType(), m.resourceId(), m.lockKey(), m.applicationData()))
                .build();
    }

    BranchRegisterResponseProto toProto(BranchRegisterResponse m) {
        return BranchRegisterResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .setBranchId(m.branchId())
                .build();
    }

    BranchReportRequestProto toProto(BranchReportRequest m) {
        return BranchReportRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setXid(str(m.xid()))
                .setBranchId(m.branchId())
                .setResourceId(str(m.resourceId()))
                .setStatusValue(ProtoEnums.branchStatusByName(m.status()))
                .setApplicationData(str(m.applicationData()))
                .setBranchTypeValue(ProtoEnums.branchType(m.branchType()))
                .build();
    }

    BranchReportResponseProto toProto(BranchReportResponse m) {
        return BranchReportResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .build();
    }

    GlobalLockQueryResponseProto toProto(GlobalLockQueryResponse m) {
        return GlobalLockQueryResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .setLockable(m.lockable())
                .build();
    }

    com.google.protobuf.Message toProto(BranchEndRequest m) {
        AbstractBranchEndRequestProto end = AbstractBranchEndRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setXid(str(m.xid()))
                .setBranchId(m.branchId())
                .setBranchTypeValue(ProtoEnums.branchType(m.branchType()))
                .setResourceId(str(m.resourceId()))
                .setApplicationData(str(m.applicationData()))
                .build();
        return m.commit()
                ? BranchCommitRequestProto.newBuilder().setAbstractBranchEndRequest(end).build()
                : BranchRollbackRequestProto.newBuilder().setAbstractBranchEndRequest(end).build();
    }

    com.google.protobuf.Message toProto(BranchEndResponse m) {
        AbstractBranchEndResponseProto end = AbstractBranchEndResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .setXid(str(m.xid()))
                .setBranchId(m.branchId())
                .setBranchStatusValue(ProtoEnums.branchStatusByNumber(m.branchStatus()))
                .build();
        return m.commit()
                ? BranchCommitResponseProto.newBuilder().setAbstractBranchEndResponse(end).build()
                : BranchRollbackResponseProto.newBuilder().setAbstractBranchEndResponse(end).build();
    }

    UndoLogDeleteRequestProto toProto(UndoLogDeleteRequest m) {
        return UndoLogDeleteRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setResourceId(str(m.resourceId()))
                .setSaveDays(m.saveDays())
                .setBranchTypeValue(ProtoEnums.branchType(m.branchType()))
                .build();
    }

    BranchRegisterRequest fromProto(BranchRegisterRequestProto p) {
        return new BranchRegisterRequest(p.getXid(), ProtoEnums.branchType(p.getBranchTypeValue()),
                p.getResourceId(), p.getLockKey(), p.getApplicationData());
    }

    GlobalLockQueryRequest fromProto(GlobalLockQueryRequestProto p) {
        BranchRegisterRequestProto r = p.getBranchRegisterRequest();
        return new GlobalLockQueryRequest(r.getXid(), ProtoEnums.branchType(r.getBranchTypeValue()),
                r.getResourceId(), r.getLockKey(), r.getApplicationData());
    }

    BranchRegisterResponse fromProto(BranchRegisterResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new BranchRegisterResponse(h.resultCode(), h.msg(), h.exceptionCode(), p.getBranchId());
    }

    BranchReportRequest fromProto(BranchReportRequestProto p) {
        return new BranchReportRequest(p.getXid(), p.getBranchId(),
                ProtoEnums.branchStatusByName(p.getStatusValue()), p.getResourceId(), p.getApplicationData(),
                ProtoEnums.branchType(p.getBranchTypeValue()));
    }

    BranchReportResponse fromProto(BranchReportResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new BranchReportResponse(h.resultCode(), h.msg(), h.exceptionCode());
    }

    GlobalLockQueryResponse fromProto(GlobalLockQueryResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new GlobalLockQueryResponse(h.resultCode(), h.msg(), h.exceptionCode(), p.getLockable());
    }

    BranchEndRequest fromProto(boolean commit, AbstractBranchEndRequestProto p) {
        return new BranchEndRequest(commit, p.getXid(), p.getBranchId(), ProtoEnums.branchType(p.getBranchTypeValue()),
                p.getResourceId(), p.getApplicationData());
    }

    BranchEndResponse fromProto(boolean commit, AbstractBranchEndResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new BranchEndResponse(commit, h.resultCode(), h.msg(), h.exceptionCode(), p.getXid(),
                p.getBranchId(), ProtoEnums.branchStatusByNumber(p.getBranchStatusValue()));
    }

    /** saveDays is int32 on the wire and a short in the model; the reference truncates the same way. */
    UndoLogDeleteRequest fromProto(UndoLogDeleteRequestProto p) {
        return new UndoLogDeleteRequest(ProtoEnums.branchType(p.getBranchTypeValue()), p.getResourceId(),
                (short) p.getSaveDays());
    }

    private static BranchRegisterRequestProto register(Message m, String xid, BranchType branchType,
            String resourceId, String lockKey, String applicationData) {
        return BranchRegisterRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setXid(str(xid))
                .setBranchTypeValue(ProtoEnums.branchType(branchType))
                .setResourceId(str(resourceId))
                .setLockKey(str(lockKey))
                .setApplicationData(str(applicationData))
                .build();
    }
}
