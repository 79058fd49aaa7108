package io.drover.it;

import io.drover.connector.s3.S3TargetConfig;
import io.drover.connector.s3.TestingS3Server;
import io.drover.connector.ssh.TestingOpenSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two offsite stores on loopback, both keeping their data on disk below one directory: an S3
 * API (s3proxy with its filesystem store, in this JVM) and Debian's real OpenSSH server for SFTP.
 * Writes the {@code targets:} entries of a {@code drover.yaml} for them; the S3 credentials reach
 * drover only through environment variables the config references, never a command line.
 *
 * <p>{@link #main} runs the same servers for {@code bench/offsite.sh}, so the benchmark and
 * {@code OffsiteLargeBackupIT} configure the targets with one piece of code.
 */
public final class OffsiteServers implements AutoCloseable {
    /** The target names {@link #targetsYaml} defines. */
    public static final String S3_TARGET = "s3";
    public static final String SFTP_TARGET = "sftp";

    private static final String ACCESS_KEY_VARIABLE = "AWS_ACCESS_KEY_ID";
    private static final String SECRET_KEY_VARIABLE = "AWS_SECRET_ACCESS_KEY";

    private final TestingS3Server s3;
    private final TestingOpenSshServer ssh;
    private final String bucket;
    private final Path knownHosts;

    private OffsiteServers(TestingS3Server s3, TestingOpenSshServer ssh) throws IOException {
        this.s3 = s3;
        this.ssh = ssh;
        this.bucket = s3.newBucket("").bucket();
        this.knownHosts = ssh.knownHosts();
    }

    /** Starts both servers; s3proxy keeps its objects in {@code dir/s3}, sshd its files in {@code dir/sftp}. */
    public static OffsiteServers start(Path dir) throws Exception {
        TestingS3Server s3 = TestingS3Server.onDisk(dir.resolve("s3"));
        try {
            TestingOpenSshServer ssh = TestingOpenSshServer.start(Files.createDirectories(dir.resolve("sftp")));
            try {
                return new OffsiteServers(s3, ssh);
            } catch (IOException | RuntimeException e) {
                ssh.close();
                throw e;
            }
        } catch (Exception | AssertionError e) {
            s3.close();
            throw e;
        }
    }

    /**
     * The entries below {@code targets:} (indented two spaces) for a repository named {@code repo}
     * on each server: key prefix {@code repo} in the bucket, directory {@code repos/repo} over SFTP.
     */
    public String targetsYaml(String repo) {
        return targetsYaml(repo, s3.endpoint().getPort(), ssh.port(), "");
    }

    /** The S3 server's port, and the SFTP server's, to put a fault proxy in front of them. */
    public int s3Port() {
        return s3.endpoint().getPort();
    }

    public int sftpPort() {
        return ssh.port();
    }

    /**
     * Like {@link #targetsYaml(String)}, but connecting through other ports on 127.0.0.1 (a proxy in
     * front of each server), with extra settings (e.g. {@code limits: {...}}) in both entries.
     */
    public String targetsYaml(String repo, int s3Port, int sftpPort, String extra) throws IllegalStateException {
        String more = extra.isEmpty() ? "" : ", " + extra;
        Path hosts;
        try {
            hosts = sftpPort == ssh.port() ? knownHosts : ssh.knownHosts(sftpPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write known_hosts for port " + sftpPort, e);
        }
        return "  " + S3_TARGET + ": { type: s3, bucket: " + bucket + ", prefix: " + repo + ", region: us-east-1,"
                + " endpoint: \"http://127.0.0.1:" + s3Port + "\", path-style: true,"
                + " access-key-id: \"${env:" + ACCESS_KEY_VARIABLE + "}\", secret-access-key: \"${env:" + SECRET_KEY_VARIABLE + "}\","
                + " checksums: " + S3TargetConfig.WHEN_SUPPORTED + more + " }\n"
                + "  " + SFTP_TARGET + ": { type: sftp, host: 127.0.0.1, port: " + sftpPort + ", user: " + quoted(ssh.user()) + ","
                + " path: " + quoted(ssh.path("repos/" + repo)) + ", private-key: " + quoted("${file:" + ssh.clientKey() + "}") + ","
                + " known-hosts: " + quoted(hosts.toString()) + more + " }\n";
    }

    /** What a drover process needs in its environment to use the targets: the S3 credentials. */
    public Map<String, String> environment() {
        Map<String, String> client = s3.clientEnvironment();
        return Map.of(ACCESS_KEY_VARIABLE, client.get(ACCESS_KEY_VARIABLE), SECRET_KEY_VARIABLE, client.get(SECRET_KEY_VARIABLE));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        try {
            ssh.close();
        } finally {
            try {
                s3.close();
            } catch (Exception e) {
                // Declared by s3proxy's stop(); a server that cannot stop is a broken fixture.
                throw new IllegalStateException("cannot stop s3proxy", e);
            }
        }
    }

    /**
     * {@code OffsiteServers DIR}: starts both servers below {@code DIR}, writes
     * {@code DIR/targets.yaml.in} (the {@link #targetsYaml} of a repository named {@code @REPO@})
     * and {@code DIR/credentials.env} (mode 0600, {@code export NAME=value} lines), prints
     * {@code ready} and serves until its standard input closes.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: OffsiteServers DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0])).toRealPath();
        try (OffsiteServers servers = start(dir)) {
            Files.writeString(dir.resolve("targets.yaml.in"), servers.targetsYaml("@REPO@"));
            Path credentials = dir.resolve("credentials.env");
            Files.deleteIfExists(credentials);
            Files.createFile(credentials, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder env = new StringBuilder();
            new TreeMap<>(servers.environment()).forEach((name, value) -> env.append("export ").append(name).append('=')
                    .append(ExternalCommand.quote(value)).append('\n'));
            Files.writeString(credentials, env, StandardCharsets.UTF_8);
            System.out.println("ready");
            System.out.flush();
            // Serve until the benchmark closes our stdin (or dies, which closes it too).
            while (System.in.read() >= 0) {
                // discard
            }
        }
    }
}
