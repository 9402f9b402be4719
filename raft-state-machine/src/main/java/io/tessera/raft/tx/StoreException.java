package io.tessera.raft.tx;

/** A RocksDB failure or undecodable stored value: never a business outcome, always halts apply. */
final class StoreException extends IllegalStateException {
    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    StoreException(String message) {
        super(message);
    }
}
