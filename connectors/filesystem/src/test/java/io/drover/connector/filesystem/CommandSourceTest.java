package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.connector.support.StderrTail;
import io.drover.core.model.BackupId;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandSourceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T09:15:00Z");
    private static final SourceReadContext CONTEXT = new SourceReadContext(
            BackupId.generate(NOW), "globals", Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path tmp;

    private static CommandSourceConfig command(List<String> argv) {
        return new CommandSourceConfig(argv, "out.txt", Duration.ofMinutes(1), Optional.empty(), Map.of(), "0640");
    }

    private static RecordingSink run(CommandSourceConfig config) throws IOException {
        RecordingSink sink = new RecordingSink();
        new CommandSource(config).read(CONTEXT, sink);
        return sink;
    }

    private static String output(RecordingSink sink) {
        return new String(sink.files.get("out.txt").content(), StandardCharsets.UTF_8);
    }

    @Test
    void storesStdoutAsOneFileOfUnknownSize() throws IOException {
        RecordingSink sink = new RecordingSink();

        SourceSnapshot snapshot = new CommandSource(command(List.of("echo", "hello world"))).read(CONTEXT, sink);

        assertThat(sink.entries).singleElement().satisfies(meta -> {
            assertThat(meta.path()).isEqualTo("out.txt");
            assertThat(meta.type()).isEqualTo(EntryType.FILE);
            assertThat(meta.size()).isEqualTo(-1);
            assertThat(meta.mode()).isEqualTo(0640);
            assertThat(meta.modified()).isEqualTo(NOW);
        });
        assertThat(output(sink)).isEqualTo("hello world\n");
        assertThat(snapshot.capturedAt()).isEqualTo(NOW);
    }

    @Test
    void nonZeroExitFailsWithTheStderrTailButNotTheArguments() {
        CommandSourceConfig config = command(List.of("sh", "-c",
                "echo partial; echo 'connection refused' >&2; exit 2", "--password=hunter2"));

        assertThatThrownBy(() -> run(config))
                .isInstanceOf(IOException.class)
                .hasMessage("command 'sh' failed with exit code 2: connection refused")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void failureSurfacesWhileReadingSoTheEntryNeverLooksComplete() {
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> new CommandSource(command(List.of("sh", "-c", "echo half; exit 3"))).read(CONTEXT, sink))
                .hasMessageContaining("failed with exit code 3");
        // The sink saw the entry but readAllBytes threw, so no content was recorded as complete.
        assertThat(sink.entries).hasSize(1);
        assertThat(sink.files).isEmpty();
    }

    @Test
    void onlyTheLastEightKibOfStderrAreKept() {
        CommandSourceConfig config = command(List.of("sh", "-c",
                "i=0; while [ $i -lt 3000 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done; echo 'the real reason' >&2; exit 1"));

        assertThatThrownBy(() -> run(config))
                .hasMessageEndingWith("the real reason")
                .hasMessageContaining(": ...")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(StderrTail.CAPACITY + 100));
    }

    @Test
    void timeoutKillsTheCommandAndItsChildren() throws IOException {
        Path pidFile = tmp.resolve("child.pid");
        CommandSourceConfig config = new CommandSourceConfig(
                List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"), "out.txt",
                Duration.ofMillis(500), Optional.empty(), Map.of(), "0640");
        long started = System.nanoTime();

        assertThatThrownBy(() -> run(config))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("command 'sh' timed out after 500ms");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(childPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void missingCommandIsNamed() {
        assertThatThrownBy(() -> run(command(List.of("no-such-command-xyz", "--secret=1"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("command 'no-such-command-xyz' could not be started")
                .hasMessageNotContaining("--secret");
    }

    @Test
    void largeOutputIsStreamedNotBuffered() throws IOException {
        long size = 50L * 1024 * 1024;
        Path done = tmp.resolve("done");
        CommandSourceConfig config = command(List.of("sh", "-c", "head -c " + size + " /dev/zero; touch " + done));
        long[] total = new long[1];
        boolean[] doneSeenEarly = new boolean[1];
        EntrySink counting = new CountingSink(in -> {
            byte[] buffer = new byte[64 * 1024];
            int n = in.read(buffer);
            // After the first read the command cannot have finished: 50 MiB do not fit in a pipe,
            // so they were not collected before the entry was handed over.
            doneSeenEarly[0] = Files.exists(done);
            while (n >= 0) {
                total[0] += n;
                n = in.read(buffer);
            }
        });

        new CommandSource(config).read(CONTEXT, counting);

        assertThat(doneSeenEarly[0]).isFalse();
        assertThat(total[0]).isEqualTo(size);
        assertThat(done).exists();
    }

    @Test
    void readerThatStopsEarlyDoesNotWaitForTheTimeout() {
        CommandSourceConfig config = command(List.of("yes"));
        EntrySink oneByte = new CountingSink(InputStream::read);
        long started = System.nanoTime();

        assertThatThrownBy(() -> new CommandSource(config).read(CONTEXT, oneByte))
                .hasMessageContaining("command 'yes' failed with exit code");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void runsInTheWorkingDirectoryWithTheExtraEnvironmentAndEmptyStdin() throws IOException {
        Path dir = tmp.toRealPath();
        CommandSourceConfig config = new CommandSourceConfig(List.of("sh", "-c", "echo $GREETING; pwd; cat"),
                "exports/env.txt", Duration.ofMinutes(1), Optional.of(dir), Map.of("GREETING", "hi"), "600");

        RecordingSink sink = run(config);

        assertThat(new String(sink.files.get("exports/env.txt").content(), StandardCharsets.UTF_8))
                .isEqualTo("hi\n" + dir + "\n");
        assertThat(sink.entry("exports/env.txt").mode()).isEqualTo(0600);
    }

    @Test
    void describeNamesOnlyTheProgram() {
        CommandSource source = new CommandSource(command(List.of("pg_dumpall", "--dbname=postgresql://u:secret@h/")));

        assertThat(source.describe()).isEqualTo("command pg_dumpall");
        assertThat(source.capabilities()).isEmpty();
    }

    @Test
    void outputCanBeOpenedOnlyOnce() {
        EntrySink openTwice = new CountingSink(in -> { }) {
            @Override
            public void file(EntryMeta meta, FileContent content) throws IOException {
                try (InputStream first = content.open()) {
                    first.readAllBytes();
                }
                content.open();
            }
        };

        assertThatThrownBy(() -> new CommandSource(command(List.of("echo", "x"))).read(CONTEXT, openTwice))
                .hasMessageContaining("only once");
    }

    /** A sink that hands the single file's stream to a consumer. */
    private static class CountingSink implements EntrySink {
        interface StreamConsumer {
            void accept(InputStream in) throws IOException;
        }

        private final StreamConsumer consumer;

        CountingSink(StreamConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public void directory(EntryMeta meta) {
        }

        @Override
        public void symlink(EntryMeta meta) {
        }

        @Override
        public void file(EntryMeta meta, FileContent content) throws IOException {
            try (InputStream in = content.open()) {
                consumer.accept(in);
            }
        }

        @Override
        public void warn(String path, String message) {
        }
    }
}
