package io.drover.connector.dns;

import static org.awaitility.Awaitility.await;

import io.drover.core.model.Secret;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A BIND {@code named} of its own, in the foreground, with config, zone and journal in a temp dir,
 * on a free loopback port, serving the primary zone {@code example.test.} that key
 * {@value #KEY_NAME} may update ({@code orders} A/AAAA/CNAME and {@code www} likewise, nothing
 * else). {@code orders} starts as {@code 192.0.2.10} with TTL 300. Skips the test when named is not
 * installed, or fails it when skipping is disallowed.
 */
final class TestingBind implements AutoCloseable {
    static final Path NAMED = Path.of("/usr/sbin/named");
    static final Path DIG = Path.of("/usr/bin/dig");
    static final String ZONE = "example.test.";
    static final String KEY_NAME = "drover-key";
    static final String ORDERS = "orders.example.test.";
    static final String INITIAL_ORDERS_ADDRESS = "192.0.2.10";

    final Path dir;
    final int port;
    /** The base64 secret of {@value #KEY_NAME}. */
    final String secret;
    private final Process process;
    private final Path log;

    private TestingBind(Path dir, int port, String secret, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.secret = secret;
        this.process = process;
        this.log = log;
    }

    static TestingBind start() throws Exception {
        TestServices.requireService("BIND " + NAMED, Files.isExecutable(NAMED), "apt-get install bind9");
        Path dir = Files.createTempDirectory("drover-bind-");
        String secret = randomKey();
        int port = freePort();
        Files.writeString(dir.resolve("example.test.zone"), """
                $TTL 300
                @       IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 60
                @       IN NS  ns1.example.test.
                ns1     IN A   127.0.0.1
                orders  IN A   %s
                """.formatted(INITIAL_ORDERS_ADDRESS));
        // No control channel (no rndc key needed); the session key, pid file and managed keys live in
        // the temp dir, so nothing of the system's BIND under /etc/bind or /run/named is touched.
        Files.writeString(dir.resolve("named.conf"), """
                key "%2$s" { algorithm hmac-sha256; secret "%3$s"; };
                options {
                  directory "%1$s";
                  pid-file "%1$s/named.pid";
                  session-keyfile "%1$s/session.key";
                  managed-keys-directory "%1$s";
                  listen-on port %4$d { 127.0.0.1; };
                  listen-on-v6 { none; };
                  recursion no;
                  dnssec-validation no;
                };
                controls { };
                zone "%5$s" {
                  type primary;
                  file "%1$s/example.test.zone";
                  update-policy {
                    grant %2$s name orders.example.test. A AAAA CNAME;
                    grant %2$s name www.example.test. A AAAA CNAME;
                  };
                };
                """.formatted(dir, KEY_NAME, secret, port, ZONE));
        Path log = dir.resolve("named.log");
        // As root, named keeps running as root without -u; as another user it runs as that user.
        // Either way it can write its journal in a dir that belongs to the user running the tests.
        Process process = new ProcessBuilder(NAMED.toString(), "-g", "-c", dir.resolve("named.conf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestingBind bind = new TestingBind(dir, port, secret, process, log);
        try {
            await("named answering on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("named exited with " + process.exitValue() + ": " + Files.readString(log));
                        }
                        return bind.digAnswers("SOA", ZONE).stream().anyMatch(line -> line.contains("SOA"));
                    });
        } catch (RuntimeException | Error e) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            bind.close();
            throw new IllegalStateException("named did not start: " + e.getMessage() + "\n" + output, e);
        }
        return bind;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A port free for both TCP and UDP on the loopback address. */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                try (DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), loopback)) {
                    return tcp.getLocalPort();
                } catch (IOException e) {
                    // UDP port taken: try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1");
    }

    String server() {
        return "127.0.0.1:" + port;
    }

    /** A config for {@code orders} (A, TTL 60) with targets dc1 and dr1, signed with the server's key. */
    DnsConfig ordersConfig() {
        return config(ORDERS, DnsConfig.RecordType.A, Map.of(), KEY_NAME, secret);
    }

    DnsConfig config(String name, DnsConfig.RecordType type, Map<String, String> targets, String keyName, String keySecret) {
        Map<String, String> chosen = targets.isEmpty() ? DnsSwitchContractTest.targets() : targets;
        return new DnsConfig(server(), ZONE, name, type, Duration.ofSeconds(60),
                new DnsConfig.Tsig(keyName, DnsConfig.TsigAlgorithm.HMAC_SHA256, Secret.of(keySecret, "${file:/etc/drover/tsig.secret}")),
                chosen, Duration.ofSeconds(5));
    }

    /** The answer section of the stock {@code dig} client, one record a line: name, TTL, class, type, data. */
    List<String> digAnswers(String type, String name) throws IOException, InterruptedException {
        TestServices.requireService("dig " + DIG, Files.isExecutable(DIG), "apt-get install bind9-dnsutils");
        Process dig = new ProcessBuilder(DIG.toString(), "@127.0.0.1", "-p", Integer.toString(port), "+norecurse", "+tcp", "+time=2",
                "+tries=1", "+noall", "+answer", name, type).redirectErrorStream(true).start();
        String output = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dig.waitFor(10, TimeUnit.SECONDS) || dig.exitValue() != 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        output.lines().filter(line -> !line.isBlank() && !line.startsWith(";")).map(line -> line.strip().replaceAll("\\s+", " "))
                .forEach(lines::add);
        return lines;
    }

    /** The zone's SOA serial, as dig sees it. */
    long soaSerial() throws IOException, InterruptedException {
        String soa = digAnswers("SOA", ZONE).stream().filter(line -> line.contains(" SOA ")).findFirst()
                .orElseThrow(() -> new AssertionError("no SOA for " + ZONE));
        // example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. SERIAL refresh retry expire minimum
        return Long.parseLong(soa.split(" ")[6]);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
