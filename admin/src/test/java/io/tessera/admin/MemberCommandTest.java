package io.tessera.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera-admin member list|add|remove|replace|transfer-leader} against a real cluster. */
@Timeout(180)
class MemberCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run admin(TestCluster c, String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--cluster", c.controlAddresses(), "--username", TestSecurity.ADMIN.username(),
                "--password", TestSecurity.ADMIN.password()}, 0, all, args.length, 6);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void addListMoveLeadershipReplaceAndRemove() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            c.leaderIndex();
            c.awaitTokenKey();
            int n4 = c.addNode();
            c.start(n4);
            MemberSpec spec4 = c.members().get(n4);

            Run added = admin(c, "member", "add", spec4.toString(), "--timeout", "60");
            assertEquals(0, added.code(), added.err());
            assertTrue(added.out().contains("node4@") && added.out().contains("is a voter"), added.out());

            Run list = admin(c, "member", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("node4") && l.contains("voter")
                    && l.contains(spec4.control().toString())), list.out());
            assertEquals(6, list.out().lines().count(), "two header lines and four members: " + list.out());

            Run moved = admin(c, "member", "transfer-leader", "node4");
            assertEquals(0, moved.code(), moved.err());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.node(n4).group().isLeader());

            // A failed machine: node2 is gone for good; node5 takes its place.
            c.stop(1);
            int n5 = c.addNode();
            c.start(n5);
            Run replaced = admin(c, "member", "replace", "node2", c.members().get(n5).toString());
            assertEquals(0, replaced.code(), replaced.err());
            assertTrue(replaced.out().contains("node2 removed"), replaced.out());

            Run removed = admin(c, "member", "remove", "node4");
            assertEquals(0, removed.code(), removed.err());
            assertTrue(removed.out().contains("leadership handed to"), removed.out());
            c.stop(n4);
            Run after = admin(c, "member", "list");
            assertTrue(after.out().contains("node5") && !after.out().contains("node4") && !after.out().contains("node2"),
                    after.out());

            Run unknown = admin(c, "member", "remove", "node42");
            assertEquals(1, unknown.code());
            assertTrue(unknown.err().contains("no member node42"), unknown.err());
            StringWriter err = new StringWriter();
            int asClient = TesseraAdmin.run(new String[] {"member", "list", "--cluster", c.controlAddresses(),
                    "--username", TestSecurity.CLIENT.username(), "--password", TestSecurity.CLIENT.password()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(1, asClient);
            assertTrue(err.toString().contains("needs the admin role"), err.toString());
        }
    }
}
