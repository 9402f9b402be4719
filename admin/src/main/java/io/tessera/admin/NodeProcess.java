package io.tessera.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the process named in a node's pid file is alive (a restore must never run under a live node). */
final class NodeProcess {
    private NodeProcess() {
    }

    static boolean running(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
