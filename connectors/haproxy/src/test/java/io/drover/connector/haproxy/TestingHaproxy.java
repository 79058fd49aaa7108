package io.drover.connector.haproxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A haproxy of its own (foreground, config and admin socket in a temp dir) with a TCP frontend on a
 * free loopback port and backend {@code pg_rw} of two servers, {@code pg1} and {@code pg2}: small TCP
 * servers that greet each connection with their name and then echo lines.
 */
final class TestingHaproxy implements AutoCloseable {
    static final String HAPROXY = "/usr/sbin/haproxy";
    static final String BACKEND = "pg_rw";

    final Path socket;
    final int frontendPort;
    final Map<String, NamedServer> servers;
    private final Process process;
    private final Path log;

    TestingHaproxy(Path dir) throws Exception {
        this(dir, "");
    }

    /** @param pg2Options keywords appended to pg2's server line, e.g. {@code disabled} */
    TestingHaproxy(Path dir, String pg2Options) throws Exception {
        NamedServer pg1 = new NamedServer("pg1");
        NamedServer pg2 = new NamedServer("pg2");
        servers = Map.of("pg1", pg1, "pg2", pg2);
        socket = dir.resolve("admin.sock");
        log = dir.resolve("haproxy.log");
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            frontendPort = free.getLocalPort();
        }
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                  stats socket %s mode 600 level admin
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 60s
                  timeout server 60s
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend %s
                backend %s
                  server pg1 127.0.0.1:%d
                  server pg2 127.0.0.1:%d %s
                """.formatted(socket, frontendPort, BACKEND, BACKEND, pg1.port(), pg2.port(), pg2Options));
        process = new ProcessBuilder(HAPROXY, "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(Files.exists(socket) && accepts(frontendPort))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.exists(log) ? Files.readString(log) : "";
                close();
                throw new IllegalStateException("haproxy did not start: " + output);
            }
            Thread.sleep(20);
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

    HaproxyConfig config(Map<String, String> servers) {
        return new HaproxyConfig(socket, BACKEND, servers, Duration.ofSeconds(5));
    }

    /** Connects through the frontend and returns the greeting (the server's name) and the open socket. */
    Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), frontendPort), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    static String readLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return c == -1 && line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        for (NamedServer server : servers.values()) {
            server.close();
        }
    }

    /** A TCP server that writes its name on each connection, then echoes lines until the peer closes. */
    static final class NamedServer implements AutoCloseable {
        final String name;
        private final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        NamedServer(String name) throws IOException {
            this.name = name;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = socket.getOutputStream();
                out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    out.write((name + ": " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the peer went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
