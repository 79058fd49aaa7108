package io.drover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --identity FILE} for commands that decrypt: overrides {@code encryption.identity} from the config. */
final class IdentityOption {
    @Option(names = "--identity", paramLabel = "FILE", description = "age identity file (default: encryption.identity from the config).")
    Path identity;

    /** Applies the option to the context's runtime, if given. */
    void applyTo(CliContext ctx) {
        if (identity != null) {
            ctx.runtime().useIdentityFile(identity);
        }
    }
}
