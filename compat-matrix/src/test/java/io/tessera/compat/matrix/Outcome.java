package io.tessera.compat.matrix;

/** What a cell's client got from Tessera, as the table reports it. */
enum Outcome {
    /** Registered (TM, RM), began, committed and rolled back a two-branch TCC transaction, phase two seen. */
    WORKS("works"),
    /** Registration refused at once and the client's log shows Tessera's reason naming the serializer. */
    REFUSED_WITH_REASON("refused, reason in client log"),
    /** Registration refused, but the client cannot read the answer: it waits for its request timeout. */
    REFUSED_AFTER_TIMEOUT("refused after client timeout, no reason"),
    /**
     * The client cannot serialize its own registration in that serializer, so nothing reaches any
     * coordinator (a client-side fault, the same against Seata's own server).
     */
    CLIENT_CANNOT_SEND("client cannot encode, nothing sent"),
    /** The client found no coordinator (the registry gave it no address). */
    NO_COORDINATOR_FOUND("no coordinator found"),
    /** Anything else: never expected. */
    FAILED("FAILED");

    final String text;

    Outcome(String text) {
        this.text = text;
    }
}
