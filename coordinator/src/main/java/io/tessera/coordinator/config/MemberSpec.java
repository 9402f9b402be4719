package io.tessera.coordinator.config;

/**
 * One configured cluster member: {@code id@host:controlPort:transactionPort:raftPort}.
 */
public record MemberSpec(String id, String host, int controlPort, int transactionPort, int raftPort) {

    public Endpoint control() {
        return new Endpoint(host, controlPort);
    }

    public Endpoint transaction() {
        return new Endpoint(host, transactionPort);
    }

    public Endpoint raft() {
        return new Endpoint(host, raftPort);
    }

    /** Parses {@code id@host:controlPort:transactionPort:raftPort}; a ConfigException names what is wrong. */
    public static MemberSpec parse(String text) {
        String s = text.trim();
        int at = s.indexOf('@');
        String[] parts = at < 0 ? new String[0] : s.substring(at + 1).split(":");
        if (at <= 0 || parts.length != 4 || parts[0].isBlank()) {
            throw new ConfigException("cluster.members: '" + s
                    + "' is not of the form id@host:controlPort:transactionPort:raftPort");
        }
        String id = s.substring(0, at);
        return new MemberSpec(id, parts[0], port(parts[1], s), port(parts[2], s), port(parts[3], s));
    }

    private static int port(String value, String member) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException("cluster.members: '" + value + "' in '" + member + "' is not a port (1-65535)");
        }
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + controlPort + ":" + transactionPort + ":" + raftPort;
    }
}
