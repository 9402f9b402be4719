package io.tessera.compat.fuzz;

/**
 * One generated input, fully determined by (seed, index) except the registration signatures, which carry
 * the current time and are added when the input is sent.
 *
 * @param node which node (0..2) it goes to
 * @param register for the transaction port: which valid, signed registrations precede {@code payload}
 * @param payload the bytes written after the registrations
 * @param awaitAnswer whether the node must answer (a pong, a response or closing the connection) within the
 *        bound: false when the input leaves a frame or request incomplete, so the node rightly waits for more
 * @param what a short description for the report
 */
record FuzzInput(long index, Target target, int node, Register register, byte[] payload, boolean awaitAnswer,
        String what) {
    enum Target {
        TX, HTTP, RAFT
    }

    enum Register {
        NONE, TM, RM, TM_THEN_RM, VALID_TRANSACTION
    }

    String describe() {
        return "input " + index + " " + target + " -> node" + (node + 1) + " register=" + register + " "
                + payload.length + " bytes, awaitAnswer=" + awaitAnswer + ": " + what;
    }
}
