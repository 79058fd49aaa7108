package io.drover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** One in-process run of the CLI against a config file, with what it printed: the tests' way to drive drover. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = DroverCli.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Both streams, for assertion messages. */
    String all() {
        return out + err;
    }
}
