package io.tessera.examples.transfer;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code BankMain --name bank-a --port 18081 --account alice=1000 [--peer http://127.0.0.1:18082]
 * [--credit-limit 500]}: one bank service until SIGTERM. Seata finds Tessera through the system properties
 * {@code registry.raft.serverAddr}, {@code registry.raft.username} and {@code registry.raft.password}
 * (see run.sh and registry.conf).
 */
public final class BankMain {
    private static final Logger log = LoggerFactory.getLogger(BankMain.class);

    private BankMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = null;
        int port = 0;
        URI peer = null;
        long creditLimit = Long.MAX_VALUE;
        Map<String, Long> accounts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--name" -> name = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--peer" -> peer = URI.create(value);
                case "--credit-limit" -> creditLimit = Long.parseLong(value);
                case "--account" -> {
                    String[] kv = value.split("=", 2);
                    accounts.put(kv[0], Long.parseLong(kv[1]));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (name == null || accounts.isEmpty()) {
            System.err.println("usage: BankMain --name NAME --port PORT --account ID=BALANCE... [--peer URL] [--credit-limit N]");
            System.exit(2);
        }
        SeataClient.init(name);
        Bank bank = Bank.start(name, port, accounts, peer, creditLimit);
        log.info("{} ready on {} (database {})", name, bank.uri(), bank.jdbcUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                bank.close();
            } catch (Exception e) {
                log.warn("{} did not stop cleanly: {}", bank, e.toString());
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
