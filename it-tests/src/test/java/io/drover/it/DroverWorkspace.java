package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.model.BackupId;
import io.drover.core.repository.Json;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.RepositoryLayout;
import io.drover.core.repository.StoredObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A scratch drover installation in a directory: an age key, a {@code drover.yaml} with its state
 * directory, one local target ({@code local}), one {@code files} source over the given directories
 * and one job ({@code files}); runs CLI commands in-process and captures what they print.
 */
public final class DroverWorkspace implements AutoCloseable {
    public static final String TARGET = "local";
    public static final String JOB = "files";

    private final Path root;
    private final Path configFile;
    private final Path keyFile;
    private final Path repository;
    private final Path stateDir;
    private final AgeKeys.GeneratedKey key;
    private final boolean encrypted;

    private DroverWorkspace(Builder builder) throws IOException {
        this.root = Files.createDirectories(builder.root).toRealPath();
        this.configFile = root.resolve("drover.yaml");
        this.keyFile = root.resolve("key.txt");
        this.repository = root.resolve("repo");
        this.stateDir = root.resolve("state");
        this.encrypted = builder.encrypted;
        this.key = AgeKeys.generate();
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, key.identityFile(Instant.now()));
        Files.writeString(configFile, configText(builder));
    }

    /** A workspace in {@code root} (created if missing). */
    public static Builder in(Path root) {
        return new Builder(root);
    }

    /** Options of a workspace; the defaults encrypt with a fresh key and back up nothing until a source is added. */
    public static final class Builder {
        private final Path root;
        private final List<Path> sources = new ArrayList<>();
        private boolean encrypted = true;
        private String partSize = "1MiB";
        private int fullEvery = 7;
        private int compressionWorkers;
        private String extraConfig = "";
        private String extraTargets = "";
        private List<String> jobTargets = List.of(TARGET);

        private Builder(Path root) {
            this.root = root;
        }

        public Builder source(Path directory) {
            sources.add(directory);
            return this;
        }

        /** Unencrypted repository ({@code insecure-no-encryption: true}), handy to craft archives by hand. */
        public Builder unencrypted() {
            encrypted = false;
            return this;
        }

        public Builder partSize(String size) {
            partSize = size;
            return this;
        }

        public Builder fullEvery(int n) {
            fullEvery = n;
            return this;
        }

        /** zstd worker threads of the job; 0 (the default) means one per core. */
        public Builder compressionWorkers(int workers) {
            compressionWorkers = workers;
            return this;
        }

        /**
         * More entries below {@code targets:} (each indented two spaces, e.g. from
         * {@link OffsiteServers#targetsYaml}) and the targets the job writes to instead of {@code local}.
         */
        public Builder targets(String entries, String... names) {
            extraTargets = entries.endsWith("\n") ? entries : entries + "\n";
            jobTargets = List.of(names);
            return this;
        }

        /** Top-level YAML appended to {@code drover.yaml} as is, e.g. {@code "prune: { grace-period: 1s }\n"}. */
        public Builder extraConfig(String yaml) {
            extraConfig = yaml.endsWith("\n") ? yaml : yaml + "\n";
            return this;
        }

        public DroverWorkspace create() throws IOException {
            if (sources.isEmpty()) {
                sources.add(Files.createDirectories(root.resolve("data")));
            }
            return new DroverWorkspace(this);
        }
    }

    private String configText(Builder builder) throws IOException {
        List<String> paths = new ArrayList<>();
        for (Path source : builder.sources) {
            paths.add(quoted(source.toAbsolutePath().toString()));
        }
        String encryption = encrypted
                ? "encryption:\n  recipients: [" + key.recipient() + "]\n  identity: " + quoted("${file:" + keyFile + "}") + "\n"
                : "encryption:\n  insecure-no-encryption: true\n";
        return "# written by DroverWorkspace\n"
                + "state-dir: " + quoted(stateDir.toString()) + "\n"
                + encryption
                + "targets:\n"
                + "  " + TARGET + ": { type: local, path: " + quoted(repository.toString()) + ", fsync: false }\n"
                + builder.extraTargets
                + "sources:\n"
                + "  files: { type: files, paths: [" + String.join(", ", paths) + "] }\n"
                + "jobs:\n"
                + "  " + JOB + ":\n"
                + "    source: files\n"
                + "    targets: [" + String.join(", ", builder.jobTargets) + "]\n"
                + "    part-size: " + builder.partSize + "\n"
                + "    full-every: " + builder.fullEvery + "\n"
                + "    compression: { level: 3, workers: " + builder.compressionWorkers + " }\n"
                + "services:\n"
                + "  app: { tier: 2, owner: it-ops, rpo: 1h, rto: 30m, protected-by: [" + JOB + "] }\n"
                + builder.extraConfig;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public Path root() {
        return root;
    }

    public Path configFile() {
        return configFile;
    }

    /** The age identity file (private key). */
    public Path keyFile() {
        return keyFile;
    }

    public String recipient() {
        return key.recipient();
    }

    /** The local target's directory. */
    public Path repository() {
        return repository;
    }

    public Path stateDir() {
        return stateDir;
    }

    public boolean encrypted() {
        return encrypted;
    }

    // ---- running the CLI ------------------------------------------------------------------------

    /** Runs {@code drover --config drover.yaml ARGS...} in-process. */
    public CliResult drover(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code drover ARGS...} in-process, exactly as given (no {@code --config}). */
    public static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = DroverCli.run(args, o, e);
        }
        return new CliResult(exit, out.toString(), err.toString());
    }

    /** Runs a command that must succeed; fails the test with its output otherwise. */
    public CliResult ok(String... args) {
        CliResult result = drover(args);
        assertThat(result.exitCode()).as("drover %s\n%s", String.join(" ", args), result).isZero();
        return result;
    }

    /** Runs a command with {@code --output json} that must succeed and returns the parsed output. */
    public JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of("--output", "json"));
        all.addAll(List.of(args));
        CliResult result = ok(all.toArray(String[]::new));
        return Json.MAPPER.readTree(result.out());
    }

    /** {@code drover init}. */
    public DroverWorkspace init() {
        ok("init");
        return this;
    }

    /** Runs the job and returns the {@code backup run --output json} document. */
    public JsonNode backupJson() {
        return json("backup", "run", JOB);
    }

    /** Runs the job and returns the new backup's id. */
    public BackupId backup() {
        return new BackupId(backupJson().get("id").asString());
    }

    // ---- the repository on disk -----------------------------------------------------------------

    public Path manifestFile(BackupId id) {
        return repository.resolve(RepositoryLayout.manifestKey(id));
    }

    public Manifest manifest(BackupId id) {
        try {
            return Json.MAPPER.readValue(Files.readString(manifestFile(id)), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file that holds a stored object. */
    public Path objectFile(StoredObject object) {
        return repository.resolve(object.key());
    }

    public StoredObject part(BackupId id, int number) {
        return manifest(id).part(number).orElseThrow(() -> new AssertionError("backup " + id + " has no part " + number));
    }

    public StoredObject index(BackupId id) {
        return manifest(id).index();
    }

    /**
     * Where a source directory lands inside a restore directory: the files source stores absolute
     * paths without the leading '/', so {@code /a/b} is restored to {@code DIR/a/b}.
     */
    public static Path restoredCopy(Path restoreDir, Path sourceDir) {
        try {
            return restoreDir.resolve(sourceDir.toRealPath().toString().substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry path as the files source records it (absolute path without the leading '/'). */
    public static String entryPath(Path file) {
        try {
            Path real = file.getParent().toRealPath().resolve(file.getFileName());
            return real.toString().substring(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of a text, for messages. */
    static String lines(List<String> lines) {
        return lines.stream().collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        // The CLI opens and closes its runtime (catalog, locks) per command; the directory itself
        // belongs to the test's @TempDir. Nothing stays open between commands.
    }
}
