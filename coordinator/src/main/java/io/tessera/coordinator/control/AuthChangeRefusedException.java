package io.tessera.coordinator.control;

/** The state refused an auth change (a deterministic rejection, e.g. a user name the other role uses). */
public final class AuthChangeRefusedException extends RuntimeException {
    public AuthChangeRefusedException(String message) {
        super(message);
    }
}
