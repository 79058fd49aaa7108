package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line's contract: help everywhere, documented exit codes, JSON output, quickstart, job locking. */
class CliBasicsIT {
    @TempDir
    Path temp;

    /** Every command path, e.g. [backup, run], found from the picocli model so new commands are covered too. */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(DroverCli.commandLine(new String[0]), new ArrayList<>(), all); // no arguments: every command registered
        return all.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // skip aliases
                List<String> child = new ArrayList<>(path);
                child.add(name);
                collect(sub, child, all);
            }
        });
    }

    @ParameterizedTest(name = "drover {0} --help")
    @MethodSource("commands")
    void helpWorksForEveryCommand(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");

        CliResult result = DroverWorkspace.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).as(result.toString()).contains("Usage: drover");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void everyDocumentedCommandExists() {
        assertThat(commands().map(c -> String.join(" ", c)).toList()).contains("init", "backup run", "backup list",
                "backup show", "restore", "verify", "config validate", "catalog rebuild", "quickstart", "completion");
    }

    @Test
    void unknownCommandExitsTwoWithASuggestion() {
        CliResult result = DroverWorkspace.run("bakup", "list");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString()).contains("bakup").contains("backup").contains("--help");
    }

    @Test
    void versionPrintsTheVersion() {
        CliResult result = DroverWorkspace.run("--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("drover \\d+\\.\\d+").contains("Java");
    }

    @Test
    void backupListAsJsonOnAnEmptyCatalogIsAnEmptyArray() throws IOException {
        DroverWorkspace workspace = DroverWorkspace.in(temp.resolve("ws")).create().init();

        CliResult result = workspace.ok("--output", "json", "backup", "list");

        assertThat(result.out().strip()).isEqualTo("[ ]");
    }

    @Test
    void backupOfAnUnknownJobExitsFour() throws IOException {
        DroverWorkspace workspace = DroverWorkspace.in(temp.resolve("ws")).create().init();

        CliResult result = workspace.drover("backup", "run", "nosuchjob");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.err()).contains("nosuchjob").contains(DroverWorkspace.JOB);
    }

    @Test
    void quickstartRestoresIdenticalData() {
        Path dir = temp.resolve("quickstart");

        CliResult result = DroverWorkspace.run("quickstart", "--dir", dir.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("restored data is identical").doesNotContain("DIFFERS");
    }

    @Test
    void aSecondRunOfARunningJobIsAConflict() throws IOException {
        DroverWorkspace workspace = DroverWorkspace.in(temp.resolve("ws")).create().init();
        Files.writeString(workspace.root().resolve("data/file.txt"), "x\n");
        Path lockFile = Files.createDirectories(workspace.stateDir().resolve("locks")).resolve("job-" + DroverWorkspace.JOB + ".lock");

        CliResult result;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            result = workspace.drover("backup", "run", DroverWorkspace.JOB);
        }

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.err()).contains("already running");
        workspace.ok("backup", "run", DroverWorkspace.JOB);
    }
}
