package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.app.TreeDiff;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.NoEncryption;
import io.drover.core.model.BackupId;
import io.drover.core.repository.BackupProgress;
import io.drover.core.repository.BackupRequest;
import io.drover.core.repository.BackupWriter;
import io.drover.core.repository.Repository;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sftp-files} source against an in-process SFTP server serving a temporary tree. */
class SftpFilesSourceTest {
    private static final Instant MTIME = Instant.parse("2026-11-20T08:30:15Z");
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private TestingSftpServer server;
    private Path knownHosts;

    @BeforeEach
    void startServer() throws Exception {
        server = TestingSftpServer.start(dir.resolve("server"));
        knownHosts = server.knownHosts();
        Path data = Files.createDirectories(server.root().resolve("srv/app"));
        write(data.resolve("app.conf"), "port = 8080\n", "rw-r-----");
        write(data.resolve("run.sh"), "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        Files.createDirectories(data.resolve("conf.d/empty"));
        write(data.resolve("conf.d/10-a.conf"), "a\n", "rw-r--r--");
        write(data.resolve("conf.d/20-b.log"), "log\n", "rw-------");
        Files.createSymbolicLink(data.resolve("current"), Path.of("conf.d/10-a.conf"));
        // Relative: MINA's virtual file system rewrites absolute targets outside its root.
        Files.createSymbolicLink(data.resolve("dangling"), Path.of("../nowhere/at/all"));
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Files.write(data.resolve("big.bin"), big);
        Files.setPosixFilePermissions(data.resolve("conf.d"), PosixFilePermissions.fromString("rwxr-x---"));
        setTimes(server.root().resolve("srv"));
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    /** Whole-second mtimes everywhere (SFTP carries seconds), on links themselves too. */
    private static void setTimes(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(MTIME), null, null);
            }
        }
    }

    private SftpFilesSourceConfig config(List<String> paths, List<String> include, List<String> exclude) {
        return new SftpFilesSourceConfig("127.0.0.1", server.port(), TestingSftpServer.USER, paths, include, exclude,
                Optional.of(server.privateKey()), Optional.empty(), Optional.of(knownHosts), false, Duration.ofSeconds(10));
    }

    private Source source(SftpFilesSourceConfig config) {
        return new SftpFilesSourceFactory().create(config, new ConnectorContext("remote", dir.resolve("state"), Clock.systemUTC()));
    }

    private static SourceReadContext context() {
        return new SourceReadContext(BackupId.generate(START), "job", Clock.fixed(START, ZoneOffset.UTC));
    }

    /** Records what a source emits, reading every file as core would. */
    private static final class Recorder implements EntrySink {
        final List<EntryMeta> entries = new ArrayList<>();
        final Map<String, String> contents = new java.util.HashMap<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> unreadable = new ArrayList<>();
        BiConsumer<EntryMeta, Recorder> onEntry = (meta, recorder) -> { };

        @Override
        public void directory(EntryMeta meta) {
            entries.add(meta);
            onEntry.accept(meta, this);
        }

        @Override
        public void symlink(EntryMeta meta) {
            entries.add(meta);
            onEntry.accept(meta, this);
        }

        @Override
        public void file(EntryMeta meta, FileContent content) throws IOException {
            entries.add(meta);
            onEntry.accept(meta, this);
            try (InputStream in = content.open()) {
                contents.put(meta.path(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                unreadable.add(meta.path() + ": " + e);
                return;
            }
            content.changedWhileReading().ifPresent(change -> warnings.add(meta.path() + ": changed: " + change));
        }

        @Override
        public void warn(String path, String message) {
            warnings.add(path + ": " + message);
        }

        List<String> paths() {
            return entries.stream().map(EntryMeta::path).toList();
        }

        EntryMeta get(String path) {
            return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
        }
    }

    private Recorder read(SftpFilesSourceConfig config) throws IOException {
        Recorder recorder = new Recorder();
        try (Source source = source(config)) {
            SourceSnapshot snapshot = source.read(context(), recorder);
            assertThat(snapshot.capturedAt()).isEqualTo(START);
        }
        return recorder;
    }

    @Test
    void emitsTheTreeSortedParentsFirstWithItsMetadata() throws Exception {
        Recorder r = read(config(List.of("/srv/app"), List.of(), List.of()));

        assertThat(r.paths()).containsExactly("srv", "srv/app", "srv/app/app.conf", "srv/app/big.bin", "srv/app/conf.d",
                "srv/app/conf.d/10-a.conf", "srv/app/conf.d/20-b.log", "srv/app/conf.d/empty", "srv/app/current",
                "srv/app/dangling", "srv/app/run.sh");
        assertThat(r.warnings).isEmpty();
        assertThat(r.unreadable).isEmpty();

        EntryMeta conf = r.get("srv/app/app.conf");
        assertThat(conf.type()).isEqualTo(EntryType.FILE);
        assertThat(conf.mode()).isEqualTo(0640);
        assertThat(conf.size()).isEqualTo(12);
        assertThat(conf.modified()).isEqualTo(MTIME);
        assertThat(conf.changeToken()).startsWith("12:" + MTIME.getEpochSecond() + ":");
        assertThat(r.contents.get("srv/app/app.conf")).isEqualTo("port = 8080\n");
        assertThat(r.get("srv/app/run.sh").mode()).isEqualTo(0755);
        assertThat(r.get("srv/app/conf.d").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(r.get("srv/app/conf.d").mode()).isEqualTo(0750);
        assertThat(r.get("srv/app/conf.d/empty").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(r.get("srv/app/big.bin").size()).isEqualTo(3 << 20);
        assertThat(r.contents.get("srv/app/big.bin")).hasSize(3 << 20);

        EntryMeta current = r.get("srv/app/current");
        assertThat(current.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(current.linkTarget()).isEqualTo("conf.d/10-a.conf");
        assertThat(current.size()).isZero();
        assertThat(r.get("srv/app/dangling").linkTarget()).isEqualTo("../nowhere/at/all");
    }

    @Test
    void theOrderAndTokensAreTheSameOnEveryRun() throws Exception {
        SftpFilesSourceConfig config = config(List.of("/srv/app/conf.d", "/srv/app"), List.of(), List.of());
        Recorder first = read(config);
        Recorder second = read(config);
        assertThat(second.entries).isEqualTo(first.entries);
        // The nested root is covered by the outer one and not emitted twice.
        assertThat(first.paths()).doesNotHaveDuplicates();
    }

    @Test
    void aChangedFileGetsANewChangeToken() throws Exception {
        SftpFilesSourceConfig config = config(List.of("/srv/app"), List.of(), List.of());
        String before = read(config).get("srv/app/app.conf").changeToken();
        Path conf = server.root().resolve("srv/app/app.conf");
        Files.writeString(conf, "port = 9090\n");
        Files.setLastModifiedTime(conf, FileTime.from(MTIME.plusSeconds(1)));
        assertThat(read(config).get("srv/app/app.conf").changeToken()).isNotEqualTo(before);
    }

    @Test
    void includeAndExcludeGlobsMatchTheAbsoluteRemotePath() throws Exception {
        Recorder excluded = read(config(List.of("/srv/app"), List.of(), List.of("**/*.log", "/srv/app/conf.d/empty", "**/big.bin")));
        assertThat(excluded.paths()).containsExactly("srv", "srv/app", "srv/app/app.conf", "srv/app/conf.d",
                "srv/app/conf.d/10-a.conf", "srv/app/current", "srv/app/dangling", "srv/app/run.sh");

        Recorder included = read(config(List.of("/srv/app"), List.of("**/*.conf"), List.of()));
        assertThat(included.paths()).containsExactly("srv", "srv/app", "srv/app/app.conf", "srv/app/conf.d",
                "srv/app/conf.d/10-a.conf");
    }

    @Test
    void aFileThatVanishesAfterItWasListedCannotBeOpenedAndAVanishedDirectoryIsAWarning() throws Exception {
        Path app = server.root().resolve("srv/app");
        Recorder r = new Recorder();
        r.onEntry = (meta, recorder) -> {
            try {
                if (meta.path().equals("srv/app/app.conf")) {
                    Files.delete(app.resolve("run.sh"));
                }
                if (meta.path().equals("srv/app/conf.d/10-a.conf")) {
                    Files.delete(app.resolve("conf.d/empty"));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (Source source = source(config(List.of("/srv/app"), List.of(), List.of()))) {
            source.read(context(), r);
        }
        // Listed before it was deleted: core's open fails, and core records the warning.
        assertThat(r.unreadable).singleElement().asString().startsWith("srv/app/run.sh: ")
                .contains(NoSuchFileException.class.getName()).contains("vanished");
        assertThat(r.warnings).containsExactly("srv/app/conf.d/empty: vanished while it was read; its content is not backed up");
    }

    @Test
    void socketsAndFifosAreSkippedWithAWarning() throws Exception {
        Path fifo = server.root().resolve("srv/app/pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Recorder r = read(config(List.of("/srv/app"), List.of(), List.of()));
        assertThat(r.paths()).doesNotContain("srv/app/pipe");
        assertThat(r.warnings).singleElement().asString().startsWith("srv/app/pipe: skipped: a ")
                .endsWith("cannot be backed up");
    }

    @Test
    void namesWithGlobCharactersAreTakenLiterally() throws Exception {
        Path odd = Files.createDirectories(server.root().resolve("srv/od*d"));
        Files.writeString(odd.resolve("a*b?.txt"), "star");
        Files.writeString(odd.resolve("ab.txt"), "plain");
        Files.writeString(odd.resolve("back\\slash"), "slash");
        Recorder r = read(config(List.of("/srv/od*d"), List.of(), List.of()));
        assertThat(r.paths()).containsExactly("srv", "srv/od*d", "srv/od*d/a*b?.txt", "srv/od*d/ab.txt", "srv/od*d/back\\slash");
        assertThat(r.contents).containsEntry("srv/od*d/a*b?.txt", "star").containsEntry("srv/od*d/ab.txt", "plain")
                .containsEntry("srv/od*d/back\\slash", "slash");
        assertThat(r.warnings).isEmpty();
        assertThat(r.unreadable).isEmpty();
    }

    @Test
    void aMissingRootFailsTheReadNamingIt() {
        assertThatThrownBy(() -> read(config(List.of("/srv/app", "/srv/nope"), List.of(), List.of())))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/srv/nope does not exist on sftp://drover@127.0.0.1:" + server.port());
        assertThatThrownBy(() -> read(config(List.of("/missing/parent/dir"), List.of(), List.of())))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/missing/parent/dir does not exist");
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        knownHosts = Files.writeString(dir.resolve("other_known_hosts"),
                server.knownHostsLine(TestingSftpServer.ecKeyPair()).replace(server.knownHostsLine().split(" ")[0] + " ", "[127.0.0.2]:1 ") + "\n");
        assertThatThrownBy(() -> read(config(List.of("/srv/app"), List.of(), List.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to connect to sftp://drover@127.0.0.1:" + server.port())
                .hasMessageContaining("is unknown")
                .hasMessageContaining(server.hostKeyFingerprint())
                .hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void describesTheServerAndPathsWithoutSecretsAndDeclaresIncrementals() {
        try (Source source = source(config(List.of("/etc", "/srv/app"), List.of(), List.of()))) {
            assertThat(source.describe()).isEqualTo("sftp://drover@127.0.0.1:" + server.port() + " /etc, /srv/app");
            assertThat(source.capabilities()).containsExactly(SourceCapability.FILE_LEVEL_INCREMENTAL);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void validationNamesEveryProblem() {
        SftpFilesSourceConfig bad = new SftpFilesSourceConfig("", 0, "drover", List.of("etc"), List.of("[a"), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, Duration.ZERO);
        assertThat(new SftpFilesSourceFactory().validate(bad)).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("host", "port", "", "known-hosts", "connect-timeout", "paths", "include");
        assertThat(new SftpFilesSourceFactory().validate(config(List.of("/etc"), List.of(), List.of()))).isEmpty();
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(p -> p.get().type())).contains("sftp-files");
    }

    @Test
    void backupAndRestoreThroughCoreGiveBackTheServedTree() throws Exception {
        Clock clock = Clock.systemUTC();
        Repository repo = Repository.initialize("t", new InMemoryStorageTarget(), new NoEncryption(), List.of(), "test", clock);
        BackupId id = BackupId.generate(clock.instant());
        BackupRequest request = new BackupRequest(id, "job", List.of("svc"), "remote", "sftp-files", clock.instant(),
                new NoEncryption(), List.of(), 3, 0, 1 << 20, Optional.empty(), Optional.empty(), "test");
        BackupWriter.Result written;
        try (Source source = source(config(List.of("/srv/app"), List.of(), List.of()))) {
            written = new BackupWriter(request, List.of(repo), BackupProgress.NONE).run(source, clock);
        }
        assertThat(written.warnings()).isEmpty();

        Path out = dir.resolve("out");
        RestoreResult result = new Restorer(repo, Decryption.none(), n -> { })
                .restore(id, new RestoreOptions(out, Optional.empty(), false, Long.MAX_VALUE, 1000, false));
        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(TreeDiff.compare(server.root().resolve("srv/app"), out.resolve("srv/app"))).isEmpty();
        assertThat(Files.getLastModifiedTime(out.resolve("srv/app/app.conf")).toInstant()).isEqualTo(MTIME);
    }
}
