package io.drover.connector.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an argv list into one command line for the remote POSIX shell. SSH carries a single
 * string that the login shell parses, so every argument that is not plainly safe is put in single
 * quotes (inside which nothing is special) and its own single quotes become {@code '\''}.
 */
final class PosixShellQuoting {
    /** Words any POSIX shell takes literally; left unquoted so that plans stay readable. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private PosixShellQuoting() {
    }

    /** {@code argv} as a command line that makes the remote shell run exactly that argv. */
    static String commandLine(List<String> argv) {
        return argv.stream().map(PosixShellQuoting::quote).collect(Collectors.joining(" "));
    }

    /** One argument, quoted if it needs to be. */
    static String quote(String argument) {
        if (SAFE.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
