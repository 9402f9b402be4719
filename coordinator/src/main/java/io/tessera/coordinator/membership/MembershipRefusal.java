package io.tessera.coordinator.membership;

/** A membership request refused before or while it ran, with the HTTP status the admin API answers. */
final class MembershipRefusal extends RuntimeException {
    private final int status;

    MembershipRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
