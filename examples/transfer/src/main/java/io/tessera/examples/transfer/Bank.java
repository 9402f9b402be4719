package io.tessera.examples.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.SQLException;
import java.util.Map;

/** One bank service: its own database (through Seata's DataSourceProxy) and its HTTP API. */
final class Bank implements AutoCloseable {
    private final BankDatabase db;
    private final Accounts accounts;
    private final BankServer server;

    private Bank(BankDatabase db, BankServer server, Accounts accounts) {
        this.db = db;
        this.server = server;
        this.accounts = accounts;
    }

    /**
     * Starts the bank's database and HTTP port (0: any free port). Seata's RM must be initialised first
     * ({@link SeataClient#init}): the DataSourceProxy registers the database with it.
     *
     * @param peer the bank it pays to (null: it only receives)
     */
    static Bank start(String name, int port, Map<String, Long> openingBalances, URI peer, long creditLimit)
            throws IOException, SQLException {
        BankDatabase db = BankDatabase.start(openingBalances);
        try {
            Accounts accounts = new Accounts(db);
            TransferService transfers = new TransferService(name, accounts, peer == null ? null : new PeerBank(peer),
                    creditLimit);
            BankServer server = new BankServer(name, accounts, transfers, new InetSocketAddress("127.0.0.1", port));
            server.start();
            return new Bank(db, server, accounts);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    Accounts accounts() {
        return accounts;
    }

    String jdbcUrl() {
        return db.jdbcUrl();
    }

    @Override
    public void close() throws IOException {
        server.close();
        db.close();
    }
}
