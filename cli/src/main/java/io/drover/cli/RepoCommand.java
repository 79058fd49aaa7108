package io.drover.cli;

import io.drover.core.app.RepoCopyService;
import io.drover.core.model.DataSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover repo}: work on repositories as a whole. */
@Command(name = "repo", mixinStandardHelpOptions = true, description = "Work on repositories as a whole.",
        subcommands = RepoCommand.Copy.class)
final class RepoCommand {

    /** {@code drover repo copy --from A --to B [ID...]}. */
    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = {"Copy recovery points from one target's repository to another's (e.g. local -> S3), byte for byte.",
                "Every object is hashed against the manifest while it streams; the manifest is written last.",
                "Backups an incremental builds on are copied too. Needs no decryption key."})
    static final class Copy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "TARGET", description = "Source target.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TARGET", description = "Destination target (initialized with 'drover init').")
        String to;

        @Option(names = "--job", paramLabel = "JOB", description = "Without IDs: only this job's recovery points.")
        String job;

        @Parameters(paramLabel = "ID", arity = "0..*", description = "Backup ids (default: every recovery point in the source).")
        List<String> ids = new ArrayList<>();

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec)) {
                var backupIds = ids.stream().map(id -> BackupIds.resolve(ctx, id, job)).toList();
                var copied = new RepoCopyService(ctx.runtime()).copy(from, to, Optional.ofNullable(job), backupIds, ctx.actor());
                if (ctx.json()) {
                    ctx.printJson(copied);
                    return 0;
                }
                long bytes = 0;
                for (var c : copied) {
                    ctx.out().printf("%s  %s%n", c.id(), c.alreadyThere() ? "already in " + to
                            : "copied (" + c.objects() + " objects, " + DataSize.format(c.bytes()) + ", verified)");
                    bytes += c.bytes();
                }
                ctx.out().printf("%d recovery points in %s, %s copied%n", copied.size(), to, DataSize.format(bytes));
                return 0;
            }
        }
    }
}
