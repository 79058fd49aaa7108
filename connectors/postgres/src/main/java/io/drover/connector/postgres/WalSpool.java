package io.drover.connector.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private directory {@code pg_receivewal} writes into between backups of a {@code mode: wal}
 * source ({@code <state>/connectors/postgres/<name>/wal-spool}), and the names of WAL files.
 *
 * <p>Complete segments stay until a backup holding them is committed on every target; the
 * {@code .partial} segment stays always (pg_receivewal continues it on the next run). When the
 * newest complete segment is the only thing left, it is kept too, so that pg_receivewal knows where
 * to continue, and its name is written to {@code archived-through} so that it is not handed over
 * again.
 */
final class WalSpool {
    static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    static final Pattern PARTIAL = Pattern.compile("[0-9A-F]{24}\\.partial");
    static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
    private static final String ARCHIVED_THROUGH = "archived-through";

    private final Path state;
    private final Path directory;

    WalSpool(Path state) {
        this.state = state;
        this.directory = state.resolve("wal-spool");
    }

    Path directory() {
        return directory;
    }

    /** Creates the spool (0700) if missing. */
    Path create() throws IOException {
        Files.createDirectories(state);
        if (!Files.isDirectory(directory)) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return directory;
    }

    /** What a backup hands over: complete segments not archived yet, the newest partial, the history files. */
    record Contents(List<Path> segments, Optional<Path> partial, List<Path> histories) {
    }

    Contents contents() throws IOException {
        Optional<String> through = archivedThrough();
        List<Path> segments = new ArrayList<>();
        List<Path> partials = new ArrayList<>();
        List<Path> histories = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (SEGMENT.matcher(name).matches()) {
                    if (through.isEmpty() || name.compareTo(through.get()) > 0) {
                        segments.add(file);
                    }
                } else if (PARTIAL.matcher(name).matches()) {
                    partials.add(file);
                } else if (HISTORY.matcher(name).matches()) {
                    histories.add(file);
                }
            }
        }
        // pg_receivewal leaves one partial; should there be more, the newest is the one it continues.
        Optional<Path> partial = partials.isEmpty() ? Optional.empty() : Optional.of(partials.getLast());
        // A partial of a segment that is also complete is stale.
        if (partial.isPresent() && Files.exists(directory.resolve(segmentOf(partial.get().getFileName().toString())))) {
            partial = Optional.empty();
        }
        return new Contents(segments, partial, histories);
    }

    /**
     * Deletes {@code segments} (complete ones a committed backup holds); keeps the newest file of the
     * spool when nothing else would be left, and remembers it was archived.
     */
    int release(List<Path> segments) throws IOException {
        if (segments.isEmpty()) {
            return 0;
        }
        Path newest = segments.getLast();
        boolean othersRemain;
        try (Stream<Path> files = Files.list(directory)) {
            othersRemain = files.map(p -> p.getFileName().toString())
                    .anyMatch(n -> (PARTIAL.matcher(n).matches() || SEGMENT.matcher(n).matches())
                            && n.compareTo(newest.getFileName().toString()) > 0);
        }
        int deleted = 0;
        Optional<String> through = archivedThrough();
        if (othersRemain && through.isPresent() && Files.deleteIfExists(directory.resolve(through.get()))) {
            deleted++; // kept last time as the place to continue from; newer files mark it now
        }
        for (Path segment : segments) {
            if (segment.equals(newest) && !othersRemain) {
                writeArchivedThrough(segment.getFileName().toString());
                continue;
            }
            if (Files.deleteIfExists(segment)) {
                deleted++;
            }
        }
        return deleted;
    }

    private Optional<String> archivedThrough() throws IOException {
        Path file = state.resolve(ARCHIVED_THROUGH);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String name = Files.readString(file, StandardCharsets.US_ASCII).strip();
        return SEGMENT.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    private void writeArchivedThrough(String segment) throws IOException {
        Path temp = state.resolve(ARCHIVED_THROUGH + ".tmp");
        Files.writeString(temp, segment + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, state.resolve(ARCHIVED_THROUGH), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code 000000010000000000000003} of {@code 000000010000000000000003.partial}. */
    static String segmentOf(String partialName) {
        return partialName.substring(0, 24);
    }

    /** The timeline of a segment name. */
    static long timeline(String segmentName) {
        return Long.parseLong(segmentName.substring(0, 8), 16);
    }

    /** The segment number of a segment name, for segments of {@code segmentSize} bytes. */
    static long segmentNumber(String segmentName, long segmentSize) {
        long perId = 0x100000000L / segmentSize;
        return Long.parseLong(segmentName.substring(8, 16), 16) * perId + Long.parseLong(segmentName.substring(16, 24), 16);
    }

    /** The name of segment {@code number} on {@code timeline}. */
    static String segmentName(long timeline, long number, long segmentSize) {
        long perId = 0x100000000L / segmentSize;
        return "%08X%08X%08X".formatted(timeline, number / perId, number % perId);
    }
}
