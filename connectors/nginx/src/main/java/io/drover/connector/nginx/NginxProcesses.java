package io.drover.connector.nginx;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A running nginx master and its child processes (workers, cache manager), read from Linux's
 * {@code /proc}: whether the pid file names a live master, which children it has, and whether its
 * current children were started after a file was last written — nginx forks a new generation of
 * children each time it has (re)loaded its config, so children started after a write have it.
 *
 * <p>Times: a process's start is {@code /proc/PID/stat} field 22, in clock ticks since boot
 * (USER_HZ, 100 per second on Linux). A file's modification time is wall-clock time; it is moved
 * to time since boot with {@code /proc/uptime} read at the same moment. Both are truncated to
 * 10 ms, so a write and a start less than one tick apart cannot be ordered; the switch leaves a
 * gap of {@link #TICK_GAP} between writing the include and reloading, so its own writes always can.
 */
final class NginxProcesses {
    /** Longer than two ticks of the clocks compared (10 ms each), so their truncation cannot reorder them. */
    static final Duration TICK_GAP = Duration.ofMillis(50);
    private static final Duration TICK = Duration.ofMillis(10);
    private static final Path PROC = Path.of("/proc");

    private NginxProcesses() {
    }

    /** A master process by its pid. */
    record Master(long pid, Path pidFile) {
        /** Its current children, oldest first. */
        List<Child> children() throws IOException {
            ProcessHandle master = ProcessHandle.of(pid).orElseThrow(() ->
                    new IOException("the nginx master " + pid + " (from " + pidFile + ") has exited"));
            List<Long> pids = master.children().map(ProcessHandle::pid).toList();
            List<Child> children = new ArrayList<>();
            for (long child : pids) {
                startTicks(child).ifPresent(ticks -> children.add(new Child(child, ticks)));
            }
            children.sort(Comparator.comparingLong(Child::startTicks));
            return List.copyOf(children);
        }

        /** Running: not exited, and not a zombie (exited, not yet reaped), which ProcessHandle counts as alive. */
        boolean alive() throws IOException {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
        }
    }

    /** A child of the master and when it started, in ticks since boot. */
    record Child(long pid, long startTicks) {
        static Set<Long> pids(List<Child> children) {
            return children.stream().map(Child::pid).collect(Collectors.toUnmodifiableSet());
        }
    }

    /**
     * The master named by {@code pidFile}, after checking that it is running and is an nginx master
     * (a pid file left behind by a crash may name a pid that now belongs to another process).
     *
     * @throws IOException saying what was found instead: no pid file, an empty one (nginx -t creates
     *                     it empty when it is missing), a dead process, a process that is not an nginx master
     */
    static Master master(Path pidFile) throws IOException {
        String text;
        try {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("nginx is not running: its pid file " + pidFile + " does not exist");
        }
        if (text.isEmpty()) {
            throw new IOException("nginx is not running: its pid file " + pidFile + " is empty");
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("the pid file " + pidFile + " does not hold a pid: '" + abbreviate(text) + "'");
        }
        Master master = new Master(pid, pidFile);
        if (!master.alive()) {
            throw new IOException("nginx is not running: no process " + pid + " (from the pid file " + pidFile + ")");
        }
        String commandLine = commandLine(pid);
        // nginx sets its process title to "nginx: master process <binary> <arguments>".
        if (!commandLine.startsWith("nginx: master process")) {
            throw new IOException("process " + pid + " from the pid file " + pidFile + " is not an nginx master but '"
                    + abbreviate(commandLine) + "'; the pid file is stale");
        }
        return master;
    }

    private static String commandLine(long pid) throws IOException {
        return readProc(pid, "cmdline").map(text -> text.replace('\0', ' ').strip()).orElse("");
    }

    /**
     * {@code /proc/PID/NAME}; empty when the process is gone. A worker that exits between the
     * directory listing and the read makes the read fail with ESRCH ("No such process") rather
     * than a missing file: that too means it is gone.
     */
    private static Optional<String> readProc(long pid, String name) throws IOException {
        try {
            return Optional.of(new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve(name)),
                    StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || "No such process".equals(e.getMessage())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Start of a process in clock ticks since boot; empty when it has exited meanwhile. */
    static Optional<Long> startTicks(long pid) throws IOException {
        Optional<String[]> fields = stat(pid);
        try {
            return fields.map(f -> Long.parseLong(f[22 - 3]));
        } catch (RuntimeException e) {
            throw new IOException("unexpected /proc/" + pid + "/stat: " + abbreviate(String.join(" ", fields.get())), e);
        }
    }

    /** Whether a process has exited (but may not yet be reaped by its parent). */
    private static boolean zombie(long pid) throws IOException {
        return stat(pid).map(f -> f[0].equals("Z") || f[0].equals("X")).orElse(true);
    }

    /** The fields of {@code /proc/PID/stat} from the third (the state) on; empty when the process is gone. */
    private static Optional<String[]> stat(long pid) throws IOException {
        // The second field (the command name, in parentheses) may hold spaces and ')': start after the last ')'.
        return readProc(pid, "stat").map(stat -> stat.substring(stat.lastIndexOf(')') + 2).strip().split(" "));
    }

    /** The time since boot at which {@code file} was last modified, in ticks (truncated like process starts). */
    static long modifiedTicks(Path file) throws IOException {
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        Instant now = Instant.now(); // wall clock, like the file system's time stamps (not drover's injectable Clock)
        long modifiedNanos = uptimeNanos() - Duration.between(modified, now).toNanos();
        return Math.floorDiv(modifiedNanos, TICK.toNanos());
    }

    /** A time in ticks since boot as wall-clock time, for messages. */
    static Instant wallClock(long ticks) throws IOException {
        Instant now = Instant.now();
        return now.minusNanos(uptimeNanos() - ticks * TICK.toNanos()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static long uptimeNanos() throws IOException {
        String uptime = Files.readString(PROC.resolve("uptime"), StandardCharsets.US_ASCII).strip().split("\\s+")[0];
        return new BigDecimal(uptime).movePointRight(9).longValueExact();
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
