package io.tessera.coordinator.transport;

public enum ClientRole {
    TM,
    RM
}
