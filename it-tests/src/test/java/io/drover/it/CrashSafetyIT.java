package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.TreeDiff;
import io.drover.core.model.BackupId;
import io.drover.core.repository.Json;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Crash safety of {@code backup run} (issue 3, "crash-safe commits"): the real CLI jar runs a full
 * backup as a child process and is killed with SIGKILL at a random moment, 20 times (as the issue asks). Afterwards the
 * repository must hold only recovery points that pass deep verification, the next backup must
 * succeed and restore exactly, and {@code prune} must remove every object the killed runs left
 * behind once the grace period has passed, without touching a committed backup.
 *
 * <p>Sizes: the tree is ~24 MiB (16 MiB random, ~8 MiB text from /usr/share/doc), not the 40 MiB
 * first planned, to keep the test near 60-70 s on 2 cores: a run is mostly JVM start and catalog
 * lock recovery (~4 s after a crash), and every committed point is deep-verified. With 1 MiB
 * parts and {@code full-every: 1} every run is a full backup that writes ~20 parts. The kill
 * delays come from a seeded {@link Random}, between 50 ms and the measured duration of an
 * uncrashed run (every other round in its last 40 %), so the schedule is reproducible up to the
 * machine's timing.
 *
 * <p>The local target's hidden {@code .tmp-*} files of objects (and manifests) a killed run was
 * writing are not listed as objects; prune removes them through the target's
 * {@code removeAbandonedWrites} once they are older than the grace period.
 */
class CrashSafetyIT {
    /** The 20 kills; with ~4 s per crashed run they take ~80 s on 2 cores. */
    private static final int ROUNDS = 20;
    private static final long SEED = 0x0D20_7E11L;
    /** What {@code Process.exitValue()} reports on Linux for a process ended by signal 9. */
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration GRACE = Duration.ofSeconds(1);

    @TempDir
    Path temp;

