package io.tessera.compat.chaos;

import io.tessera.compat.chaos.FaultPlan.Step;
import io.tessera.compat.failover.ProcessCluster;
import io.tessera.compat.failover.ProcessCluster.Member;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Applies one step of the plan to the process cluster and undoes it: kill -9 then restart, SIGSTOP then
 * SIGCONT, iptables rules then their removal, busy processes then their end. Whatever is still applied
 * (stopped pids, rules, busy processes) is undone by {@link #close()}, also after a failure.
 */
final class FaultInjector implements AutoCloseable {
    /** What happened at one step; times are System.nanoTime. */
    record Applied(Step step, FaultKind kind, String victims, long startNanos, long healedNanos, long recoveredNanos,
            long termBefore, long termAfter) {
        long elections() {
            return termAfter - termBefore;
        }
    }

    private final ProcessCluster cluster;
    private final Netfilter netfilter;
    private final Set<Long> stopped = ConcurrentHashMap.newKeySet();
    private final List<Process> busy = new ArrayList<>();

    FaultInjector(ProcessCluster cluster, Netfilter netfilter) {
        this.cluster = cluster;
        this.netfilter = netfilter;
    }

    Applied inject(Step step) {
        String leader = cluster.awaitOneLeaderAgreed();
        long termBefore = maxTerm();
        List<String> followers = cluster.members().stream().map(Member::id).filter(id -> !id.equals(leader)).toList();
        String follower = followers.get(step.pick() % followers.size());
        Deque<Runnable> heal = new ArrayDeque<>();
        List<String> victims = new ArrayList<>();
        long start = System.nanoTime();
        if (step.kind() == FaultKind.COMBO) {
            // the companion first (a paused follower, starved cores), then the main fault on the leader
            apply(step.with(), leader, follower, step, heal, victims);
            apply(FaultPlan.comboPrimary(step), leader, follower, step, heal, victims);
        } else {
            apply(step.kind(), leader, follower, step, heal, victims);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(step.holdMs()));
        long healed = System.nanoTime();
        // undo in the order applied: the companion (a follower resumed) before a killed leader restarts,
        // so the restart finds a quorum
        while (!heal.isEmpty()) {
            heal.pollFirst().run();
        }
        awaitRecovered();
        return new Applied(step, step.kind(), String.join(",", victims), start, healed, System.nanoTime(), termBefore,
                maxTerm());
    }

    private void apply(FaultKind kind, String leader, String follower, Step step, Deque<Runnable> heal,
            List<String> victims) {
        switch (kind) {
            case KILL_LEADER, KILL_FOLLOWER -> {
                String victim = kind == FaultKind.KILL_LEADER ? leader : follower;
                victims.add("kill " + victim);
                cluster.kill(victim);
                heal.addLast(() -> cluster.restart(victim));
            }
            case PAUSE_LEADER, PAUSE_FOLLOWER -> {
                String victim = kind == FaultKind.PAUSE_LEADER ? leader : follower;
                long pid = cluster.pid(victim).orElseThrow(() -> new IllegalStateException(victim + " is not running"));
                victims.add("pause " + victim);
                signal("STOP", pid);
                stopped.add(pid);
                heal.addLast(() -> {
                    signal("CONT", pid);
                    stopped.remove(pid);
                });
            }
            case ISOLATE_LEADER -> {
                victims.add("isolate " + leader);
                for (Member m : cluster.members()) {
                    if (!m.id().equals(leader)) {
                        cut(leader, m.id());
                        cut(m.id(), leader);
                    }
                }
                heal.addLast(netfilter::clear);
            }
            case SPLIT -> {
                List<Member> all = cluster.members();
                String alone = all.get(step.pick() % all.size()).id();
                victims.add("split " + alone + "|rest" + (alone.equals(leader) ? " (leader)" : ""));
                for (Member m : all) {
                    if (!m.id().equals(alone)) {
                        cut(alone, m.id());
                        cut(m.id(), alone);
                    }
                }
                heal.addLast(netfilter::clear);
            }
            case ONE_WAY -> {
                victims.add("drop " + leader + "->" + follower);
                cut(leader, follower);
                heal.addLast(netfilter::clear);
            }
            case CPU_STARVE -> {
                int cores = Runtime.getRuntime().availableProcessors();
                victims.add("starve " + cores + " cores");
                List<Process> mine = new ArrayList<>();
                for (int i = 0; i < cores; i++) {
                    mine.add(spin());
                }
                busy.addAll(mine);
                heal.addLast(() -> {
                    mine.forEach(FaultInjector::end);
                    busy.removeAll(mine);
                });
            }
            case COMBO -> throw new IllegalArgumentException("nested combo");
        }
    }

    /** Drops what {@code from} sends to {@code to}'s raft port. */
    private void cut(String from, String to) {
        Member target = cluster.member(to);
        netfilter.drop(ProcessCluster.nodeUid(from), target.host(), target.raft());
    }

    /** One leader agreed by all live nodes, every node caught up with it. */
    private void awaitRecovered() {
        String leader = cluster.awaitOneLeaderAgreed();
        for (Member m : cluster.members()) {
            if (!m.id().equals(leader)) {
                cluster.awaitCaughtUp(m.id(), leader);
            }
        }
    }

    long maxTerm() {
        return cluster.liveHealth().stream().mapToLong(ProcessCluster.Health::term).max().orElse(0);
    }

    private static Process spin() {
        try {
            return new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void end(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signal(String sig, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resumes every process we stopped, ends the busy ones, removes our rules. */
    @Override
    public void close() {
        for (long pid : List.copyOf(stopped)) {
            signal("CONT", pid);
        }
        stopped.clear();
        busy.forEach(FaultInjector::end);
        busy.clear();
        netfilter.clear();
    }

    static OptionalLong none() {
        return OptionalLong.empty();
    }
}
