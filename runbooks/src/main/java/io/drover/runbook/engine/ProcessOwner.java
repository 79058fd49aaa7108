package io.drover.runbook.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * Names the process that drives an execution ({@code host/pid/start-millis}) and tells whether a
 * named process is still alive. The start time guards against a reused pid.
 */
final class ProcessOwner {
    private ProcessOwner() {
    }

    static String current() {
        ProcessHandle self = ProcessHandle.current();
        return host() + "/" + self.pid() + "/" + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Whether {@code owner} is alive: definitely not ({@code false}) only for a process of this host. */
    static boolean mayBeAlive(String owner) {
        String[] parts = owner.split("/");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return true; // another host: cannot tell
        }
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[1]));
            long started = Long.parseLong(parts[2]);
            return process.filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(started) == started)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    static boolean onThisHost(String owner) {
        return owner.startsWith(host() + "/");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
