package io.drover.cli;

import io.drover.core.app.InitService;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover init}: generate an age key pair and/or create the repositories of the configured targets. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create the repository on every configured target (or those named).",
            "With --generate-key, first write a new age identity (private key) to FILE and print its public key."})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--generate-key", paramLabel = "FILE", description = "Write a new age identity to FILE (mode 0600) and print its recipient.")
    Path generateKey;

    @Option(names = "--target", paramLabel = "NAME", description = "Initialize only this target (repeatable).")
    List<String> targets = new ArrayList<>();

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            if (generateKey != null) {
                String recipient = writeKey(generateKey);
                ctx.info("Wrote a new age identity to " + generateKey + " (mode 0600).");
                ctx.info("Public key (put it under encryption.recipients in drover.yaml):");
                ctx.out().println(recipient);
                ctx.info("");
                ctx.info("Store a copy of the identity OFFLINE (a password manager, a safe): without it no backup");
                ctx.info("can be restored. The backup host needs only the public key to write backups.");
                if (!Files.exists(ctx.configPath())) {
                    return 0;
                }
            }
            List<String> names = targets.isEmpty() ? List.copyOf(ctx.config().targets().keySet()) : targets;
            if (names.isEmpty()) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, ctx.config().file() + " defines no targets",
                        "add a target under 'targets:' (see README)", List.of(), null);
            }
            var results = new InitService(ctx.runtime()).initialize(names, ctx.actor());
            if (ctx.json()) {
                ctx.printJson(results);
                return 0;
            }
            for (var result : results) {
                ctx.out().println((result.created() ? "created   " : "exists    ") + result.target() + "  " + result.description()
                        + "  (repository " + result.repositoryId() + ")");
            }
            return 0;
        }
    }

    private static String writeKey(Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DroverException(DroverErrors.REPOSITORY_EXISTS, file + " exists already; drover never overwrites a key",
                    "choose another file name, or delete the old key only if no backup needs it", List.of(), null);
        }
        AgeKeys.GeneratedKey key = AgeKeys.generate();
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key.identityFile(Instant.now()), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot write the key to " + file + ": " + e.getMessage(), e);
        }
        return key.recipient();
    }
}
