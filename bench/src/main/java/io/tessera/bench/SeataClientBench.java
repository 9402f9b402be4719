package io.tessera.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The client-side view: N threads each running two-branch TCC transactions through the unmodified
 * seata-all TM API and RM client (RM batching on, as shipped). With {@code --control} the client uses
 * Seata's raft registry (it finds the leader over HTTP and sends every request there, as a production
 * client configured with the node list does); without it, the file registry listing every target
 * (requests spread over the nodes, followers forward).
 * One blocking thread per in-flight transaction is what a real application does, so it is right here.
 * seata-all keeps its clients in static singletons: one run per JVM.
 */
@Command(name = "tessera-bench-client", mixinStandardHelpOptions = true,
        description = "Two-branch TCC transactions through the real seata-all client.")
public final class SeataClientBench implements Callable<Integer> {
    static final String GROUP = "bench-tx-group";

    @Option(names = "--targets", defaultValue = "127.0.0.1:8091,127.0.0.1:8092,127.0.0.1:8093")
    String targets;

    @Option(names = "--control", description = "control (HTTP) addresses: use the raft registry")
    String control;

    @Option(names = "--threads", defaultValue = "16")
    int threads;

    @Option(names = "--warmup", defaultValue = "25")
    double warmup;

    @Option(names = "--duration", defaultValue = "20")
    double duration;

    @Option(names = "--max-tx", defaultValue = "10000000")
    long maxTx = 10_000_000;

    @Option(names = "--server-pids", defaultValue = "",
            description = "pids of the node processes: report their CPU per transaction over the measured window")
    String serverPids;

    @Option(names = "--no-login",
            description = "raft registry without a login (builds before roles and credentials existed)")
    boolean noLogin;

    @Option(names = "--json")
    Path json;

    private volatile Stats current;
    private volatile boolean running = true;
    private final AtomicLong launched = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        RunResult r = run();
        System.out.print(Report.table(List.of(r)));
        if (json != null) {
            Report.writeJson(json, List.of(r), Report.environment());
        }
        return r.histogramCount() > 0 ? 0 : 2;
    }

    RunResult run() throws Exception {
        List<InetSocketAddress> addrs = BenchConfig.parseTargets(targets);
        BenchConfig.defaults(addrs); // loopback check
        if (control != null && !control.isBlank()) {
            BenchConfig.defaults(BenchConfig.parseTargets(control)); // loopback check
            System.setProperty("seata.config.name", "seata-bench-raft");
            System.setProperty("registry.raft.serverAddr", control.replace(';', ','));
            // The client role's login, as scripts/cluster.sh generated it (bench.sh exports credentials.env).
            if (!noLogin) {
                setFromEnv("registry.raft.username", "TESSERA_REGISTRY_USERNAME");
                setFromEnv("registry.raft.password", "TESSERA_REGISTRY_PASSWORD");
            }
        } else {
            System.setProperty("seata.config.name", "seata-bench-registry");
        }
        System.setProperty("service.default.grouplist", addrs.stream()
                .map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(";")));
        TMClient.init("bench-client-app", GROUP);
        RMClient.init("bench-client-app", GROUP);
        DefaultResourceManager.get(); // loads the built-in managers; ours replaces the TCC one afterwards
        BenchTccResourceManager rm = new BenchTccResourceManager();
        DefaultResourceManager.mockResourceManager(org.apache.seata.core.model.BranchType.TCC, rm);
        rm.registerResource(BenchTccResourceManager.resource(Workloads.TCC_A, GROUP));
        rm.registerResource(BenchTccResourceManager.resource(Workloads.TCC_B, GROUP));
        try {
            Stats warm = new Stats();
            Stats measured = new Stats();
            current = warm;
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(this::loop, "bench-client-" + i);
                t.setDaemon(true);
                t.start();
                workers.add(t);
            }
            sleep(warmup);
            long p2c0 = rm.commits.sum();
            ProcessCpu servers = ProcessCpu.parse(serverPids);
            double serverCpu0 = servers.isEmpty() ? 0 : servers.seconds();
            long cpu0 = LoadRunner.processCpuNanos();
            long t0 = System.nanoTime();
            current = measured;
            sleep(duration);
            current = null;
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (LoadRunner.processCpuNanos() - cpu0) / 1e9 / seconds;
            double serverCpu = servers.isEmpty() ? 0 : servers.seconds() - serverCpu0;
            long p2c = rm.commits.sum() - p2c0;
            running = false;
            for (Thread t : workers) {
                t.join(30_000);
            }
            long started = measured.started.sum();
            long ok = measured.committed.sum();
            Histogram h = measured.histogram();
            if (!servers.isEmpty()) {
                // One parseable line for scripts/bench-cpu.sh: all node processes together.
                System.out.printf(java.util.Locale.ROOT,
                        "SERVER_CPU threads=%d committed=%d tx_per_s=%.1f p99_ms=%.1f cores=%.3f ms_per_tx=%.3f%n",
                        threads, ok, ok / seconds, h.getValueAtPercentile(99) / 1e3, serverCpu / seconds,
                        ok == 0 ? Double.NaN : serverCpu * 1e3 / ok);
            }
            String name = control != null && !control.isBlank() ? "tcc2-seata-client-raft" : "tcc2-seata-client";
            return new RunResult(name, "closed", threads, 0, seconds, started, ok, 0, 0,
                    measured.errorCount(), started - measured.finished(), measured.errors(), ok / seconds,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                    h.getTotalCount(), p2c, 0, -1, -1, cpu);
        } finally {
            TmNettyRemotingClient.getInstance().destroy();
            RmNettyRemotingClient.getInstance().destroy();
        }
    }

    private void loop() {
        while (running && launched.incrementAndGet() <= maxTx) {
            Stats s = current;
            Stats sink = s == null ? new Stats() : s;
            sink.started();
            long t0 = System.nanoTime();
            try {
                GlobalTransaction tx = GlobalTransactionContext.createNew();
                tx.begin(60_000, "bench");
                String xid = tx.getXid();
                DefaultResourceManager.get().branchRegister(BranchType.TCC, Workloads.TCC_A, null, xid, "{}", null);
                DefaultResourceManager.get().branchRegister(BranchType.TCC, Workloads.TCC_B, null, xid, "{}", null);
                tx.commit();
                GlobalStatus st = tx.getLocalStatus();
                if (st == GlobalStatus.Committed) {
                    sink.completed(Workloads.Outcome.COMMITTED, null, System.nanoTime() - t0);
                } else {
                    sink.error("GlobalCommit:status=" + st);
                }
            } catch (TransactionException e) {
                sink.error("client:" + e.getCode());
            } catch (RuntimeException e) {
                sink.error("client:" + e.getClass().getSimpleName());
            } finally {
                RootContext.unbind();
            }
        }
    }

    private static void sleep(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new SeataClientBench()).execute(args);
        System.exit(code);
    }

    private static void setFromEnv(String property, String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(variable + " is not set: the raft registry needs the client role's login");
        }
        System.setProperty(property, value);
    }
}
