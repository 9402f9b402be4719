package io.tessera.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Client-side settings shared by every run of one invocation.
 *
 * @param connectionsPerTarget TM connections and (as many) RM connections opened to each target
 * @param keySpace AT lock keys are drawn uniformly from {@code [0, keySpace)}
 * @param rollbackPercent share of mix transactions that end with GlobalRollback
 * @param atPercent share of mix transactions that are AT (one branch, lock keys)
 * @param maxTxPerRun no run starts more transactions than this (safety bound besides time)
 */
record BenchConfig(List<InetSocketAddress> targets, String applicationId, String txGroup, int connectionsPerTarget,
        int ioThreads, long requestTimeoutMs, int globalTimeoutMs, int keySpace, int locksPerTx,
        int rollbackPercent, int atPercent, int maxInFlight, long maxTxPerRun) {

    BenchConfig {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no targets");
        }
        for (InetSocketAddress t : targets) {
            // A load generator that can be pointed anywhere is a weapon; this one is for the local cluster.
            if (t.getAddress() == null || !t.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("only loopback targets are allowed, not " + t);
            }
        }
        if (keySpace < locksPerTx || locksPerTx < 1) {
            throw new IllegalArgumentException("need 1 <= locksPerTx <= keySpace");
        }
        if (rollbackPercent < 0 || atPercent < 0 || rollbackPercent + atPercent > 100) {
            throw new IllegalArgumentException("rollbackPercent + atPercent must be within 0..100");
        }
    }

    static BenchConfig defaults(List<InetSocketAddress> targets) {
        return new BenchConfig(targets, "bench-app", "bench-tx-group", 1, 2, 10_000, 60_000, 10_000, 2, 20, 20,
                10_000, 10_000_000);
    }

    /** "127.0.0.1:8091,127.0.0.1:8092" → addresses (resolved; must be loopback). */
    static List<InetSocketAddress> parseTargets(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : list.split("[,;]")) {
            s = s.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("target without port: " + s);
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon)),
                        Integer.parseInt(s.substring(colon + 1))));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host in " + s, e);
            }
        }
        return out;
    }
}
