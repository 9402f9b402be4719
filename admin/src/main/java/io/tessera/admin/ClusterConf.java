package io.tessera.admin;

import io.tessera.coordinator.backup.BackupException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The nodes a restore seeds, read from a cluster-conf directory ({@code *.properties}, one per node):
 * node.id, cluster.members, data.dir, raft.group. Read directly rather than through NodeConfigLoader,
 * which creates the data directory as a side effect (a dry run must write nothing).
 */
record ClusterConf(String group, List<String> raftPeers, List<Node> nodes) {

    record Node(String id, Path file, Path dataDir, String raftEndpoint) {
    }

    /**
     * @param dataRoot when set, node N's data dir is dataRoot/&lt;file name without .properties&gt; (what
     *     scripts/cluster.sh passes); otherwise data.dir of the file, relative to the working directory
     */
    static ClusterConf read(Path confDir, Path dataRoot) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(confDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BackupException("config directory " + confDir + " does not exist");
        }
        if (files.isEmpty()) {
            throw new BackupException("no *.properties node files in " + confDir);
        }
        String group = null;
        List<String> peers = null;
        List<Node> nodes = new ArrayList<>();
        for (Path f : files) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            }
            String id = required(p, "node.id", f);
            String g = p.getProperty("raft.group", "default").trim();
            List<String[]> members = members(required(p, "cluster.members", f), f);
            List<String> raft = members.stream().map(m -> m[1] + ":" + m[4]).toList();
            String self = members.stream().filter(m -> m[0].equals(id)).map(m -> m[1] + ":" + m[4]).findFirst()
                    .orElseThrow(() -> new BackupException(f + ": node.id " + id + " is not in cluster.members"));
            if (group != null && (!group.equals(g) || !peers.equals(raft))) {
                throw new BackupException(f + " disagrees with the other node files on raft.group or cluster.members");
            }
            group = g;
            peers = raft;
            String fileName = f.getFileName().toString();
            Path dataDir = dataRoot != null
                    ? dataRoot.resolve(fileName.substring(0, fileName.length() - ".properties".length()))
                    : Path.of(p.getProperty("data.dir", "data/" + id).trim());
            nodes.add(new Node(id, f, dataDir.toAbsolutePath().normalize(), self));
        }
        return new ClusterConf(group, peers, nodes);
    }

    private static String required(Properties p, String key, Path f) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new BackupException(f + ": " + key + " is missing");
        }
        return v.trim();
    }

    /** [id, host, control, transaction, raft] per entry of {@code id@host:control:transaction:raft}. */
    private static List<String[]> members(String list, Path f) {
        List<String[]> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int at = s.indexOf('@');
            String[] parts = at <= 0 ? new String[0] : s.substring(at + 1).split(":");
            if (parts.length != 4) {
                throw new BackupException(f + ": cluster.members entry '" + s + "' is not id@host:control:transaction:raft");
            }
            out.add(new String[] {s.substring(0, at), parts[0], parts[1], parts[2], parts[3]});
        }
        return out;
    }
}
