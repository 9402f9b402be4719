/**
 * Self-registration of a node's transaction endpoint into the registries Seata clients discover
 * coordinators with (ZooKeeper, Redis, etcd v3, Eureka), with the key layout, values and liveness mechanism
 * Seata's own server uses for each, so an unmodified client configured for that registry finds the
 * cluster. Every node registers (followers forward). Registration never blocks startup or a
 * transaction: each registrar works on its own thread, retries with backoff, and logs one line per
 * change of state.
 */
package io.tessera.coordinator.registry;