    @Test
    void killedBackupsNeverLeaveABrokenRepositoryAndPruneRemovesWhatTheyLeft() throws Exception {
        Path source = Files.createDirectories(temp.resolve("source"));
        buildTree(source);
        DroverWorkspace ws = DroverWorkspace.in(temp.resolve("ws")).source(source).partSize("1MiB").fullEvery(1)
                .extraConfig("prune: { grace-period: " + GRACE.toSeconds() + "s }").create().init();
        assertThat(ws.encrypted()).isTrue();
        Path logs = Files.createDirectories(temp.resolve("logs"));

        // One uncrashed run of the child process proves it works. The typical duration is measured on
        // a run right after a crash, as every round but the first follows one: the CLI then waits a
        // few seconds for the killed process's stale catalog lock (H2 drover.lock.db) before it
        // writes anything. Measured on a clean start, most kills would land before the first part.
        long firstStarted = System.nanoTime();
        Process first = startBackup(ws, logs, "first");
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).as("the first backup finishes").isTrue();
        long cleanMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstStarted);
        assertThat(first.exitValue()).as("uncrashed backup run\n%s", log(logs, "first")).isZero();
        Process crashed = startBackup(ws, logs, "warm-up-crash");
        Thread.sleep(1500); // a single fixed kill moment: the JVM is up and has opened the catalog
        crashed.destroyForcibly();
        assertThat(crashed.waitFor(1, TimeUnit.MINUTES)).isTrue();
        long started = System.nanoTime();
        Process measured = startBackup(ws, logs, "measured");
        assertThat(measured.waitFor(2, TimeUnit.MINUTES)).as("the measured backup finishes").isTrue();
        long typicalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(measured.exitValue()).as("uncrashed backup run after a crash\n%s", log(logs, "measured")).isZero();
        assertThat(manifestIds(ws)).as("the warm-up crash committed nothing").hasSize(2);
        int baselineOrphanDirs = orphans(ws).size();

        Random random = new Random(SEED);
        int killed = 0;
        int finished = 0;
        boolean previousKilled = false;
        for (int round = 0; round < ROUNDS; round++) {
            // Even rounds: anywhere in the run. Odd rounds: its last 40 %, where the parts are
            // written (the first ~60 % is JVM start and catalog lock recovery), so that several
            // kills reliably land mid-write.
            // The expected duration depends on the previous round: after a kill the CLI first waits
            // for the stale catalog lock, after a finished run it does not.
            long expectedMs = previousKilled ? typicalMs : Math.min(cleanMs, typicalMs);
            long from = round % 2 == 0 ? 50 : expectedMs * 6 / 10;
            long delay = from + random.nextLong(Math.max(1, expectedMs - from));
            Process process = startBackup(ws, logs, "round-" + round);
            Thread.sleep(delay); // the random kill moment: one sleep, no polling
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
            int exit = process.exitValue();
            previousKilled = exit == SIGKILL_EXIT;
            if (exit == SIGKILL_EXIT) {
                killed++;
            } else {
                assertThat(exit).as("round %d ended by itself, so it must have succeeded\n%s", round, log(logs, "round-" + round)).isZero();
                finished++;
            }
        }
        // One more kill, placed for certain: the moment the run's first part is on disk. Random
        // delays may all land in JVM start-up on some machines; this one always leaves orphans.
        int orphanDirsBefore = orphans(ws).size();
        Process placed = startBackup(ws, logs, "placed-kill");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
                .pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> !placed.isAlive() || orphans(ws).size() > orphanDirsBefore);
        placed.destroyForcibly();
        assertThat(placed.waitFor(1, TimeUnit.MINUTES)).isTrue();
        if (placed.exitValue() == SIGKILL_EXIT) {
            killed++;
        } else {
            assertThat(placed.exitValue()).as("the placed run ended by itself\n%s", log(logs, "placed-kill")).isZero();
            finished++;
        }
        int leftObjects = orphans(ws).size() - baselineOrphanDirs;
        System.out.printf("CrashSafetyIT: clean run %d ms, run after a crash %d ms; %d of %d runs killed by SIGKILL (%d of them after writing"
                + " objects), %d finished before the kill%n", cleanMs, typicalMs, killed, ROUNDS + 1, leftObjects, finished);
        assertThat(killed + finished).isEqualTo(ROUNDS + 1);

        // The catalog may have been killed mid-update too: rebuild it from the manifests, then every
        // recovery point it lists must pass deep verification.
        CliResult rebuild = ws.ok("catalog", "rebuild");
        List<String> committed = manifestIds(ws);
        assertThat(ws.json("backup", "list").findValuesAsString("id")).as("catalog after rebuild\n%s", rebuild)
                .containsExactlyInAnyOrderElementsOf(committed);
        // A run killed after publishing its manifest (before the JVM exited) is committed too.
        assertThat(committed.size()).as("the two uncrashed runs and every round that finished").isBetween(2 + finished, 2 + ROUNDS + 1);
        int verified = verifyAll(ws, "deep", committed.size());
        assertEveryManifestNamesOnlyExistingObjects(ws);

        // Orphans: objects of killed runs, with no manifest.
        TreeMap<String, Long> orphans = orphans(ws);
        long orphanObjects = orphans.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("CrashSafetyIT: %d committed recovery points passed deep verification; %d orphan objects in %d backup dirs%n",
                verified, orphanObjects, orphans.size());
        long tempLeftovers = leftovers(ws, true).values().stream().mapToLong(Long::longValue).sum();
        if (killed > 0) {
            // A kill mid-write leaves finished parts (orphan objects) and/or the hidden temp file of
            // the part being written; which of the two depends on timing, so the pair is asserted.
            assertThat(orphanObjects + tempLeftovers).as("objects or temp files left by the killed runs").isPositive();
        }

        // The next backup (not killed) succeeds and restores exactly.
        BackupId next = ws.backup();
        Path restore = temp.resolve("restore");
        ws.ok("restore", "latest", "--to", restore.toString());
        assertThat(TreeDiff.compare(source, DroverWorkspace.restoredCopy(restore, source))).isEmpty();
        assertThat(manifestIds(ws)).contains(next.value());

        // Past the grace period (backup ids carry their start time to the second, so wait one more
        // second beyond it), prune removes every orphan and no committed backup.
        List<String> beforePrune = manifestIds(ws);
        Thread.sleep(GRACE.plusSeconds(1).toMillis());
        long tempFilesBefore = leftovers(ws, true).values().stream().mapToLong(Long::longValue).sum();
        CliResult prune = ws.ok("prune");
        long tempFilesAfter;
        try (var walk = Files.walk(ws.repository())) {
            tempFilesAfter = walk.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count();
        }
        assertThat(orphans(ws)).as("orphans after prune\n%s", prune).isEmpty();
        assertThat(tempFilesAfter).as("hidden temp files of killed writes after prune\n%s", prune).isZero();
        assertThat(manifestIds(ws)).as("prune keeps every committed backup (no retention configured)").isEqualTo(beforePrune);
        // Prune touched only manifest-less directories: a quick verification (every object present
        // with its size) of every point, plus the direct check below, shows nothing committed lost.
        int verifiedAfter = verifyAll(ws, "quick", beforePrune.size());
        assertEveryManifestNamesOnlyExistingObjects(ws);
        System.out.printf("CrashSafetyIT: prune removed %d orphan objects; %d recovery points still pass (quick) verification;"
                + " hidden .tmp- files of killed runs: %d before prune, %d after%n",
                orphanObjects, verifiedAfter, tempFilesBefore, tempFilesAfter);
    }

    // ---- the tree ---------------------------------------------------------------------------------

    /** ~24 MiB: 16 MiB of random files in assorted sizes plus ~8 MiB of real text files. */
    private static void buildTree(Path source) throws Exception {
        SampleTrees.copyOfUsrShareDoc(source, 1200, 8L << 20);
        Random sizes = new Random(SEED + 1);
        long written = 0;
        int n = 0;
        while (written < (16L << 20)) {
            int size = 64 * 1024 + sizes.nextInt(3 << 20); // 64 KiB .. 3 MiB, many cross part boundaries
            SampleTrees.randomFile(source.resolve("random/r" + (n % 4) + "/blob-" + n + ".bin"), size, SEED + 100 + n);
            written += size;
            n++;
        }
        SampleTrees.writeExtras(source);
    }

    // ---- the child process ------------------------------------------------------------------------

    private static Process startBackup(DroverWorkspace ws, Path logs, String name) throws IOException {
        return new DroverRunner(logs, Map.of(), List.of()).start(name, "--config", ws.configFile().toString(),
                "backup", "run", DroverWorkspace.JOB);
    }

    private static String log(Path logs, String name) throws IOException {
        return new DroverRunner(logs, Map.of(), List.of()).log(name);
    }

    // ---- the repository on disk -------------------------------------------------------------------

    /** {@code verify --all --level LEVEL}: exit 0, one passing report per listed point; returns their number. */
    private static int verifyAll(DroverWorkspace ws, String level, int expectedPoints) {
        JsonNode reports = ws.json("verify", "--all", "--level", level);
        assertThat(reports.isArray()).isTrue();
        List<String> failing = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode report : reports) {
            JsonNode id = report.get("backupId");
            ids.add(id.isObject() ? id.get("value").asString() : id.asString());
            if (!report.get("findings").isEmpty()) {
                failing.add(report.toString());
            }
        }
        assertThat(failing).as("recovery points failing deep verification").isEmpty();
        assertThat(ids).as("every committed backup is listed and verified").hasSize(expectedPoints).doesNotHaveDuplicates();
        return ids.size();
    }

    /** Ids of {@code manifests/ID.json}, sorted. */
    private static List<String> manifestIds(DroverWorkspace ws) throws IOException {
        Path manifests = ws.repository().resolve("manifests");
        if (!Files.isDirectory(manifests)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(manifests)) {
            // A hidden .tmp-* is a manifest a killed run was still writing: not committed.
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith(".tmp-"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        }
    }

    private static void assertEveryManifestNamesOnlyExistingObjects(DroverWorkspace ws) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String id : manifestIds(ws)) {
            Manifest manifest = Json.MAPPER.readValue(Files.readString(ws.repository().resolve("manifests/" + id + ".json")), Manifest.class);
            assertThat(manifest.id().value()).isEqualTo(id);
            assertThat(manifest.parts()).as("parts of %s", id).isNotEmpty();
            for (StoredObject object : manifest.objects()) {
                Path file = ws.objectFile(object);
                if (!Files.isRegularFile(file)) {
                    problems.add(id + ": missing " + object.key());
                } else if (Files.size(file) != object.size()) {
                    problems.add(id + ": " + object.key() + " has " + Files.size(file) + " bytes, manifest says " + object.size());
                }
            }
        }
        assertThat(problems).as("objects named by manifests").isEmpty();
    }

    /** Objects (files other than the local target's hidden {@code .tmp-*}) per {@code backups/ID/} without a manifest. */
    private static TreeMap<String, Long> orphans(DroverWorkspace ws) throws IOException {
        return leftovers(ws, false);
    }

    /**
     * Per {@code backups/ID/} without a manifest, either its objects or its hidden {@code .tmp-*}
     * files (an object a killed run was writing; the target does not list them, so prune does not see them).
     */
    private static TreeMap<String, Long> leftovers(DroverWorkspace ws, boolean tempFiles) throws IOException {
        TreeMap<String, Long> orphans = new TreeMap<>();
        Path backups = ws.repository().resolve("backups");
        if (!Files.isDirectory(backups)) {
            return orphans;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(backups)) {
            dirs = list.toList();
        }
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            if (Files.exists(ws.repository().resolve("manifests/" + id + ".json"))) {
                continue;
            }
            long files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".tmp-") == tempFiles).count();
            }
            if (files > 0) {
                orphans.put(id, files);
            }
        }
        return orphans;
    }
}
