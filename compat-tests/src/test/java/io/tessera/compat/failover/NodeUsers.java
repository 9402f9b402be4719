package io.tessera.compat.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Runs each node JVM of an {@code apart} {@link ProcessCluster} as its own user id (20000 + the node's
 * number), so that netfilter's owner match can tell which node sent a packet. scripts/cluster.sh stays
 * as it is: a {@code java} wrapper first on its PATH recognises a node start by its
 * {@code -Dtessera.data.dir=} argument, hands that directory to the node's user and execs setpriv; every
 * other java call (tessera-admin) runs unchanged. Only root can switch users; otherwise nodes run as the
 * caller and only the per-node addresses apply.
 */
final class NodeUsers {
    private static final int BASE_UID = 20000;

    private NodeUsers() {
    }

    static int uid(String nodeId) {
        return BASE_UID + Integer.parseInt(nodeId.replaceAll("[^0-9]", ""));
    }

    static boolean canSwitch() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** Writes {@code dir/bin/java} and opens {@code dir} so that the node users can read the jar and config. */
    static void prepare(Path dir) throws IOException {
        if (!canSwitch()) {
            return;
        }
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path wrapper = bin.resolve("java");
        Files.writeString(wrapper, """
                #!/usr/bin/env bash
                # Written by the compat tests' NodeUsers: a node JVM runs as its own user; other java calls as is.
                real="$TESSERA_NODE_USERS_JAVA"
                dir=""
                for a in "$@"; do
                  case "$a" in -Dtessera.data.dir=*) dir="${a#-Dtessera.data.dir=}";; esac
                done
                if [[ -n "$dir" ]]; then
                  n="$(basename "$dir")"; n="${n//[!0-9]/}"; uid=$((%d + n))
                  chown -R "$uid:$uid" "$dir"
                  exec setpriv --reuid="$uid" --regid="$uid" --clear-groups "$real" "$@"
                fi
                exec "$real" "$@"
                """.formatted(BASE_UID));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p = dir; p != null; p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    /** The environment scripts/cluster.sh runs with: the wrapper first on PATH. */
    static void environment(Path dir, Map<String, String> env) {
        if (!canSwitch()) {
            return;
        }
        env.put("TESSERA_NODE_USERS_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("PATH", dir.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    }
}
