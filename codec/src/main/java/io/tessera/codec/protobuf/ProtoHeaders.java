package io.tessera.codec.protobuf;

import io.tessera.codec.message.Message;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.TransactionResponse;
import io.tessera.codec.protobuf.generated.AbstractMessageProto;
import io.tessera.codec.protobuf.generated.AbstractResultMessageProto;
import io.tessera.codec.protobuf.generated.AbstractTransactionRequestProto;
import io.tessera.codec.protobuf.generated.AbstractTransactionResponseProto;

/**
 * The nested header messages every body starts with, and the null/"" rule for strings.
 *
 * <p>Headers are always present, mirroring the reference encoder: this keeps our bytes identical to
 * seata-all's and guarantees that no body is ever all-default (the reference decodes an empty payload
 * as null). Proto3 strings cannot be null: null is written as "" (which is also what the reference
 * writes for the fields it null-checks), and "" is decoded as "" because that is what seata-all's
 * decoder hands to the application.
 */
final class ProtoHeaders {

    private ProtoHeaders() {
    }

    static String str(String value) {
        return value == null ? "" : value;
    }

    static AbstractMessageProto message(int typeCode) {
        return AbstractMessageProto.newBuilder().setMessageTypeValue(typeCode).build();
    }

    static AbstractTransactionRequestProto transactionRequest(Message request) {
        return AbstractTransactionRequestProto.newBuilder().setAbstractMessage(message(request.typeCode())).build();
    }

    static AbstractResultMessageProto result(Response response, int resultCode) {
        return AbstractResultMessageProto.newBuilder()
                .setAbstractMessage(message(response.typeCode()))
                .setResultCodeValue(resultCode)
                .setMsg(str(response.msg()))
                .build();
    }

    static AbstractTransactionResponseProto transactionResponse(TransactionResponse response) {
        String what = response.getClass().getSimpleName();
        return AbstractTransactionResponseProto.newBuilder()
                .setAbstractResultMessage(result(response, ProtoEnums.resultCode(response.resultCode(), what)))
                .setTransactionExceptionCodeValue(ProtoEnums.exceptionCode(response.exceptionCode()))
                .build();
    }

    /** The three header fields of a transaction response, decoded. */
    record TxHeader(ResultCode resultCode, String msg, TransactionExceptionCode exceptionCode) {
    }

    static TxHeader transactionResponse(AbstractTransactionResponseProto header) {
        AbstractResultMessageProto result = header.getAbstractResultMessage();
        return new TxHeader(ProtoEnums.resultCode(result.getResultCodeValue()), result.getMsg(),
                ProtoEnums.exceptionCode(header.getTransactionExceptionCodeValue()));
    }
}
