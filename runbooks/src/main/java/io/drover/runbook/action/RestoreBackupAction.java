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
 * {@code action: restore-backup}: restores the newest good backup of a job into a directory, as
 * {@code drover restore latest --job JOB --to DIR} does. After a clean restore it writes
 * {@value #MARKER} into the directory, naming the backup; {@code check} finds the step done when
 * that marker names the backup it would restore now, so a resumed runbook does not restore twice.
 * Outputs: {@code backup-id}, {@code captured-at}, {@code target}, {@code files}, {@code bytes}.
 */
public final class RestoreBackupAction implements Action {
    /** Written last, so that a restore cut short leaves no marker and is not taken for done. */
    static final String MARKER = ".drover-restore";

    private final Config config;

    RestoreBackupAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a restore-backup step.
     *
     * @param job      the job under {@code jobs:}
     * @param to       the directory to restore into (created if missing)
     * @param force    restore into a directory that is not empty, replacing files with the same names
     * @param from     the target whose copy to restore; default: the first that holds a usable copy and answers
     * @param verified only a backup whose copy passed at least a quick verification
     */
    public record Config(String job, Path to, @Default("false") boolean force, Optional<String> from,
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
            return "restore the newest (verified) backup of a job into a directory";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.job().isBlank()) {
                problems.add(new ConfigProblem("job", "job must name a job under jobs:"));
            }
            if (!config.to().isAbsolute()) {
                // A relative directory would depend on where drover was started, which a DR runbook cannot know.
                problems.add(new ConfigProblem("to", "to must be an absolute directory, got " + config.to()));
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

    @Override
    public ActionPlan plan(ActionContext context) {
        List<Precondition> preconditions = new ArrayList<>();
        String jobCheck = "job " + config.job() + " is defined";
        Optional<RestorableBackup> newest;
        try {
            newest = context.services().newestBackup(selector());
            preconditions.add(Precondition.passed(jobCheck, "yes"));
        } catch (IllegalArgumentException e) {
            preconditions.add(Precondition.failed(jobCheck, e.getMessage()));
            return new ActionPlan("restore the newest " + kind() + " of job " + config.job() + " into " + config.to(),
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
        preconditions.add(destinationPrecondition());
        String summary = newest.map(b -> "restore backup " + b.backupId() + " of job " + config.job() + " (captured "
                + b.capturedAt() + ") from " + b.target() + " into " + config.to())
                .orElse("restore the newest " + kind() + " of job " + config.job() + " into " + config.to());
        return new ActionPlan(summary, preconditions, Optional.empty());
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
        String name = config.to() + " is empty" + (config.force() ? " or force is set" : "");
        Path to = config.to();
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
        Optional<Properties> marker = readMarker();
        if (marker.isEmpty()) {
            return CheckOutcome.notDone("no " + MARKER + " in " + config.to());
        }
        String restored = marker.get().getProperty("backup-id", "");
        Optional<RestorableBackup> newest;
        try {
            newest = context.services().newestBackup(selector());
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
        if (newest.isPresent() && newest.get().backupId().equals(restored)) {
            return CheckOutcome.done(config.to() + " holds backup " + restored, outputsOf(marker.get()));
        }
        return CheckOutcome.notDone(config.to() + " holds backup " + restored + ", the newest " + kind() + " is "
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
        context.log().accept("restoring " + describe(backup, context) + " into " + config.to());
        RestoredBackup restored = context.services().restoreBackup(backup, config.to(), config.force());
        Properties marker = new Properties();
        marker.setProperty("backup-id", backup.backupId());
        marker.setProperty("job", backup.job());
        marker.setProperty("target", backup.target());
        marker.setProperty("captured-at", backup.capturedAt().toString());
        marker.setProperty("files", Long.toString(restored.files()));
        marker.setProperty("bytes", Long.toString(restored.bytes()));
        writeMarker(marker);
        context.log().accept("restored " + restored.files() + " files, " + restored.bytes() + " bytes");
        return outputsOf(marker);
    }

    private static ActionOutputs outputsOf(Properties marker) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : List.of("backup-id", "captured-at", "target", "files", "bytes")) {
            values.put(key, marker.getProperty(key, ""));
        }
        return ActionOutputs.of(values);
    }

    private Optional<Properties> readMarker() {
        Path file = config.to().resolve(MARKER);
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
    private void writeMarker(Properties marker) {
        Path file = config.to().resolve(MARKER);
        Path temporary = config.to().resolve(MARKER + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                marker.store(writer, "restored by drover restore-backup; check finds the step done while this names the"
                        + " newest backup");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ActionFailedException("restored backup " + marker.getProperty("backup-id") + " into " + config.to()
                    + " but cannot write the restore marker " + file + ": " + e.getMessage());
        }
    }
}
