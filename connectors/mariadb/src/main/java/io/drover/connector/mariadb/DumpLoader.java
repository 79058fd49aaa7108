package io.drover.connector.mariadb;

import io.drover.connector.support.ChildProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Loads a dump with the {@code mariadb}/{@code mysql} client, stdin from the file. */
final class DumpLoader {
    private DumpLoader() {
    }

    /** The one {@code .sql} file a source of this type wrote into a backup. */
    static Path findDump(Path files) throws IOException {
        List<Path> dumps;
        try (Stream<Path> list = Files.list(files)) {
            dumps = list.filter(f -> f.getFileName().toString().endsWith(".sql") && Files.isRegularFile(f)).sorted().toList();
        }
        if (dumps.isEmpty()) {
            throw new IOException("no .sql dump found in " + files + "; is this a backup of a mariadb or mysql source?");
        }
        if (dumps.size() > 1) {
            throw new IOException("more than one .sql dump in " + files + ": " + dumps.stream()
                    .map(p -> p.getFileName().toString()).toList() + "; a mariadb source writes exactly one");
        }
        return dumps.getFirst();
    }

    static void load(Tools tools, Endpoint endpoint, String database, Path dump, Duration timeout) throws IOException {
        String program = tools.flavor().clientProgram;
        boolean complete = endsWithCompletedLine(dump);
        try (OptionFile options = OptionFile.write(endpoint)) {
            List<String> command = List.of(tools.client(), options.argument(), "--batch", "--max-allowed-packet=1G",
                    "--database=" + database);
            try (ChildProcess client = Tools.process(program, command, endpoint.revealedPassword()).stdin(dump)
                    .discardStdout().timeout(timeout).start()) {
                client.awaitSuccess();
            } catch (IOException e) {
                throw new IOException("loading " + dump.getFileName() + " into database " + database + " on "
                        + endpoint.hostPort() + " failed: " + e.getMessage()
                        + (complete ? "" : " (the dump is incomplete: it does not end with the '"
                        + DumpScanner.COMPLETED + "' line)"), e);
            }
        }
        if (!complete) {
            throw new IOException("the dump " + dump.getFileName() + " is incomplete: it does not end with the '"
                    + DumpScanner.COMPLETED + "' line the dump client writes last, so it was cut off; what it held "
                    + "was loaded into database " + database + " on " + endpoint.hostPort() + " but is not the whole backup");
        }
    }

    /** Whether the last lines of the dump hold the dump client's closing comment. */
    static boolean endsWithCompletedLine(Path dump) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(dump.toFile(), "r")) {
            long length = file.length();
            int tail = (int) Math.min(length, 512);
            byte[] bytes = new byte[tail];
            file.seek(length - tail);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains("\n" + DumpScanner.COMPLETED);
        }
    }
}
