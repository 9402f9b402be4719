package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.alipay.remoting.rpc.exception.InvokeServerException;
import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.option.CliOptions;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.CliRequests;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcRequests;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import com.google.protobuf.Message;
import io.tessera.raft.group.proto.ForwardResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a non-member with network access to a TLS member's raft port can do: nothing. Every attack is
 * checked against a control that does get through with a member certificate, so a refusal cannot come
 * from a malformed request.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberTlsAttackTest {
    private static final long QUIET = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void forgedForwardAndPeerCallRequestsWithoutAMemberCertificateAreRefused() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki stranger = new TestPki(dir.resolve("stranger-pki"));
        AtomicInteger branchCommits = new AtomicInteger();
        try (TestCluster c = new TestCluster(dir, 3).tls(i -> pki.member("n" + i))
                .beforeStart((g, i) -> g.registerPeerService("branch-commit", payload -> {
                    branchCommits.incrementAndGet();
                    return CompletableFuture.completedFuture(payload);
                })).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            leader.propose(draft("add legit 1")).get(10, TimeUnit.SECONDS);
            String follower = c.group(c.followerIndexes().get(0)).selfEndpoint();

            for (Transport attacker : List.of(Transport.plain(),
                    Transport.tls(TestPki.load(stranger.strangerTrusting(pki, "mallory")), "mallory", QUIET))) {
                try (ForwardClient forged = client(attacker)) {
                    // Roll back someone else's transaction, as it were: a draft only the leader may stamp.
                    CompletableFuture<ForwardResponse> fwd = forged.forward(leader.selfEndpoint(),
                            draft("add stolen 100"), 3_000);
                    assertNotApplied(fwd);
                    // Make a member send BranchCommit to a connected RM, as it were.
                    CompletableFuture<byte[]> call = forged.call(follower, "branch-commit", new byte[] {1}, 3_000);
                    assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                }
            }

            // Controls: the very same requests with a certificate of the cluster CA do get through.
            try (ForwardClient member = client(Transport.tls(TestPki.load(pki.member("n-extra")), "n-extra", QUIET))) {
                ForwardResponse ok = member.forward(leader.selfEndpoint(), draft("add legit 1"), 3_000)
                        .get(10, TimeUnit.SECONDS);
                assertEquals(ForwardResponse.Outcome.APPLIED, ok.getOutcome(), ok.toString());
                assertEquals(1, member.call(follower, "branch-commit", new byte[] {1}, 3_000)
                        .get(10, TimeUnit.SECONDS)[0]);
            }
            c.ensureSame(Duration.ofSeconds(10));
            for (int i = 0; i < c.size(); i++) {
                assertEquals(0, c.target(i).value("stolen"), "replica " + i);
                assertEquals(2, c.target(i).value("legit"), "replica " + i);
            }
            assertEquals(1, branchCommits.get(), "only the member's call reached the service");
        }
    }

    @Test
    void jraftCliRequestsChangeNothingFromANonMemberNorFromAMemberCertificate() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        try (TestCluster c = new TestCluster(dir, 3).tls(i -> pki.member("n" + i)).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            leader.propose(draft("add x 1")).get(10, TimeUnit.SECONDS);
            long term = leader.currentTerm();
            List<String> members = List.of(c.endpoint(0), c.endpoint(1), c.endpoint(2));
            String follower = c.group(c.followerIndexes().get(0)).selfEndpoint();
            Configuration conf = JRaftUtils.getConfiguration(String.join(",", members));

            // jraft's own CLI service, as a non-member would use it.
            CliOptions cliOptions = new CliOptions();
            cliOptions.setTimeoutMs(2_000);
            cliOptions.setMaxRetry(1);
            CliService cli = RaftServiceFactory.createAndInitCliService(cliOptions);
            try {
                List<Status> results = List.of(
                        cli.removePeer("test", conf, PeerId.parsePeer(follower)),
                        cli.addPeer("test", conf, PeerId.parsePeer("127.0.0.1:1")),
                        cli.transferLeader("test", conf, PeerId.parsePeer(follower)),
                        cli.snapshot("test", PeerId.parsePeer(leader.selfEndpoint())));
                results.forEach(st -> assertFalse(st.isOk(), st.toString()));
            } finally {
                cli.shutdown();
            }

            // The raw requests straight to the leader, even with a certificate of the cluster CA: the
            // processors are not there.
            RpcClient raw = RpcFactoryHelper.rpcFactory().createRpcClient(
                    Transport.tls(TestPki.load(pki.member("n-extra")), "n-extra", QUIET).clientConfig());
            raw.init(new RpcOptions());
            try (LogCapture bolt = new LogCapture("com.alipay.sofa.common.log", Level.ERROR)) {
                Endpoint target = PeerId.parsePeer(leader.selfEndpoint()).getEndpoint();
                Object pong = raw.invokeSync(target, RpcRequests.PingRequest.newBuilder()
                        .setSendTimestamp(System.currentTimeMillis()).build(), 5_000);
                assertEquals(0, ((RpcRequests.ErrorResponse) pong).getErrorCode(), "control: the session works");
                List<Message> requests = List.of(
                        CliRequests.RemovePeerRequest.newBuilder().setGroupId("test")
                                .setLeaderId(leader.selfEndpoint()).setPeerId(follower).build(),
                        CliRequests.AddPeerRequest.newBuilder().setGroupId("test")
                                .setLeaderId(leader.selfEndpoint()).setPeerId("127.0.0.1:1").build(),
                        CliRequests.TransferLeaderRequest.newBuilder().setGroupId("test")
                                .setLeaderId(leader.selfEndpoint()).setPeerId(follower).build(),
                        CliRequests.SnapshotRequest.newBuilder().setGroupId("test")
                                .setPeerId(leader.selfEndpoint()).build(),
                        CliRequests.ResetPeerRequest.newBuilder().setGroupId("test")
                                .setPeerId(leader.selfEndpoint()).addNewPeers(leader.selfEndpoint()).build(),
                        CliRequests.GetPeersRequest.newBuilder().setGroupId("test").build());
                for (Message req : requests) {
                    RemotingException e = assertThrows(RemotingException.class, () -> raw.invokeSync(target, req, 5_000),
                            req.getClass().getSimpleName());
                    assertInstanceOf(InvokeServerException.class, e.getCause(), e.toString());
                    // bolt's own word on the server side (its answer to the client carries no message).
                    await().atMost(Duration.ofSeconds(5)).until(() -> !bolt.linesContaining(
                            "No user processor found for request: " + req.getClass().getName()).isEmpty());
                }
            } finally {
                raw.shutdown();
            }

            for (int i = 0; i < c.size(); i++) {
                RaftGroup g = c.group(i);
                assertEquals(members.stream().sorted().toList(), g.peers().stream().sorted().toList(), "peers of " + i);
                assertEquals(term, g.currentTerm(), "no leadership change");
                try (Stream<Path> s = Files.list(g.options().raftSnapshotDir())) {
                    assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("snapshot_")),
                            "no snapshot taken on " + i);
                }
            }
            assertTrue(leader.isLeader());
            assertEquals(members.stream().sorted().toList(),
                    leader.node().listPeers().stream().map(PeerId::toString).sorted().toList(), "the leader's view");
        }
    }

    @Test
    void refusalsAreLoggedOncePerPeerAddressWithoutStackTraces() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki stranger = new TestPki(dir.resolve("stranger-pki"));
        try (TestCluster c = new TestCluster(dir, 1).tls(i -> pki.member("n" + i));
                LogCapture refusals = new LogCapture(Transport.class);
                LogCapture bolt = new LogCapture("com.alipay", Level.WARN);
                LogCapture boltSofa = new LogCapture("com.alipay.sofa.common.log", Level.WARN)) {
            c.startAll();
            c.waitLeader(Duration.ofSeconds(15));
            InetSocketAddress port = address(c.endpoint(0));
            List<SSLContext> strangers = List.of(
                    clientContext(null),                                                   // no certificate
                    clientContext(selfSigned(stranger)),                                   // self-signed
                    TestPki.load(stranger.strangerTrusting(pki, "mallory")).socketContext()); // another CA
            for (int round = 0; round < 3; round++) {
                assertClosedWithoutAnswer(plainAttempt("127.0.0.1", port));
                for (SSLContext ctx : strangers) {
                    assertClosedWithoutAnswer(tlsAttempt(ctx, "127.0.0.2", port));
                }
            }

            String prefix = "raft port " + c.endpoint(0) + " refused a connection";
            await("logged").atMost(Duration.ofSeconds(5)).until(() -> refusals.linesContaining(prefix).size() >= 2);
            assertEquals(1, refusals.linesContaining(prefix, "from 127.0.0.1:").size(), refusals.lines().toString());
            assertEquals(1, refusals.linesContaining(prefix, "from 127.0.0.2:").size(), refusals.lines().toString());
            assertEquals(2, refusals.lines().size(), refusals.lines().toString());
            assertTrue(Stream.concat(bolt.events().stream(), boltSofa.events().stream())
                    .noneMatch(e -> e.getThrowableProxy() != null), "no stack traces from bolt");
        }
    }

    private static ForwardClient client(Transport transport) {
        ForwardClient f = new ForwardClient("test");
        f.start(transport.clientConfig());
        return f;
    }

    private static void assertNotApplied(CompletableFuture<ForwardResponse> f) throws Exception {
        try {
            ForwardResponse r = f.get(10, TimeUnit.SECONDS);
            assertTrue(r.getOutcome() != ForwardResponse.Outcome.APPLIED, r.toString());
        } catch (ExecutionException refused) {
            // the connection was closed during the handshake
        }
    }

    /** Plain bytes (a bolt heartbeat) from {@code from}; the answer's first byte, or -1 if closed. */
    private static int plainAttempt(String from, InetSocketAddress to) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(to, 2_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(LeaderLossDetector.boltHeartbeat(1));
            return readOrClosed(s.getInputStream());
        }
    }

    private static int tlsAttempt(SSLContext ctx, String from, InetSocketAddress to) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(to, 2_000);
            s.setSoTimeout(10_000);
            try {
                s.startHandshake();
                s.getOutputStream().write(LeaderLossDetector.boltHeartbeat(1));
                s.getOutputStream().flush();
            } catch (IOException refused) {
                return -1;
            }
            return readOrClosed(s.getInputStream());
        }
    }

    private static int readOrClosed(InputStream in) {
        try {
            return in.read();
        } catch (IOException closed) {
            return -1;
        }
    }

    private static void assertClosedWithoutAnswer(int firstByte) {
        assertEquals(-1, firstByte, "the raft port answered a non-member");
    }

    /** A TLS client trusting any server (the attacker does not care), presenting {@code keys} if any. */
    private static SSLContext clientContext(KeyManagerFactory keys) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trustAll}, null);
        return ctx;
    }

    /** The stranger CA's own key and self-signed certificate, presented as a client certificate. */
    private static KeyManagerFactory selfSigned(TestPki stranger) throws Exception {
        Path caDir = stranger.ca().dir();
        char[] password = Files.readString(caDir.resolve("ca.pass"), StandardCharsets.UTF_8).trim().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(caDir.resolve("ca.p12"))) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return kmf;
    }

    private static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }
}
