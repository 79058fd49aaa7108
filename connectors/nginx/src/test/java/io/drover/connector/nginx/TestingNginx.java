package io.drover.connector.nginx;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.drover.connector.support.ChildProcess;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * An nginx of its own (prefix, config, pid file, error log and temp paths in a temp dir) proxying
 * HTTP on a free loopback port to upstream {@code app}, whose servers come from the include
 * {@code drover/app.conf}; behind it two in-JVM HTTP servers that answer with their names,
 * {@code dc1} and {@code dr1}. The include starts with both active. Skips (or fails in CI) when
 * nginx is not installed.
 */
final class TestingNginx implements AutoCloseable {
    static final Path NGINX = Path.of(TestServices.setting("DROVER_TEST_NGINX", "/usr/sbin/nginx"));
    static final String UPSTREAM = "app";

    final Path dir;
    final Path config;
    final Path include;
    final Path pidFile;
    final int port;
    private final Map<String, HttpServer> backends = new LinkedHashMap<>();
    /** Read once at start, so close() stops it even when a test has changed the pid file. */
    private Optional<Long> master = Optional.empty();

    TestingNginx() throws Exception {
        TestServices.requireService("nginx at " + NGINX, Files.isExecutable(NGINX), "apt-get install nginx-light (or set DROVER_TEST_NGINX)");
        dir = Files.createTempDirectory("drover-nginx-");
        config = dir.resolve("nginx.conf");
        include = dir.resolve("drover").resolve(UPSTREAM + ".conf");
        pidFile = dir.resolve("nginx.pid");
        try {
            for (String name : List.of("dc1", "dr1")) {
                backends.put(name, backend(name));
            }
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            Files.createDirectories(include.getParent());
            Files.writeString(include, "server " + address("dc1") + ";\nserver " + address("dr1") + ";\n");
            // The switch counts the include as loaded only when nginx's workers started clearly after it
            // was written; nginx starts within milliseconds, so date the fixture's include back.
            Files.setLastModifiedTime(include, FileTime.from(Instant.now().minusSeconds(2)));
            Files.writeString(config, configText(""));
            ChildProcess.builder("nginx", List.of(NGINX.toString(), "-p", dir.toString(), "-c", config.toString()))
                    .timeout(Duration.ofSeconds(15)).discardStdout().run(); // returns once the daemon is up
            master = Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get().equals("dc1") || get().equals("dr1"));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The main config; {@code extra} goes into the {@code http} block (e.g. a broken directive). */
    String configText(String extra) {
        // A master started as root runs its workers as "nobody" unless told otherwise; they could not
        // enter the 0700 temp dir.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  keepalive_timeout 0;
                  upstream %2$s { include %3$s; }
                  server {
                    listen 127.0.0.1:%4$d;
                    location / { proxy_pass http://%2$s; proxy_next_upstream off; }
                  }
                %5$s}
                """.formatted(dir, UPSTREAM, include, port, extra);
    }

    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    /** The address of a backend, as the switch's config names it. */
    String address(String backend) {
        return "127.0.0.1:" + backends.get(backend).getAddress().getPort();
    }

    Map<String, String> servers() {
        Map<String, String> servers = new LinkedHashMap<>();
        backends.keySet().forEach(name -> servers.put(name, address(name)));
        return servers;
    }

    NginxConfig switchConfig() {
        return new NginxConfig(UPSTREAM, include, servers(), NGINX, Optional.of(config), Duration.ofSeconds(10));
    }

    /**
     * One request through nginx on a connection of its own (HTTP/1.0, no keepalive), returning the
     * body of a 200 answer.
     *
     * @throws IOException when the connection fails or nginx answers anything but 200
     */
    String get() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int bodyStart = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200") || bodyStart < 0) {
                throw new IOException("nginx answered: " + response.lines().findFirst().orElse("(nothing)"));
            }
            return response.substring(bodyStart + 4);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            master.flatMap(ProcessHandle::of).ifPresent(process -> {
                List<ProcessHandle> children = process.children().toList();
                // SIGTERM is nginx's fast shutdown: the master stops its workers, then exits. Killing
                // workers first would only make the master start new ones.
                process.destroy();
                // Not ProcessHandle.isAlive: the daemon's parent is init, which may take a second to reap it.
                NginxProcesses.Master exiting = new NginxProcesses.Master(process.pid(), pidFile);
                await().atMost(Duration.ofSeconds(10)).until(() -> !exiting.alive());
                children.forEach(ProcessHandle::destroyForcibly);
            });
        } finally {
            // HttpServer.stop waits up to a second for its dispatcher each: stop both at once.
            List<Thread> stopping = backends.values().stream().map(server -> Thread.ofVirtual().start(() -> server.stop(0))).toList();
            for (Thread thread : stopping) {
                thread.join();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
