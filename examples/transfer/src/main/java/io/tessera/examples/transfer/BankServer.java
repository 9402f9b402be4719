package io.tessera.examples.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.seata.core.context.RootContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bank's HTTP API (the JDK's HttpServer, JSON answers):
 * <ul>
 * <li>{@code GET /balances}: every account of this bank</li>
 * <li>{@code POST /transfer?from=A&to=B&amount=N}: pay from this bank's account A to the other bank's B</li>
 * <li>{@code POST /credit?account=B&amount=N} with header {@code TX_XID}: the other bank's half of a transfer</li>
 * </ul>
 */
final class BankServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BankServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bank;
    private final Accounts accounts;
    private final TransferService transfers;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    BankServer(String bank, Accounts accounts, TransferService transfers, InetSocketAddress address) throws IOException {
        this.bank = bank;
        this.accounts = accounts;
        this.transfers = transfers;
        this.server = HttpServer.create(address, 50);
        server.setExecutor(executor);
        server.createContext("/balances", this::balances);
        server.createContext("/transfer", this::transfer);
        server.createContext("/credit", this::credit);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void balances(HttpExchange ex) throws IOException {
        if (!method(ex, "GET")) {
            return;
        }
        try {
            answer(ex, 200, Map.of("bank", bank, "balances", accounts.balances()));
        } catch (Exception e) {
            failed(ex, e);
        }
    }

    private void transfer(HttpExchange ex) throws IOException {
        if (!method(ex, "POST")) {
            return;
        }
        if (!transfers.pays()) {
            answer(ex, 404, Map.of("error", bank + " only receives transfers"));
            return;
        }
        Map<String, String> q = query(ex);
        String from = q.get("from");
        String to = q.get("to");
        Long amount = amount(q.get("amount"));
        if (!valid(from) || !valid(to) || amount == null) {
            answer(ex, 400, Map.of("error", "expected from=ACCOUNT&to=ACCOUNT&amount=N (accounts [a-z0-9-]{1,32}, N > 0)"));
            return;
        }
        try {
            TransferService.Outcome o = transfers.transfer(from, to, amount);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("xid", o.xid());
            body.put("status", o.committed() ? "committed" : "rolled back");
            body.put("message", o.message());
            answer(ex, o.committed() ? 200 : 409, body);
        } catch (Exception e) {
            failed(ex, e);
        }
    }

    private void credit(HttpExchange ex) throws IOException {
        if (!method(ex, "POST")) {
            return;
        }
        String xid = ex.getRequestHeaders().getFirst(RootContext.KEY_XID);
        Map<String, String> q = query(ex);
        String account = q.get("account");
        Long amount = amount(q.get("amount"));
        if (xid == null || xid.isBlank() || xid.length() > 128 || !valid(account) || amount == null) {
            answer(ex, 400, Map.of("error", "expected header " + RootContext.KEY_XID + " and account=ACCOUNT&amount=N"));
            return;
        }
        try {
            transfers.credit(xid, account, amount);
            answer(ex, 200, Map.of("status", "credited"));
        } catch (Accounts.Refused e) {
            answer(ex, 422, Map.of("error", e.getMessage()));
        } catch (Exception e) {
            failed(ex, e);
        }
    }

    private static boolean valid(String account) {
        return account != null && Accounts.ACCOUNT_ID.matcher(account).matches();
    }

    private static Long amount(String text) {
        try {
            long v = Long.parseLong(text);
            return v > 0 && v <= 1_000_000_000L ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&", 16)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static boolean method(HttpExchange ex, String expected) throws IOException {
        if (expected.equals(ex.getRequestMethod())) {
            return true;
        }
        answer(ex, 405, Map.of("error", "use " + expected));
        return false;
    }

    private void failed(HttpExchange ex, Exception e) throws IOException {
        log.warn("{} {} failed: {}", bank, ex.getRequestURI().getPath(), e.toString());
        answer(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
    }

    private static void answer(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
