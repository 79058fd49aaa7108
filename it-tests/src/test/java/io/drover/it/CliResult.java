package io.drover.it;

/** What one in-process run of the drover CLI produced. */
public record CliResult(int exitCode, String out, String err) {

    /** Standard output and standard error together, for assertions that do not care which stream a message used. */
    public String all() {
        return out + "\n" + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
}
