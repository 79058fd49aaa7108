package io.drover.core.spi.action;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a command printed, collected line by line for the actions that run commands (local or
 * remote), so that they all produce the same outputs: every {@code ::output NAME=VALUE} line of
 * stdout becomes output {@code NAME}; the other stdout lines are kept, the last
 * {@value #STDOUT_KEPT_CHARS} characters of them, as output {@code stdout}; the last
 * {@value #STDERR_TAIL_LINES} lines of stderr are kept for the failure message. Memory stays bounded
 * however much the command prints. Thread-safe: stdout and stderr are usually fed from different threads.
 */
public final class CommandOutput {
    /** How much of stdout the {@code stdout} output keeps: its last characters, whole lines where possible. */
    public static final int STDOUT_KEPT_CHARS = 64 * 1024;
    /** How many of the last stderr lines are kept for the failure message. */
    public static final int STDERR_TAIL_LINES = 20;
    /** A command sets an output by printing {@code ::output NAME=VALUE} on a line of its own. */
    private static final Pattern OUTPUT_LINE = Pattern.compile("::output ([A-Za-z0-9][A-Za-z0-9_-]*)=(.*)");

    private final Deque<String> stdout = new ArrayDeque<>();
    /** Characters in {@link #stdout}, counting one newline per line. */
    private int stdoutChars;
    private final Map<String, String> named = new LinkedHashMap<>();
    private final Deque<String> stderr = new ArrayDeque<>();

    /** Takes one line of stdout, without its line terminator. */
    public synchronized void stdoutLine(String line) {
        Matcher output = OUTPUT_LINE.matcher(line);
        if (output.matches()) {
            named.put(output.group(1), output.group(2));
            return;
        }
        String kept = line.length() > STDOUT_KEPT_CHARS ? line.substring(line.length() - STDOUT_KEPT_CHARS) : line;
        stdout.addLast(kept);
        stdoutChars += kept.length() + 1;
        while (stdoutChars > STDOUT_KEPT_CHARS + 1 && stdout.size() > 1) {
            stdoutChars -= stdout.removeFirst().length() + 1;
        }
    }

    /** Takes one line of stderr, without its line terminator. */
    public synchronized void stderrLine(String line) {
        stderr.addLast(line);
        if (stderr.size() > STDERR_TAIL_LINES) {
            stderr.removeFirst();
        }
    }

    /** The last lines of stderr, oldest first. */
    public synchronized List<String> stderrTail() {
        return new ArrayList<>(stderr);
    }

    /** The kept stdout (without the {@code ::output} lines), trimmed. */
    public synchronized String stdout() {
        return String.join("\n", stdout).strip();
    }

    /**
     * The outputs of the command that exited with {@code exitCode}: every {@code ::output} it
     * printed, {@code exit-code} and {@code stdout} (these two win over {@code ::output} lines of the
     * same names).
     */
    public synchronized ActionOutputs outputs(int exitCode) {
        Map<String, String> values = new LinkedHashMap<>(named);
        values.put("exit-code", Integer.toString(exitCode));
        values.put("stdout", stdout());
        return ActionOutputs.of(values);
    }
}
