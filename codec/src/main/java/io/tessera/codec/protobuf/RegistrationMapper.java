package io.tessera.codec.protobuf;

import static io.tessera.codec.protobuf.ProtoHeaders.str;

import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.Response;
import io.tessera.codec.protobuf.generated.AbstractIdentifyRequestProto;
import io.tessera.codec.protobuf.generated.AbstractIdentifyResponseProto;
import io.tessera.codec.protobuf.generated.AbstractResultMessageProto;
import io.tessera.codec.protobuf.generated.RegisterRMRequestProto;
import io.tessera.codec.protobuf.generated.RegisterRMResponseProto;
import io.tessera.codec.protobuf.generated.RegisterTMResponseProto;
import io.tessera.codec.protobuf.generated.RegisterTMRequestProto;

/** RegisterTM/RM requests and responses (types 101-104). */
final class RegistrationMapper {

    RegisterTMRequestProto toProto(RegisterTMRequest m) {
        return RegisterTMRequestProto.newBuilder()
                .setAbstractIdentifyRequest(identify(m.typeCode(), m.version(), m.applicationId(),
                        m.transactionServiceGroup(), m.extraData()))
                .build();
    }

    RegisterRMRequestProto toProto(RegisterRMRequest m) {
        return RegisterRMRequestProto.newBuilder()
                .setAbstractIdentifyRequest(identify(m.typeCode(), m.version(), m.applicationId(),
                        m.transactionServiceGroup(), m.extraData()))
                .setResourceIds(str(m.resourceIds()))
                .build();
    }

    RegisterTMResponseProto toProto(RegisterTMResponse m) {
        return RegisterTMResponseProto.newBuilder()
                .setAbstractIdentifyResponse(identified(m, m.identified(), m.version(), m.extraData()))
                .build();
    }

    RegisterRMResponseProto toProto(RegisterRMResponse m) {
        return RegisterRMResponseProto.newBuilder()
                .setAbstractIdentifyResponse(identified(m, m.identified(), m.version(), m.extraData()))
                .build();
    }

    RegisterTMRequest fromProto(RegisterTMRequestProto p) {
        AbstractIdentifyRequestProto id = p.getAbstractIdentifyRequest();
        return new RegisterTMRequest(id.getVersion(), id.getApplicationId(), id.getTransactionServiceGroup(),
                id.getExtraData());
    }

    RegisterRMRequest fromProto(RegisterRMRequestProto p) {
        AbstractIdentifyRequestProto id = p.getAbstractIdentifyRequest();
        return new RegisterRMRequest(id.getVersion(), id.getApplicationId(), id.getTransactionServiceGroup(),
                id.getExtraData(), p.getResourceIds());
    }

    RegisterTMResponse fromProto(RegisterTMResponseProto p) {
        AbstractIdentifyResponseProto id = p.getAbstractIdentifyResponse();
        AbstractResultMessageProto result = id.getAbstractResultMessage();
        return new RegisterTMResponse(id.getIdentified(), id.getVersion(), id.getExtraData(),
                ProtoEnums.resultCode(result.getResultCodeValue()), result.getMsg());
    }

    RegisterRMResponse fromProto(RegisterRMResponseProto p) {
        AbstractIdentifyResponseProto id = p.getAbstractIdentifyResponse();
        AbstractResultMessageProto result = id.getAbstractResultMessage();
        return new RegisterRMResponse(id.getIdentified(), id.getVersion(), id.getExtraData(),
                ProtoEnums.resultCode(result.getResultCodeValue()), result.getMsg());
    }

    private static AbstractIdentifyRequestProto identify(int typeCode, String version, String applicationId,
            String group, String extraData) {
        return AbstractIdentifyRequestProto.newBuilder()
                .setAbstractMessage(ProtoHeaders.message(typeCode))
                .setVersion(str(version))
                .setApplicationId(str(applicationId))
                .setTransactionServiceGroup(str(group))
                .setExtraData(str(extraData))
                .build();
    }

    /** Unlike the SEATA codec, these carry a result header; a missing resultCode follows `identified`, as in the reference. */
    private static AbstractIdentifyResponseProto identified(Response m, boolean identified, String version,
            String extraData) {
        ResultCode code = m.resultCode() != null ? m.resultCode() : identified ? ResultCode.Success : ResultCode.Failed;
        return AbstractIdentifyResponseProto.newBuilder()
                .setAbstractResultMessage(ProtoHeaders.result(m, ProtoEnums.resultCode(code, "register response")))
                .setVersion(str(version))
                .setExtraData(str(extraData))
                .setIdentified(identified)
                .build();
    }
}
