package io.tessera.codec.protobuf;

import com.google.protobuf.Parser;
import io.tessera.codec.protobuf.generated.BatchResultMessageProto;
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
import io.tessera.codec.protobuf.generated.MergedResultMessageProto;
import io.tessera.codec.protobuf.generated.MergedWarpMessageProto;
import io.tessera.codec.protobuf.generated.RegisterRMRequestProto;
import io.tessera.codec.protobuf.generated.RegisterRMResponseProto;
import io.tessera.codec.protobuf.generated.RegisterTMRequestProto;
import io.tessera.codec.protobuf.generated.RegisterTMResponseProto;
import io.tessera.codec.protobuf.generated.UndoLogDeleteRequestProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proto message name → parser, for every body the codec accepts, under both package namings
 * ({@link ProtoNaming}). The full name is what the body prefix and the Any type URLs carry. The abstract
 * header messages and HeartbeatMessageProto are deliberately absent: the reference never sends them as
 * a body over TCP.
 */
final class ProtoTypeTable {

    private final Map<String, Parser<? extends com.google.protobuf.Message>> parsers = new HashMap<>();

    ProtoTypeTable() {
        List<com.google.protobuf.Message> bodies = List.of(
                RegisterTMRequestProto.getDefaultInstance(), RegisterTMResponseProto.getDefaultInstance(),
                RegisterRMRequestProto.getDefaultInstance(), RegisterRMResponseProto.getDefaultInstance(),
                GlobalBeginRequestProto.getDefaultInstance(), GlobalBeginResponseProto.getDefaultInstance(),
                GlobalCommitRequestProto.getDefaultInstance(), GlobalCommitResponseProto.getDefaultInstance(),
                GlobalRollbackRequestProto.getDefaultInstance(), GlobalRollbackResponseProto.getDefaultInstance(),
                GlobalStatusRequestProto.getDefaultInstance(), GlobalStatusResponseProto.getDefaultInstance(),
                GlobalReportRequestProto.getDefaultInstance(), GlobalReportResponseProto.getDefaultInstance(),
                BranchRegisterRequestProto.getDefaultInstance(), BranchRegisterResponseProto.getDefaultInstance(),
                BranchReportRequestProto.getDefaultInstance(), BranchReportResponseProto.getDefaultInstance(),
                GlobalLockQueryRequestProto.getDefaultInstance(), GlobalLockQueryResponseProto.getDefaultInstance(),
                BranchCommitRequestProto.getDefaultInstance(), BranchCommitResponseProto.getDefaultInstance(),
                BranchRollbackRequestProto.getDefaultInstance(), BranchRollbackResponseProto.getDefaultInstance(),
                UndoLogDeleteRequestProto.getDefaultInstance(),
                MergedWarpMessageProto.getDefaultInstance(), MergedResultMessageProto.getDefaultInstance(),
                BatchResultMessageProto.getDefaultInstance());
        for (com.google.protobuf.Message body : bodies) {
            // Keyed by the name without package: our schema's package is only one of the two namings.
            parsers.put(body.getDescriptorForType().getName(), body.getParserForType());
        }
    }

    /** @return null for a name no body has, in either naming */
    Parser<? extends com.google.protobuf.Message> parser(String fullName) {
        ProtoNaming naming = ProtoNaming.of(fullName);
        return naming == null ? null : parsers.get(naming.messageName(fullName));
    }
}
