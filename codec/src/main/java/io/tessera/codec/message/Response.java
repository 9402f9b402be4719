package io.tessera.codec.message;

/** A reply. Every response but the registration ones carries a result header (spec §6.4). */
public sealed interface Response extends Message permits RegisterTMResponse, RegisterRMResponse,
        TransactionResponse {
    ResultCode resultCode();

    /** Only meaningful (and only encoded by the SEATA codec) when {@link #resultCode()} is Failed. */
    String msg();
}
