package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Only the command the arguments name is built; it must be the same command as in the whole tree. */
class DroverCliCommandsTest {
    private static final List<String> EVERY_COMMAND = DroverCli.COMMANDS.stream()
            .map(c -> c.getAnnotation(Command.class).name()).toList();

    private static List<String> registered(String... args) {
        return List.copyOf(DroverCli.commandLine(args).getSubcommands().keySet());
    }

    @Test
    void registersOnlyTheNamedCommandWhereverTheGlobalOptionsAre() {
        assertThat(registered("backup", "run", "nightly")).containsExactly("backup");
        assertThat(registered("-c", "backup", "restore", "latest")).containsExactly("restore");
        assertThat(registered("--config=drover.yaml", "--quiet", "verify")).containsExactly("verify");
        assertThat(registered("-qo", "json", "status")).containsExactly("status");
        assertThat(registered("--output", "json", "-v", "runbook", "list")).containsExactly("runbook");
    }

    @Test
    void registersEveryCommandForHelpCompletionAndAnythingElse() {
        assertThat(registered()).containsExactlyElementsOf(EVERY_COMMAND);
        assertThat(registered("--help")).containsExactlyElementsOf(EVERY_COMMAND);
        assertThat(registered("help", "backup")).containsExactlyElementsOf(EVERY_COMMAND);
        assertThat(registered("completion")).containsExactlyElementsOf(EVERY_COMMAND);
        assertThat(registered("-c", "x.yaml", "backp")).containsExactlyElementsOf(EVERY_COMMAND);
        assertThat(registered("--output")).containsExactlyElementsOf(EVERY_COMMAND);
    }

    @Test
    void aCommandBuiltAloneIsTheCommandOfTheWholeTree() {
        CommandLine whole = DroverCli.commandLine(new String[0]);
        for (String name : EVERY_COMMAND) {
            CommandLine alone = DroverCli.commandLine(new String[] {name}).getSubcommands().get(name);
            assertThat(usageOfTree(alone)).as(name).isEqualTo(usageOfTree(whole.getSubcommands().get(name)));
        }
    }

    /** The usage help of a command and of all its subcommands, which covers their options and parameters. */
    private static String usageOfTree(CommandLine command) {
        StringBuilder usage = new StringBuilder(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
        command.getSubcommands().values().forEach(sub -> usage.append(usageOfTree(sub)));
        return usage.toString();
    }
}
