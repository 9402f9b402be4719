package io.tessera.coordinator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tessera.raft.group.RaftGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * On the leader: how many entries each other member's applied index is behind the leader's
 * ({@code tessera_raft_follower_apply_lag{follower="host:port"}}). Each scrape asks every member for its
 * status (the members' status service, at most {@value #ASK_TIMEOUT_MS} ms, without waiting) and shows
 * the answers of the previous round, so a scrape never waits on the network. A member that did not
 * answer keeps its last figure until it leaves the configuration; {@code _seen_seconds} says how old it is.
 */
final class FollowerLag {
    static final long ASK_TIMEOUT_MS = 1_000;

    private record Answer(long appliedIndex, long atMillis) {
    }

    private final RaftGroup group;
    private final MultiGauge lag;
    private final MultiGauge age;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    FollowerLag(MeterRegistry registry, RaftGroup group) {
        this.group = group;
        this.lag = MultiGauge.builder("tessera.raft.follower.apply.lag")
                .description("On the leader: entries each member's applied index is behind the leader's")
                .register(registry);
        this.age = MultiGauge.builder("tessera.raft.follower.seen.age.seconds")
                .description("On the leader: seconds since each member last answered its status")
                .register(registry);
    }

    synchronized void refresh(boolean leader) {
        if (!leader) {
            answers.clear();
            lag.register(List.of(), true);
            age.register(List.of(), true);
            return;
        }
        String self = group.selfEndpoint();
        List<String> others = group.configuration().all().stream().filter(e -> !e.equals(self)).toList();
        answers.keySet().retainAll(others);
        for (String member : others) {
            group.memberStatus(member, ASK_TIMEOUT_MS).thenAccept(s -> answers.put(member,
                    new Answer(s.getAppliedIndex(), System.currentTimeMillis())));
        }
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (String member : others) {
            Tags tags = Tags.of("follower", member);
            lagRows.add(MultiGauge.Row.of(tags, () -> {
                Answer a = answers.get(member);
                return a == null ? Double.NaN : Math.max(0, group.lastAppliedIndex() - a.appliedIndex());
            }));
            ageRows.add(MultiGauge.Row.of(tags, () -> {
                Answer a = answers.get(member);
                return a == null ? Double.NaN : (System.currentTimeMillis() - a.atMillis()) / 1000.0;
            }));
        }
        lag.register(lagRows, false);
        age.register(ageRows, false);
    }
}
