package io.drover.cli;

import picocli.CommandLine.Command;

/** {@code drover backup}: run, list and inspect backups. */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Run, list and inspect backups.",
        subcommands = {BackupRunCommand.class, BackupListCommand.class, BackupShowCommand.class})
final class BackupCommand {
}
