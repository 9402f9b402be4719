/** The coordinator node: Seata-compatible front end, forwarding, leader drivers, control port. */
package io.tessera.coordinator;
