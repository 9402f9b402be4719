package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.alipay.sofa.jraft.entity.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeadershipEventsTest {
    @TempDir
    Path dir;

    /** Some member other than {@code leader}: changes are observed from a follower. */
    private static int third(int leader, TestCluster c) {
        return leader == 0 ? 1 : 0;
    }

    @Test
    void leaderHooksAndChangeListenersFollowATransferInOrder() throws Exception {
        List<List<String>> hooks = new ArrayList<>();
        List<List<String>> changes = new ArrayList<>();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            hooks.add(Collections.synchronizedList(new ArrayList<>()));
            changes.add(Collections.synchronizedList(new ArrayList<>()));
        }
        try (TestCluster c = new TestCluster(dir, 3).beforeStart((g, i) -> {
            g.addLeaderListener(new LeaderListener() {
                @Override
                public void onLeaderStart(long term) {
                    threads.add(Thread.currentThread().getName());
                    hooks.get(i).add("start:" + term);
                }

                @Override
                public void onLeaderStop(long term) {
                    hooks.get(i).add("stop:" + term);
                }
            });
            g.addLeaderChangeListener((term, leader) -> changes.get(i).add(term + ":" + leader.orElse("-")));
        }).startAll()) {
            RaftGroup a = c.waitLeader(Duration.ofSeconds(15));
            int ai = c.indexOf(a);
            long t1 = a.currentTerm();
            await().atMost(Duration.ofSeconds(5)).until(() -> hooks.get(ai).equals(List.of("start:" + t1)));
            // Registered late (the coordinator may register after start()): hears the current leadership once.
            List<String> late = Collections.synchronizedList(new ArrayList<>());
            List<String> lateChanges = Collections.synchronizedList(new ArrayList<>());
            a.addLeaderListener(new LeaderListener() {
                @Override
                public void onLeaderStart(long term) {
                    late.add("start:" + term);
                }

                @Override
                public void onLeaderStop(long term) {
                    late.add("stop:" + term);
                }
            });
            c.group(third(ai, c)).addLeaderChangeListener((term, leader) -> lateChanges.add(term + ":" + leader.orElse("-")));
            await().atMost(Duration.ofSeconds(5)).until(() -> late.equals(List.of("start:" + t1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> lateChanges.equals(List.of(t1 + ":" + a.selfEndpoint())));

            await().atMost(Duration.ofSeconds(10)).until(() -> a.node().transferLeadershipTo(PeerId.ANY_PEER).isOk());
            RaftGroup b = c.waitLeader(Duration.ofSeconds(15));
            int bi = c.indexOf(b);
            long t2 = b.currentTerm();

            await().atMost(Duration.ofSeconds(5)).until(() -> hooks.get(ai).equals(List.of("start:" + t1, "stop:" + t1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> hooks.get(bi).equals(List.of("start:" + t2)));
            int third = 3 - ai - bi;
            assertEquals(List.of(), hooks.get(third));
            await().atMost(Duration.ofSeconds(5)).until(() -> late.equals(List.of("start:" + t1, "stop:" + t1)));
            // The bystander saw the old leader, then (possibly after a leaderless moment) the new one.
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get(third).contains(t2 + ":" + b.selfEndpoint()));
            assertEquals(t1 + ":" + a.selfEndpoint(), changes.get(third).get(0));
            assertEquals(Optional.of(b.selfEndpoint()), c.group(third).leaderEndpoint());
            // Hooks never run on jraft's apply thread.
            assertFalse(threads.stream().anyMatch(t -> t.contains("FSMCaller")), threads.toString());
        }
    }
}
