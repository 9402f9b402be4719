/** Replicated transaction state: commands, deterministic apply over RocksDB, jraft adapter. */
package io.tessera.raft;
