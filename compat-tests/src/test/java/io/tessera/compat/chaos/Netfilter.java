package io.tessera.compat.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * iptables DROP rules in the OUTPUT chain between node processes, every one tagged with the comment
 * {@value #TAG} so that {@link #clear()} removes ours and nothing else. A packet is singled out by its
 * sender's user id (each node runs as its own user) and its destination address and port: loopback
 * connections all leave from 127.0.0.1, so the source address cannot tell nodes apart. The nftables
 * backend ({@code iptables}) is tried first, then {@code iptables-legacy}.
 */
final class Netfilter {
    static final String TAG = "tessera-chaos";

    private final String binary;
    private final String unavailable;

    private Netfilter(String binary, String unavailable) {
        this.binary = binary;
        this.unavailable = unavailable;
    }

    /** Installs iptables if missing (apt-get, as root) and checks that a tagged rule can be added and removed. */
    static Netfilter probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new Netfilter(null, "not root: iptables rules and per-node users need root");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/iptables")) && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            run(List.of("apt-get", "install", "-y", "-q", "iptables"), 300);
        }
        List<String> tried = new ArrayList<>();
        for (String bin : List.of("/usr/sbin/iptables", "/usr/sbin/iptables-legacy")) {
            if (!Files.isExecutable(Path.of(bin))) {
                tried.add(bin + ": missing");
                continue;
            }
            List<String> rule = List.of("-p", "tcp", "-d", "127.0.0.254", "--dport", "9", "-m", "owner",
                    "--uid-owner", "65001", "-m", "comment", "--comment", TAG, "-j", "DROP");
            Result add = run(concat(bin, "-w", "-A", "OUTPUT", rule), 30);
            Result del = run(concat(bin, "-w", "-D", "OUTPUT", rule), 30);
            if (add.ok() && del.ok()) {
                return new Netfilter(bin, null);
            }
            tried.add(bin + ": " + (add.ok() ? del.output() : add.output()).trim());
        }
        return new Netfilter(null, "netfilter does not work here (" + String.join("; ", tried) + ")");
    }

    Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    String backend() {
        return binary;
    }

    /** Drops TCP packets that the process of user {@code fromUid} sends to {@code host:port}. */
    void drop(int fromUid, String host, int port) {
        Result r = run(concat(binary, "-w", "-A", "OUTPUT", List.of("-p", "tcp", "-d", host, "--dport", String.valueOf(port),
                "-m", "owner", "--uid-owner", String.valueOf(fromUid), "-m", "comment", "--comment", TAG, "-j", "DROP")), 30);
        if (!r.ok()) {
            throw new IllegalStateException("iptables rule not added: " + r.output());
        }
    }

    /** Removes every rule tagged {@value #TAG} (ours, also those a crashed earlier run left behind). */
    void clear() {
        if (binary == null) {
            return;
        }
        Result list = run(List.of(binary, "-w", "-S", "OUTPUT"), 30);
        for (String line : list.output().split("\n")) {
            if (line.startsWith("-A OUTPUT") && line.contains("--comment " + TAG)) {
                List<String> args = new ArrayList<>(List.of(binary, "-w", "-D"));
                args.addAll(List.of(line.substring(3).trim().split("\\s+")));
                run(args, 30);
            }
        }
    }

    int ruleCount() {
        if (binary == null) {
            return 0;
        }
        return (int) run(List.of(binary, "-w", "-S", "OUTPUT"), 30).output().lines()
                .filter(l -> l.contains("--comment " + TAG)).count();
    }

    private static List<String> concat(String bin, String wait, String op, String chain, List<String> rule) {
        List<String> all = new ArrayList<>(List.of(bin, wait, op, chain));
        all.addAll(rule);
        return all;
    }

    private record Result(boolean ok, String output) {
    }

    private static Result run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "timed out: " + cmd);
            }
            return new Result(p.exitValue() == 0, new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, e.toString());
        }
    }
}
