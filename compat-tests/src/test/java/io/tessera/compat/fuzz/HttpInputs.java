package io.tessera.compat.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HTTP/1.1 input for the control port: methods and paths from the node's route table (and near misses),
 * malformed request lines, huge, duplicated and contradictory headers, bad Content-Length, chunked bodies
 * (valid and broken), bad and deeply nested JSON, pipelined requests; without a token, with a garbage one,
 * or with a valid client or admin token. Routes that change the cluster's membership or credentials, or
 * take a backup, never get a valid admin token: the run must stay comparable, not reconfigure itself.
 */
final class HttpInputs {
    /** One route of the control port (coordinator's ControlServer, CoordinatorNode, MembersRoute, ConsoleApi). */
    record Route(String method, String path, boolean adminSafe, List<String> jsonKeys) {
    }

    static final List<Route> ROUTES = List.of(
            new Route("GET", "/health", true, List.of()),
            new Route("GET", "/health/live", true, List.of()),
            new Route("GET", "/health/ready", true, List.of()),
            new Route("GET", "/metadata/v1/cluster", true, List.of()),
            new Route("POST", "/metadata/v1/watch", true, List.of("default", "group", "term")),
            new Route("POST", "/api/v1/auth/login", true, List.of("username", "password")),
            new Route("POST", "/admin/v1/auth/rotate-token-key", false, List.of()),
            new Route("PUT", "/admin/v1/auth/credentials", false, List.of("role", "username", "password")),
            new Route("GET", "/admin/v1/members", true, List.of()),
            new Route("POST", "/admin/v1/members/add", false, List.of("member", "id", "address")),
            new Route("POST", "/admin/v1/members/remove", false, List.of("member", "id")),
            new Route("POST", "/admin/v1/members/replace", false, List.of("old", "new", "member")),
            new Route("POST", "/admin/v1/members/transfer-leader", false, List.of("member", "id")),
            new Route("POST", "/metadata/v1/changeCluster", false, List.of("clusterName", "members")),
            new Route("POST", "/admin/v1/backup", false, List.of()),
            new Route("GET", "/admin/v1/state-digest", true, List.of()),
            new Route("GET", "/metrics", true, List.of()),
            new Route("GET", "/api/v1/console/globalSession/query", true, List.of()),
            new Route("GET", "/api/v1/console/globalLock/query", true, List.of()),
            new Route("GET", "/api/v1/console/globalLock/check", true, List.of()),
            new Route("GET", "/api/v1/overview/getData", true, List.of()),
            new Route("DELETE", "/api/v1/console/globalSession/forceDeleteGlobalSession", true, List.of()),
            new Route("PUT", "/api/v1/console/globalSession/stopGlobalSession", true, List.of()),
            new Route("PUT", "/api/v1/console/globalSession/startGlobalSession", true, List.of()),
            new Route("PUT", "/api/v1/console/globalSession/sendCommitOrRollback", true, List.of()),
            new Route("PUT", "/api/v1/console/globalSession/changeGlobalStatus", true, List.of()),
            new Route("DELETE", "/api/v1/console/globalSession/deleteGlobalSession", true, List.of()),
            new Route("DELETE", "/api/v1/console/branchSession/forceDeleteBranchSession", true, List.of()),
            new Route("PUT", "/api/v1/console/branchSession/stopBranchSession", true, List.of()),
            new Route("PUT", "/api/v1/console/branchSession/startBranchSession", true, List.of()),
            new Route("DELETE", "/api/v1/console/branchSession/deleteBranchSession", true, List.of()),
            new Route("DELETE", "/api/v1/console/globalLock/delete", true, List.of()));

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE",
        "CONNECT", "get", "G\u0000T", "PRI", "BREW", "X".repeat(100)};
    private static final String[] PARAMS = {"xid", "branchId", "pageNum", "pageSize", "status", "withBranch",
        "applicationId", "transactionName", "resourceId", "pk", "tableName", "group", "timeStart", "timeEnd"};

    /** Tokens the generator may use; filled once the cluster is up (the input is the same with or without). */
    record Tokens(String client, String admin) {
    }

    private final Tokens tokens;

    HttpInputs(Tokens tokens) {
        this.tokens = tokens;
    }

    FuzzInput generate(long index, SplittableRandom rng) {
        Fields f = new Fields(rng);
        int node = rng.nextInt(3);
        StringBuilder what = new StringBuilder();
        Wire w = new Wire();
        boolean complete = true;
        int requests = f.chance(8) ? 2 + rng.nextInt(3) : 1;
        for (int i = 0; i < requests && complete; i++) {
            complete = request(f, w, what);
        }
        return new FuzzInput(index, FuzzInput.Target.HTTP, node, FuzzInput.Register.NONE, w.toBytes(), complete,
                what.toString());
    }

    /** Writes one request; false when it leaves the node rightly waiting for more bytes. */
    private boolean request(Fields f, Wire w, StringBuilder what) {
        SplittableRandom rng = f.rng();
        Route route = ROUTES.get(rng.nextInt(ROUTES.size()));
        String method = f.chance(85) ? route.method() : f.pick(METHODS);
        String path = path(f, route);
        boolean watch = route.path().equals("/metadata/v1/watch");
        String eol = f.chance(95) ? "\r\n" : "\n";
        int token = rng.nextInt(100);
        String auth = null;
        boolean validToken = false;
        if (token < 25) {
            auth = tokens.client();
            validToken = true;
        } else if (token < 50 && route.adminSafe()) {
            auth = tokens.admin();
            validToken = true;
        } else if (token < 70) {
            auth = garbageToken(f);
        }
        what.append(method.length() > 10 ? method.substring(0, 10) : method).append(' ')
                .append(path.length() > 60 ? path.substring(0, 60) + "..." : path)
                .append(validToken ? (auth == tokens.admin() ? " [admin]" : " [client]") : auth == null ? " [no token]" : " [bad token]");
        String version = f.chance(95) ? "HTTP/1.1" : f.pick(new String[] {"HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "", "HTTP/9.9", "http/1.1"});
        if (f.chance(3)) {
            w.ascii(f.pick(new String[] {"", " ", method, method + "  " + path, "\u0000\u0001\u0002", path + " " + method}) + eol);
            what.append(" malformed request line;");
        } else {
            w.ascii(method + " " + path + (version.isEmpty() ? "" : " " + version) + eol);
        }
        byte[] body = body(f, route, what);
        int mode = rng.nextInt(100);
        boolean complete = true;
        List<String> headers = new ArrayList<>();
        headers.add("Host: 127.0.0.1");
        if (auth != null) {
            headers.add("Authorization: " + auth);
            if (f.chance(5)) {
                headers.add("Authorization: " + garbageToken(f)); // duplicated, contradicting
            }
        }
        if (body.length > 0 || f.chance(20)) {
            headers.add("Content-Type: " + (f.chance(80) ? "application/json" : f.pick(new String[] {"text/plain",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-7", ""})));
        }
        byte[] sent = body;
        if (mode < 70) {
            headers.add("Content-Length: " + body.length);
        } else if (mode < 78) {
            // chunked, valid or not
            Wire c = new Wire();
            int pos = 0;
            while (pos < body.length) {
                int n = Math.min(body.length - pos, 1 + rng.nextInt(64));
                c.ascii(Integer.toHexString(n) + (f.chance(5) ? ";ext=1" : "") + "\r\n").bytes(body, pos, n).ascii("\r\n");
                pos += n;
            }
            int broken = rng.nextInt(10);
            if (broken == 0) {
                c.ascii("zz\r\n");
            } else if (broken == 1) {
                c.ascii("ffffffffffffffff\r\n");
                what.append(" huge chunk size;");
                complete = false;
            } else if (broken == 2) {
                what.append(" no last chunk;");
                complete = false; // the node waits for the last chunk
            } else {
                c.ascii("0\r\n\r\n");
            }
            headers.add("Transfer-Encoding: chunked");
            if (f.chance(10)) {
                headers.add("Content-Length: " + body.length); // both: a smuggling attempt
            }
            sent = c.toBytes();
            what.append(" chunked;");
        } else if (mode < 84) {
            int lie = f.chance(50) ? body.length + 1 + rng.nextInt(1000) : Math.max(0, body.length - 1 - rng.nextInt(5));
            headers.add("Content-Length: " + lie);
            complete = lie <= body.length;
            what.append(" content-length ").append(lie).append(" for ").append(body.length).append(';');
            if (lie < body.length) {
                sent = java.util.Arrays.copyOf(body, lie); // the rest would be read as the next request
            }
        } else if (mode < 90) {
            headers.add("Content-Length: " + f.pick(new String[] {"-1", "abc", "1e3", "99999999999999999999", " 5", "0x10",
                "", "2147483648"}));
            what.append(" bad content-length;");
            sent = new byte[0];
            complete = false; // some of these parse as a length the node then waits for
        } else if (mode < 94) {
            headers.add("Content-Length: " + body.length);
            headers.add("Content-Length: " + (body.length + 7));
            what.append(" two content-lengths;");
        } else {
            sent = new byte[0]; // no length at all, body dropped
        }
        if (f.chance(5)) {
            int n = rng.nextInt(f.chance(20) ? 2000 : 50);
            for (int i = 0; i < n; i++) {
                headers.add("X-F" + i + ": " + Long.toHexString(rng.nextLong()));
            }
            what.append(' ').append(n).append(" extra headers;");
        }
        if (f.chance(3)) {
            headers.add("X-Huge: " + "h".repeat(1000 + rng.nextInt(f.chance(30) ? 200_000 : 10_000)));
            what.append(" huge header;");
        }
        if (f.chance(3)) {
            headers.add(f.pick(new String[] {"NoColonHere", " folded: continuation", ": empty-name", "Bad Name: x",
                "X-Nul: a\u0000b", "Expect: 100-continue", "Connection: close", "Connection: keep-alive, Upgrade",
                "Upgrade: h2c", "Transfer-Encoding: gzip, chunked", "Host: a", "Host:"}));
            what.append(" odd header;");
            if (headers.get(headers.size() - 1).startsWith("Transfer-Encoding")) {
                complete = false; // the body is then read as chunks
            }
        }
        for (String h : headers) {
            w.ascii(h + eol);
        }
        w.ascii(eol);
        w.bytes(sent);
        // A valid watch is a long poll: the node rightly holds it open.
        return complete && !(watch && validToken);
    }

    private String path(Fields f, Route route) {
        SplittableRandom rng = f.rng();
        String path = route.path();
        int r = rng.nextInt(100);
        if (r < 8) {
            path = path + f.pick(new String[] {"/", "//", "/..", "/../health", "%00", "%2e%2e", ";jsessionid=x", "#frag",
                "/\u00e9", "?", "??", "&&"});
        } else if (r < 10) {
            path = "/" + "a/".repeat(rng.nextInt(f.chance(10) ? 20_000 : 200));
        } else if (r < 12) {
            path = f.pick(new String[] {"*", "http://127.0.0.1/health", "health", "", "/%zz", "/\u0000", "\\admin"});
        }
        if (f.chance(40)) {
            StringBuilder q = new StringBuilder("?");
            int n = 1 + rng.nextInt(f.chance(5) ? 500 : 4);
            for (int i = 0; i < n; i++) {
                q.append(i == 0 ? "" : "&").append(f.pick(PARAMS)).append('=').append(queryValue(f));
            }
            path += q;
        }
        return path;
    }

    private static String queryValue(Fields f) {
        return switch (f.rng().nextInt(8)) {
            case 0 -> "";
            case 1 -> "-1";
            case 2 -> "99999999999999999999";
            case 3 -> "%zz%";
            case 4 -> "127.0.0.1:8091:" + f.rng().nextLong();
            case 5 -> java.net.URLEncoder.encode(new String(f.text(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            case 6 -> "%00%0d%0aSet-Cookie:x=1";
            default -> String.valueOf(f.rng().nextInt(100));
        };
    }

    private String garbageToken(Fields f) {
        SplittableRandom rng = f.rng();
        return switch (rng.nextInt(7)) {
            case 0 -> "Bearer " + tokens.admin();
            case 1 -> flip(tokens.admin(), rng);
            case 2 -> flip(tokens.client(), rng);
            case 3 -> "";
            case 4 -> "a.b.c";
            case 5 -> "x".repeat(f.chance(20) ? 60_000 : 500);
            default -> Long.toHexString(rng.nextLong()) + "." + Long.toHexString(rng.nextLong());
        };
    }

    private static String flip(String token, SplittableRandom rng) {
        if (token.isEmpty()) {
            return "x";
        }
        char[] c = token.toCharArray();
        int at = rng.nextInt(c.length);
        c[at] = c[at] == 'A' ? 'B' : 'A';
        return new String(c);
    }

    private byte[] body(Fields f, Route route, StringBuilder what) {
        SplittableRandom rng = f.rng();
        int r = rng.nextInt(100);
        if (r < 35) {
            return new byte[0];
        }
        String s;
        if (r < 65) {
            StringBuilder j = new StringBuilder("{");
            List<String> keys = route.jsonKeys().isEmpty() ? List.of("a", "xid", "id") : route.jsonKeys();
            for (int i = 0; i < keys.size(); i++) {
                if (f.chance(80)) {
                    j.append(j.length() > 1 ? "," : "").append('"').append(keys.get(i)).append("\":").append(jsonValue(f));
                }
            }
            s = j.append('}').toString();
            what.append(" json;");
        } else if (r < 75) {
            s = f.pick(new String[] {"{", "}", "{\"a\":}", "[1,2", "null", "\"x\"", "{\"a\":1}{\"b\":2}", "{'a':1}",
                "{\"a\":NaN}", "{\"a\":1e999999}", "\u00ff\u00fe", "{\"a\":\"\\ud800\"}", "{\"username\":[],\"password\":{}}"});
            what.append(" bad json;");
        } else if (r < 82) {
            int depth = f.chance(20) ? 100_000 : 1 + rng.nextInt(3000);
            s = "[".repeat(depth) + "]".repeat(f.chance(50) ? depth : 0);
            what.append(" nesting ").append(depth).append(';');
        } else if (r < 88) {
            s = "{\"username\":\"" + "u".repeat(rng.nextInt(f.chance(10) ? 500_000 : 5000)) + "\",\"password\":\"p\"}";
            what.append(" huge string;");
        } else {
            return f.randomBytes(f.chance(10) ? 20_000 : 300);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonValue(Fields f) {
        return switch (f.rng().nextInt(9)) {
            case 0 -> "null";
            case 1 -> "-1";
            case 2 -> "1e308";
            case 3 -> "[]";
            case 4 -> "{\"x\":{\"y\":[1,2,{}]}}";
            case 5 -> "true";
            case 6 -> "\"node1@127.0.0.1:1:2:3\"";
            case 7 -> "\"" + new String(f.text(), StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default -> "\"" + Long.toHexString(f.rng().nextLong()) + "\"";
        };
    }
}
