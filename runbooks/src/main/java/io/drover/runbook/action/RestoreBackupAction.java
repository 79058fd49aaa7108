package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.BackupSelector;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.DatabaseLoadPlan;
import io.drover.core.spi.action.LoadedBackup;
import io.drover.core.spi.action.Precondition;
import io.drover.core.spi.action.RestorableBackup;
import io.drover.core.spi.action.RestoredBackup;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code action: restore-backup}: restores the newest good backup of a job, with exactly one of
 * <ul>
 *   <li>{@code to: DIR}: into a directory, as {@code drover restore latest --job JOB --to DIR} does.
 *       After a clean restore it writes {@value #MARKER} into the directory, naming the backup;
 *       {@code check} finds the step done when that marker names the backup it would restore now, so a
 *       resumed runbook does not restore twice. Outputs: {@code backup-id}, {@code captured-at},
 *       {@code target}, {@code files}, {@code bytes}.</li>
 *   <li>{@code database: NAME}: loads a database backup into that database, on the server of the
 *       source {@code into} (default: the source the backup was taken from), as
 *       {@code drover restore ID --database NAME [--into SOURCE] [--replace]} does. The database itself
 *       is not inspected to decide whether the step is done: a database that holds tables says nothing
 *       about which backup they came from, and {@code check} must not connect to a server that may be
 *       down during a disaster. Instead, after a successful load, the action writes a small record
 *       under drover's state directory, {@code runbooks/restore-backup/EXECUTION-STEP.properties},
 *       keyed by the execution id and the step id; {@code check} finds the step done when that record
 *       names the backup it would load now. So a resumed execution does not load twice, while a new
 *       execution of the runbook (the next DR drill) loads again. Outputs: {@code backup-id},
 *       {@code captured-at}, {@code target}, {@code database}.</li>
 * </ul>
 */
public final class RestoreBackupAction implements Action {
    /** Written last, so that a restore cut short leaves no marker and is not taken for done. */
    static final String MARKER = ".drover-restore";

    private final Config config;

    RestoreBackupAction(Config config) {
        this.config = config;
    }

    /** Where the database variant keeps its record of loaded backups, under drover's state directory. */
    static final Path LOAD_RECORDS = Path.of("runbooks", "restore-backup");

    /**
     * The {@code with:} of a restore-backup step.
     *
     * @param job      the job under {@code jobs:}
     * @param to       the directory to restore into (created if missing); exactly one of this and {@code database}
     * @param database the database to create or fill with the backup; exactly one of this and {@code to}
     * @param into     with {@code database}: the source under {@code sources:} whose server gets the database;
     *                 default: the source the backup was taken from
     * @param force    with {@code to}: restore into a directory that is not empty, replacing files with the same names
     * @param replace  with {@code database}: drop and recreate a database that already holds tables
     * @param from     the target whose copy to restore; default: the first that holds a usable copy and answers
     * @param verified only a backup whose copy passed at least a quick verification
     */
    public record Config(String job, Optional<Path> to, Optional<String> database, Optional<String> into,
                         @Default("false") boolean force, @Default("false") boolean replace, Optional<String> from,
                         @Default("true") boolean verified) {
    }

    /** Finds {@code action: restore-backup}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "restore-backup";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "restore the newest (verified) backup of a job into a directory or load it into a database";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.job().isBlank()) {
                problems.add(new ConfigProblem("job", "job must name a job under jobs:"));
            }
            if (config.to().isPresent() == config.database().isPresent()) {
                problems.add(new ConfigProblem("to", "set exactly one of to (a directory to restore the files into)"
                        + " and database (a database to load the backup into)"));
            }
            config.to().filter(to -> !to.isAbsolute()).ifPresent(to ->
                    // A relative directory would depend on where drover was started, which a DR runbook cannot know.
                    problems.add(new ConfigProblem("to", "to must be an absolute directory, got " + to)));
            config.database().filter(String::isBlank).ifPresent(blank ->
                    problems.add(new ConfigProblem("database", "database must name the database to load into")));
            if (config.force() && config.to().isEmpty()) {
                problems.add(new ConfigProblem("force", "force belongs to to: DIR; with database, use replace: true"
                        + " to overwrite a database"));
            }
            if (config.into().isPresent() && config.database().isEmpty()) {
                problems.add(new ConfigProblem("into", "into belongs to database: NAME (the source whose server gets it)"));
            }
            if (config.replace() && config.database().isEmpty()) {
                problems.add(new ConfigProblem("replace", "replace belongs to database: NAME; with to, use force: true"));
            }
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new RestoreBackupAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    private BackupSelector selector() {
        return new BackupSelector(config.job(), config.from(), config.verified());
    }

    private String kind() {
        return config.verified() ? "verified backup" : "backup";
    }

    /** What the step restores into, for summaries: the directory, or the database. */
    private String destination() {
        return config.to().map(Path::toString).orElseGet(() -> "database " + config.database().orElseThrow()
                + config.into().map(source -> " on " + source).orElse(""));
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        List<Precondition> preconditions = new ArrayList<>();
        String verb = config.to().isPresent() ? "restore" : "load";
        String jobCheck = "job " + config.job() + " is defined";
        Optional<RestorableBackup> newest;
        try {
            newest = context.services().newestBackup(selector());
            preconditions.add(Precondition.passed(jobCheck, "yes"));
        } catch (IllegalArgumentException e) {
            preconditions.add(Precondition.failed(jobCheck, e.getMessage()));
            return new ActionPlan(verb + " the newest " + kind() + " of job " + config.job() + " into " + destination(),
                    preconditions, Optional.empty());
        }
        String backupCheck = "a " + kind() + " of job " + config.job() + " exists" + config.from().map(t -> " on " + t).orElse("");
        if (newest.isEmpty()) {
            preconditions.add(Precondition.failed(backupCheck, "none found" + (config.verified()
                    ? "; verify one with 'drover verify', or set verified: false to accept unverified backups" : "")));
        } else {
            RestorableBackup backup = newest.get();
            preconditions.add(Precondition.passed(backupCheck, describe(backup, context)));
            preconditions.add(backup.keyProblem()
                    .map(problem -> Precondition.failed("the backup can be decrypted", problem))
                    .orElseGet(() -> Precondition.passed("the backup can be decrypted", "key available or not encrypted")));
        }
        if (config.database().isPresent()) {
            return planDatabaseLoad(context, newest, preconditions);
        }
        preconditions.add(destinationPrecondition());
        String summary = newest.map(b -> "restore backup " + b.backupId() + " of job " + config.job() + " (captured "
                + b.capturedAt() + ") from " + b.target() + " into " + destination())
                .orElse("restore the newest " + kind() + " of job " + config.job() + " into " + destination());
        return new ActionPlan(summary, preconditions, Optional.empty());
    }

    private ActionPlan planDatabaseLoad(ActionContext context, Optional<RestorableBackup> newest,
                                        List<Precondition> preconditions) {
        String database = config.database().orElseThrow();
        if (newest.isEmpty()) {
            return new ActionPlan("load the newest " + kind() + " of job " + config.job() + " into " + destination(),
                    preconditions, Optional.empty());
        }
        RestorableBackup backup = newest.get();
        DatabaseLoadPlan load = context.services().planDatabaseLoad(backup, config.into());
        String loadCheck = "the backup can be loaded into a database on " + load.source();
        preconditions.add(load.problem().map(problem -> Precondition.failed(loadCheck, problem))
                .orElseGet(() -> Precondition.passed(loadCheck, load.server())));
        String summary = "load backup " + backup.backupId() + " of job " + config.job() + " (captured " + backup.capturedAt()
                + ") from " + backup.target() + " into database " + database + " on " + load.source() + " (" + load.server()
                + ")" + (config.replace() ? ", replacing it if it holds tables" : "");
        // replace drops whatever the database holds: the plan says so, as it does for other destructive steps.
        Optional<String> dataLoss = config.replace()
                ? Optional.of("database " + database + " on " + load.source() + " is dropped and recreated if it holds tables")
                : Optional.empty();
        return new ActionPlan(summary, preconditions, dataLoss);
    }

    private static String describe(RestorableBackup backup, ActionContext context) {
        Duration age = Duration.between(backup.capturedAt(), context.clock().instant());
        return backup.backupId() + ", captured " + backup.capturedAt() + " (" + age(age) + " ago), " + backup.verification()
                + " on " + backup.target() + ", " + backup.files() + " files, " + backup.bytes() + " bytes";
    }

    private static String age(Duration age) {
        if (age.toDays() > 0) {
            return age.toDays() + "d" + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + age.toMinutesPart() + "m";
        }
        return Math.max(0, age.toMinutes()) + "m" + Math.max(0, age.toSecondsPart()) + "s";
    }

    private Precondition destinationPrecondition() {
        Path to = config.to().orElseThrow();
        String name = to + " is empty" + (config.force() ? " or force is set" : "");
        if (!Files.exists(to)) {
            return Precondition.passed(name, "does not exist yet; it will be created");
        }
        if (!Files.isDirectory(to)) {
            return Precondition.failed(name, "exists and is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(to)) {
            boolean empty = !entries.iterator().hasNext();
            if (empty) {
                return Precondition.passed(name, "empty");
            }
            return config.force() ? Precondition.passed(name, "not empty; force: files with restored names are replaced")
                    : Precondition.failed(name, "not empty; set force: true to restore into it anyway");
        } catch (IOException e) {
            return Precondition.failed(name, "cannot read it: " + e.getMessage());
        }
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        Optional<Properties> marker = config.to().isPresent() ? readMarker(config.to().get().resolve(MARKER))
                : readMarker(loadRecord(context));
        if (marker.isEmpty()) {
            return CheckOutcome.notDone(config.to().map(to -> "no " + MARKER + " in " + to)
                    .orElseGet(() -> "this execution has not loaded a backup into " + destination() + " yet"));
        }
        String restored = marker.get().getProperty("backup-id", "");
        Optional<RestorableBackup> newest;
        try {
            newest = context.services().newestBackup(selector());
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
        String holds = config.to().isPresent() ? config.to().get() + " holds backup " + restored
                : "this execution loaded backup " + restored + " into " + destination();
        if (newest.isPresent() && newest.get().backupId().equals(restored)) {
            return CheckOutcome.done(holds, outputsOf(marker.get()));
        }
        return CheckOutcome.notDone(holds + ", the newest " + kind() + " is "
                + newest.map(RestorableBackup::backupId).orElse("none"));
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        RestorableBackup backup;
        try {
            backup = context.services().newestBackup(selector())
                    .orElseThrow(() -> new ActionFailedException("job " + config.job() + " has no " + kind()
                            + config.from().map(t -> " on " + t).orElse("")));
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
        backup.keyProblem().ifPresent(problem -> {
            throw new ActionFailedException(problem);
        });
        if (config.database().isPresent()) {
            return load(context, backup, config.database().get());
        }
        Path to = config.to().orElseThrow();
        context.log().accept("restoring " + describe(backup, context) + " into " + to);
        RestoredBackup restored = context.services().restoreBackup(backup, to, config.force());
        Properties marker = markerOf(backup);
        marker.setProperty("files", Long.toString(restored.files()));
        marker.setProperty("bytes", Long.toString(restored.bytes()));
        writeMarker(to.resolve(MARKER), marker, "restored by drover restore-backup; check finds the step done while"
                + " this names the newest backup");
        context.log().accept("restored " + restored.files() + " files, " + restored.bytes() + " bytes");
        return outputsOf(marker);
    }

    private ActionOutputs load(ActionContext context, RestorableBackup backup, String database) {
        context.log().accept("loading " + describe(backup, context) + " into " + destination()
                + (config.replace() ? " (replacing it if it holds tables)" : ""));
        LoadedBackup loaded = context.services().loadBackup(backup, database, config.into(), config.replace());
        Properties record = markerOf(backup);
        record.setProperty("database", database);
        record.setProperty("source", loaded.source());
        writeMarker(loadRecord(context), record, "loaded by drover restore-backup in execution " + context.executionId()
                + ", step " + context.stepId() + "; check finds the step done while this names the newest backup");
        context.log().accept(loaded.message());
        return outputsOf(record);
    }

    private static Properties markerOf(RestorableBackup backup) {
        Properties marker = new Properties();
        marker.setProperty("backup-id", backup.backupId());
        marker.setProperty("job", backup.job());
        marker.setProperty("target", backup.target());
        marker.setProperty("captured-at", backup.capturedAt().toString());
        return marker;
    }

    /**
     * The record of what this step of this execution loaded. Step ids are checked by the runbook
     * parser, but the name is still confined to safe characters: it becomes a file name.
     */
    private static Path loadRecord(ActionContext context) {
        String step = context.stepId().replaceAll("[^A-Za-z0-9._-]", "_");
        return context.stateDir().resolve(LOAD_RECORDS).resolve(context.executionId() + "-" + step + ".properties");
    }

    /** The outputs of either variant: the directory variant has files and bytes, the database variant a database. */
    private ActionOutputs outputsOf(Properties marker) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> keys = config.to().isPresent() ? List.of("backup-id", "captured-at", "target", "files", "bytes")
                : List.of("backup-id", "captured-at", "target", "database");
        for (String key : keys) {
            values.put(key, marker.getProperty(key, ""));
        }
        return ActionOutputs.of(values);
    }

    private static Optional<Properties> readMarker(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new ActionFailedException("cannot read restore marker " + file + ": " + e.getMessage());
        }
    }

    /** Written to a temporary file and moved into place, so that a crash never leaves half a marker. */
    private void writeMarker(Path file, Properties marker, String comment) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                marker.store(writer, comment);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ActionFailedException("restored backup " + marker.getProperty("backup-id") + " into " + destination()
                    + " but cannot write the restore marker " + file + ": " + e.getMessage());
        }
    }
}
