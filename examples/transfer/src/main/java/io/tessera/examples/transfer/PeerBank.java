package io.tessera.examples.transfer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.seata.core.context.RootContext;

/**
 * The other bank, over HTTP. The global transaction travels in Seata's {@code TX_XID} header
 * ({@link RootContext#KEY_XID}); the other side binds it before it writes, so its write joins the same
 * global transaction as a branch of its own database.
 */
final class PeerBank {
    /** The peer's answer: 200 credited, anything else refused or failed. */
    record Answer(int status, String body) {
        boolean credited() {
            return status == 200;
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    PeerBank(URI base) {
        this.base = base;
    }

    Answer credit(String xid, String account, long amount) throws IOException, InterruptedException {
        URI uri = base.resolve("/credit?account=" + URLEncoder.encode(account, StandardCharsets.UTF_8) + "&amount=" + amount);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header(RootContext.KEY_XID, xid)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
