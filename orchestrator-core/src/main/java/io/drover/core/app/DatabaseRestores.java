package io.drover.core.app;

import io.drover.core.catalog.RestoreTest;
import io.drover.core.config.RestoreVerifyConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.CheckResult;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.spi.ValidationCheck;
import io.drover.core.verify.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Restores of database backups: the recovery point's files are restored (every hash checked) into
 * a private directory under the state directory, and the source's connector loads them into a
 * database: a scratch one for a restore test, a named one for {@code drover restore --database}.
 */
public final class DatabaseRestores {
    private final DroverRuntime runtime;

    public DatabaseRestores(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The source that wrote {@code manifest}, if it is a database source the config still defines
     * with the same type and it can load this backup into a named database
     * ({@link LoadableSource#canLoad}); the caller closes it.
     */
    public Optional<LoadableSource> loadableSource(Manifest manifest) {
        return databaseSource(manifest, LoadableSource::canLoad);
    }

    /**
     * The source that wrote {@code manifest}, if it is a database source the config still defines
     * with the same type and it can restore-test this backup in a scratch database
     * ({@link LoadableSource#canRestoreTest}: also a PostgreSQL physical backup); the caller closes it.
     */
    public Optional<LoadableSource> restoreTestSource(Manifest manifest) {
        return databaseSource(manifest, LoadableSource::canRestoreTest);
    }

    private Optional<LoadableSource> databaseSource(Manifest manifest,
                                                    java.util.function.BiPredicate<LoadableSource, java.util.Map<String, String>> can) {
        var definition = runtime.config().sources().get(manifest.sourceName());
        if (definition == null || !definition.type().equals(manifest.sourceType())) {
            return Optional.empty();
        }
        Source source = runtime.source(manifest.sourceName());
        if (source instanceof LoadableSource loadable && can.test(loadable, manifest.position())) {
            return Optional.of(loadable);
        }
        closeQuietly(source);
        return Optional.empty();
    }

    /**
     * Restore-tests {@code id}: restores it, loads it into a scratch database, runs the job's checks
     * (and the canary check when the backup wrote a canary), and removes the scratch database.
     *
     * @throws DroverException {@code SOURCE_FAILED} when no scratch database could be started: that
     *                         says nothing about the backup, so it is not recorded as a failure of it
     */
    public VerificationReport restoreTest(Repository repository, Manifest manifest, LoadableSource source) {
        Instant started = runtime.clock().instant();
        RestoreVerifyConfig config = restoreConfig(manifest.job());
        List<String> findings = new ArrayList<>();
        Path work = workDirectory("restore-test-");
        try {
            Path files = work.resolve("files");
            RestoreResult restored = restoreFiles(repository, manifest.id(), files);
            findings.addAll(restored.problems());
            restored.refused().forEach(r -> findings.add("refused: " + r));
            if (!findings.isEmpty()) {
                return report(repository, manifest, started, findings, restored, Optional.empty());
            }
            Optional<LoadableSource> server = config.verifyServer().map(name -> verifyServer(name, manifest));
            try (ScratchDatabase scratch = source.openScratch(new ScratchContext(Files.createDirectories(work.resolve("scratch")),
                    server, label(manifest.id()), config.timeout(), manifest.position()))) {
                try {
                    scratch.load(files);
                } catch (IOException e) {
                    findings.add("loading the backup into " + scratch.describe() + " failed: " + e.getMessage());
                    return report(repository, manifest, started, findings, restored, Optional.of(new RestoreTest(
                            Duration.between(started, runtime.clock().instant()), scratch.describe(), List.of(), Optional.empty())));
                }
                Duration restoreDuration = Duration.between(started, runtime.clock().instant());
                List<CheckResult> results = new ArrayList<>();
                for (ValidationCheck check : checks(config, manifest)) {
                    CheckResult result = scratch.run(check);
                    results.add(result);
                    if (!result.passed()) {
                        findings.add("check failed: " + result.check() + ": " + result.detail());
                    }
                }
                Optional<Instant> proven = results.stream().flatMap(r -> r.provenAt().stream()).max(Comparator.naturalOrder());
                return report(repository, manifest, started, findings, restored,
                        Optional.of(new RestoreTest(restoreDuration, scratch.describe(), results, proven)));
            } finally {
                server.ifPresent(DatabaseRestores::closeQuietly);
            }
        } catch (IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "cannot restore-test " + manifest.id() + ": "
                    + e.getMessage(), "check that the database tools work on this machine, or set verify-server in the"
                    + " job's verify.restore to use a scratch database on a server", List.of(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    /** Restores {@code id} from {@code repository} and loads it into {@code database} through {@code into}. */
    public String loadInto(Repository repository, BackupId id, LoadableSource into, String database, boolean replace) {
        Path work = workDirectory("restore-");
        try {
            Path files = work.resolve("files");
            RestoreResult restored = restoreFiles(repository, id, files);
            if (!restored.clean()) {
                List<String> problems = new ArrayList<>(restored.problems());
                restored.refused().forEach(r -> problems.add("refused: " + r));
                throw new DroverException(DroverErrors.VERIFICATION_FAILED, "backup " + id + " did not restore cleanly,"
                        + " so it was not loaded into " + database, "verify it with 'drover verify " + id
                        + " --level deep' and restore an older recovery point", problems, null);
            }
            return into.loadInto(files, database, replace);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "loading backup " + id + " into database " + database
                    + " failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    private RestoreResult restoreFiles(Repository repository, BackupId id, Path files) {
        return new Restorer(repository, runtime.decryption(), bytes -> { }).restore(id, new RestoreOptions(files,
                Optional.empty(), false, Long.MAX_VALUE, RestoreOptions.DEFAULT_MAX_RATIO, false));
    }

    private RestoreVerifyConfig restoreConfig(String job) {
        return Optional.ofNullable(runtime.config().jobs().get(job)).flatMap(j -> j.verify()).flatMap(v -> v.restore())
                .orElseGet(() -> new RestoreVerifyConfig(Optional.empty(), java.time.ZoneOffset.UTC,
                        io.drover.core.config.ScheduleConfig.Misfire.RUN_ONCE, Optional.empty(), List.of(), Optional.empty(),
                        Duration.ofHours(2)));
    }

    /** The job's checks; the canary check is added when the backup wrote a canary and the job lists none. */
    private static List<ValidationCheck> checks(RestoreVerifyConfig config, Manifest manifest) {
        Optional<Instant> canary = Optional.ofNullable(manifest.position().get(SourceSnapshot.CANARY_AT)).map(Instant::parse);
        List<ValidationCheck> checks = new ArrayList<>(config.checks().stream().map(c -> c.toCheck(canary)).toList());
        if (canary.isPresent() && checks.stream().noneMatch(ValidationCheck.Canary.class::isInstance)) {
            checks.add(new ValidationCheck.Canary(canary));
        }
        return checks;
    }

    private LoadableSource verifyServer(String name, Manifest manifest) {
        var definition = runtime.config().sources().get(name);
        if (definition == null || !definition.type().equals(manifest.sourceType())) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "verify-server '" + name + "' of job " + manifest.job()
                    + " must be a source of type " + manifest.sourceType() + (definition == null ? ", and there is none"
                    : ", not " + definition.type()));
        }
        Source server = runtime.source(name);
        if (server instanceof LoadableSource loadable) {
            return loadable;
        }
        closeQuietly(server);
        throw new DroverException(DroverErrors.CONFIG_INVALID, "verify-server '" + name + "' is not a database source");
    }

    private VerificationReport report(Repository repository, Manifest manifest, Instant started, List<String> findings,
                                      RestoreResult restored, Optional<RestoreTest> test) {
        return new VerificationReport(manifest.id(), repository.name(), VerificationLevel.RESTORE, started,
                runtime.clock().instant(), findings, restored.files(), restored.bytes(), test);
    }

    /** A scratch database name part unique to this run: letters and digits of the backup id plus time. */
    private static String label(BackupId id) {
        String fromId = id.value().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String suffix = Long.toString(System.nanoTime() & 0xffffffffL, 36);
        return (fromId.length() > 16 ? fromId.substring(fromId.length() - 16) : fromId) + "_" + suffix;
    }

    private Path workDirectory(String prefix) {
        try {
            Path tmp = Files.createDirectories(runtime.stateDir().resolve("tmp"));
            return Files.createTempDirectory(tmp, prefix, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot create a work directory under "
                    + runtime.stateDir().resolve("tmp") + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    private static void closeQuietly(Source source) {
        try {
            source.close();
        } catch (IOException e) {
            // closing a source that was only asked about its type
        }
    }
}
