package io.drover.core.spi.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandOutputTest {

    @Test
    void outputLinesBecomeNamedOutputsAndTheRestIsStdout() {
        CommandOutput output = new CommandOutput();
        output.stdoutLine("starting");
        output.stdoutLine("::output lsn=0/3000060");
        output.stdoutLine("::output not valid");
        output.stdoutLine("::output exit-code=7");
        output.stdoutLine("done  ");

        assertThat(output.outputs(0).values()).containsExactly(
                java.util.Map.entry("lsn", "0/3000060"), java.util.Map.entry("exit-code", "0"),
                java.util.Map.entry("stdout", "starting\n::output not valid\ndone"));
    }

    @Test
    void stdoutKeepsItsLastCharactersAndStderrItsLastLines() {
        CommandOutput output = new CommandOutput();
        String line = "x".repeat(1023);
        for (int i = 0; i < 200; i++) {
            output.stdoutLine(i + ":" + line);
            output.stderrLine("err-" + i);
        }

        String stdout = output.stdout();
        assertThat(stdout.length()).isLessThanOrEqualTo(CommandOutput.STDOUT_KEPT_CHARS);
        assertThat(stdout).endsWith("199:" + line).doesNotContain("\n0:");
        assertThat(output.stderrTail()).hasSize(CommandOutput.STDERR_TAIL_LINES).startsWith("err-180").endsWith("err-199");
    }

    @Test
    void aSingleHugeLineIsCutToItsEnd() {
        CommandOutput output = new CommandOutput();
        output.stdoutLine("a".repeat(CommandOutput.STDOUT_KEPT_CHARS) + "tail");

        assertThat(output.stdout()).hasSize(CommandOutput.STDOUT_KEPT_CHARS).endsWith("tail");
    }
}
