package io.tessera.coordinator.transport;

import io.tessera.coordinator.clientauth.RegistrationAuthenticator;

/**
 * What every connection of a node checks, shared by their {@link ConnectionHandler}s (all thread-safe).
 *
 * @param registrationTimeoutMs a connection not registered this long after accept is closed
 */
record ConnectionRules(String serverVersion, long registrationTimeoutMs, FieldLimits fields,
        RegistrationAuthenticator auth) {
}
