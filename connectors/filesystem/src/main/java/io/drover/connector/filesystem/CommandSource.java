package io.drover.connector.filesystem;

import io.drover.connector.support.ChildProcess;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code command} source: runs a command (a configuration export, {@code pg_dumpall --globals-only})
 * and stores its stdout, streamed, as one file. A non-zero exit or a timeout fails the backup.
 */
public final class CommandSource implements Source {
    private final CommandSourceConfig config;
    private final int mode;

    public CommandSource(CommandSourceConfig config) {
        this.config = config;
        this.mode = Integer.parseInt(config.mode(), 8);
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return Set.of();
    }

    @Override
    public String describe() {
        return "command " + config.program();
    }

    @Override
    public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
        Instant startedAt = context.clock().instant();
        try (ChildProcess command = ChildProcess.builder("command '" + config.program() + "'", config.command())
                .workingDirectory(config.workingDirectory())
                .environment(config.environment())
                .timeout(config.timeout())
                .startHint("check that it is installed and on drover's PATH")
                .start()) {
            // Size -1: the output's length is known only once it has been read.
            EntryMeta meta = new EntryMeta(config.filename(), EntryType.FILE, mode, startedAt, -1, -1, -1,
                    "", "", "", "");
            sink.file(meta, new OutputContent(command));
            // If the reader stopped early, the command gets SIGPIPE instead of filling the pipe until its timeout.
            command.closeStdout();
            command.awaitSuccess();
        }
        return new SourceSnapshot(startedAt, Map.of());
    }

    /** The command's stdout, which exists once and so can be opened once. */
    private static final class OutputContent implements FileContent {
        private final ChildProcess command;
        private final AtomicBoolean opened = new AtomicBoolean();

        OutputContent(ChildProcess command) {
            this.command = command;
        }

        @Override
        public InputStream open() throws IOException {
            if (opened.getAndSet(true)) {
                throw new IOException("the output of a command can be read only once");
            }
            return command.stdout();
        }
    }
}
