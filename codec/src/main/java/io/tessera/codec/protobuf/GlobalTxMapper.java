package io.tessera.codec.protobuf;

import static io.tessera.codec.protobuf.ProtoHeaders.str;

import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.Message;
import io.tessera.codec.protobuf.ProtoHeaders.TxHeader;
import io.tessera.codec.protobuf.generated.AbstractGlobalEndRequestProto;
import io.tessera.codec.protobuf.generated.AbstractGlobalEndResponseProto;
import io.tessera.codec.protobuf.generated.GlobalBeginRequestProto;
import io.tessera.codec.protobuf.generated.GlobalBeginResponseProto;
import io.tessera.codec.protobuf.generated.GlobalCommitRequestProto;
import io.tessera.codec.protobuf.generated.GlobalCommitResponseProto;
import io.tessera.codec.protobuf.generated.GlobalReportRequestProto;
import io.tessera.codec.protobuf.generated.GlobalReportResponseProto;
import io.tessera.codec.protobuf.generated.GlobalRollbackRequestProto;
import io.tessera.codec.protobuf.generated.GlobalRollbackResponseProto;
import io.tessera.codec.protobuf.generated.GlobalStatusRequestProto;
import io.tessera.codec.protobuf.generated.GlobalStatusResponseProto;

/** Global-transaction messages: begin, commit/rollback/status/report and their responses. */
final class GlobalTxMapper {

    GlobalBeginRequestProto toProto(GlobalBeginRequest m) {
        return GlobalBeginRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setTimeout(m.timeout())
                .setTransactionName(str(m.transactionName()))
                .build();
    }

    GlobalBeginResponseProto toProto(GlobalBeginResponse m) {
        return GlobalBeginResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .setXid(str(m.xid()))
                .setExtraData(str(m.extraData()))
                .build();
    }

    com.google.protobuf.Message toProto(GlobalEndRequest m) {
        AbstractGlobalEndRequestProto end = endRequest(m, m.xid(), m.extraData());
        return switch (m.kind()) {
            case COMMIT -> GlobalCommitRequestProto.newBuilder().setAbstractGlobalEndRequest(end).build();
            case ROLLBACK -> GlobalRollbackRequestProto.newBuilder().setAbstractGlobalEndRequest(end).build();
            case STATUS -> GlobalStatusRequestProto.newBuilder().setAbstractGlobalEndRequest(end).build();
            // The record's constructor rejects REPORT; GlobalReportRequest has its own record.
            case REPORT -> throw ProtoEnums.unencodable("GlobalEndRequest of kind REPORT");
        };
    }

    GlobalReportRequestProto toProto(GlobalReportRequest m) {
        return GlobalReportRequestProto.newBuilder()
                .setAbstractGlobalEndRequest(endRequest(m, m.xid(), m.extraData()))
                .setGlobalStatusValue(ProtoEnums.globalStatus(m.globalStatus(), "GlobalReportRequest"))
                .build();
    }

    com.google.protobuf.Message toProto(GlobalEndResponse m) {
        AbstractGlobalEndResponseProto end = AbstractGlobalEndResponseProto.newBuilder()
                .setAbstractTransactionResponse(ProtoHeaders.transactionResponse(m))
                .setGlobalStatusValue(ProtoEnums.globalStatus(m.globalStatus(), "GlobalEndResponse"))
                .build();
        return switch (m.kind()) {
            case COMMIT -> GlobalCommitResponseProto.newBuilder().setAbstractGlobalEndResponse(end).build();
            case ROLLBACK -> GlobalRollbackResponseProto.newBuilder().setAbstractGlobalEndResponse(end).build();
            case STATUS -> GlobalStatusResponseProto.newBuilder().setAbstractGlobalEndResponse(end).build();
            case REPORT -> GlobalReportResponseProto.newBuilder().setAbstractGlobalEndResponse(end).build();
        };
    }

    GlobalBeginRequest fromProto(GlobalBeginRequestProto p) {
        return new GlobalBeginRequest(p.getTimeout(), p.getTransactionName());
    }

    GlobalBeginResponse fromProto(GlobalBeginResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new GlobalBeginResponse(h.resultCode(), h.msg(), h.exceptionCode(), p.getXid(), p.getExtraData());
    }

    GlobalEndRequest fromProto(GlobalEndRequest.Kind kind, AbstractGlobalEndRequestProto p) {
        return new GlobalEndRequest(kind, p.getXid(), p.getExtraData());
    }

    GlobalReportRequest fromProto(GlobalReportRequestProto p) {
        AbstractGlobalEndRequestProto end = p.getAbstractGlobalEndRequest();
        return new GlobalReportRequest(end.getXid(), end.getExtraData(),
                ProtoEnums.globalStatus(p.getGlobalStatusValue()));
    }

    GlobalEndResponse fromProto(GlobalEndRequest.Kind kind, AbstractGlobalEndResponseProto p) {
        TxHeader h = ProtoHeaders.transactionResponse(p.getAbstractTransactionResponse());
        return new GlobalEndResponse(kind, h.resultCode(), h.msg(), h.exceptionCode(),
                ProtoEnums.globalStatus(p.getGlobalStatusValue()));
    }

    private static AbstractGlobalEndRequestProto endRequest(Message m, String xid, String extraData) {
        return AbstractGlobalEndRequestProto.newBuilder()
                .setAbstractTransactionRequest(ProtoHeaders.transactionRequest(m))
                .setXid(str(xid))
                .setExtraData(str(extraData))
                .build();
    }
}
