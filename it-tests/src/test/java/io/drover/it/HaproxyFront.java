package io.drover.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's haproxy in front of a database primary and its standby, as an operator would run it: a
 * TCP frontend on a free loopback port, backend {@code pg_rw} with server {@code pg1} (taking
 * traffic) and {@code pg2} (put in maintenance through the Runtime API), and the Runtime API on an admin socket.
 */
final class HaproxyFront implements AutoCloseable {
    static final String BACKEND = "pg_rw";

    final Path socket;
    final int port;
    private final Process process;
    private final Path log;

    HaproxyFront(Path dir, int pg1Port, int pg2Port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        socket = dir.resolve("admin.sock");
        log = dir.resolve("haproxy.log");
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                  stats socket %s mode 600 level admin
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 5m
                  timeout server 5m
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend %s
                backend %s
                  server pg1 127.0.0.1:%d
                  server pg2 127.0.0.1:%d
                """.formatted(socket, port, BACKEND, BACKEND, pg1Port, pg2Port));
        process = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(Files.exists(socket) && accepts(port))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.exists(log) ? Files.readString(log) : "";
                close();
                throw new IllegalStateException("haproxy did not start (is Debian's haproxy installed?): " + output);
            }
            Thread.sleep(20);
        }
        // Only the primary takes traffic, as the operator set it up (not 'disabled' in the file: the
        // Runtime API could never make such a server ready again).
        String answer = command("set server " + BACKEND + "/pg2 state maint");
        if (!answer.isBlank()) {
            close();
            throw new IllegalStateException("haproxy refused to put pg2 into maintenance: " + answer);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One Runtime API command's answer, read straight from the admin socket (not through drover). */
    String command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            StringBuilder answer = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                answer.append(StandardCharsets.UTF_8.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        }
    }

    /** Server name → status column of {@code show stat} ({@code UP}, {@code MAINT}, {@code DRAIN}, …). */
    Map<String, String> serverStatus() throws IOException {
        Map<String, String> status = new LinkedHashMap<>();
        String[] lines = command("show stat").split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",");
        int statusColumn = java.util.Arrays.asList(header).indexOf("status");
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > statusColumn && fields[0].equals(BACKEND) && !fields[1].equals("BACKEND")) {
                status.put(fields[1], fields[statusColumn]);
            }
        }
        return status;
    }

    /** The servers that take new connections: any not in maintenance or draining. */
    java.util.List<String> serving() throws IOException {
        return serverStatus().entrySet().stream().filter(e -> !e.getValue().startsWith("MAINT")
                && !e.getValue().startsWith("DRAIN")).map(Map.Entry::getKey).toList();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
