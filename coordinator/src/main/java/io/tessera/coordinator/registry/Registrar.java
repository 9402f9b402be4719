package io.tessera.coordinator.registry;

/**
 * Keeps one endpoint registered in one registry. {@link #start()} returns at once (the work happens on
 * the registrar's own thread); {@link #close()} removes the entry when the registry is reachable, within a
 * few seconds at most, and otherwise leaves it to the registry's own expiry.
 */
public interface Registrar extends AutoCloseable {

    void start();

    /** Whether the entry is known to be in the registry right now (for tests and status reports). */
    boolean isRegistered();

    @Override
    void close();
}
