package io.tessera.admin;

/** A control-port call the CLI could not complete: one line for the operator (exit status 1). */
final class AdminException extends RuntimeException {
    AdminException(String message) {
        super(message);
    }
}
