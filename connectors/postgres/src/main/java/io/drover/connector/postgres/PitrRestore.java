package io.drover.connector.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Turns a physical base backup ({@code base.tar}) and archived WAL into a data directory that
 * recovers to a point in time when PostgreSQL is started on it.
 *
 * <p>The WAL goes into {@code <data>/drover-wal}, inside the data directory so that it has the
 * directory's owner and permissions and needs no path in the configuration: {@code restore_command}
 * runs in the data directory and copies from there, using a segment's {@code .partial} copy (the
 * newest archived one) when no complete copy exists. The recovery settings are appended to
 * {@code postgresql.auto.conf} (as {@code pg_basebackup -R} does), with
 * {@code recovery_target_action = promote}: the server opens for writes on a new timeline once it
 * reached the target. The restore is into a new directory, never over a server, and the backups are
 * untouched, so a target that turns out wrong is corrected by restoring again; pausing instead
 * would leave a server that looks up but refuses writes until someone resumes it.
 */
final class PitrRestore {
    static final String BASE_TAR = "base.tar";
    static final String WAL_DIRECTORY = "wal";
    static final String RESTORED_WAL = "drover-wal";
    private static final Pattern START_WAL = Pattern.compile("START WAL LOCATION: \\S+ \\(file ([0-9A-F]{24})\\)");
    private static final DateTimeFormatter TARGET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    private PitrRestore() {
    }

    static String restore(Path baseFiles, Path walFiles, Path data, Optional<Instant> targetTime) throws IOException {
        unpackBase(baseFiles, data);
        Path wal = Files.createDirectory(data.resolve(RESTORED_WAL), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        int walCount = 0;
        if (Files.isDirectory(walFiles)) {
            try (Stream<Path> files = Files.list(walFiles)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && (WalSpool.SEGMENT.matcher(name).matches()
                            || WalSpool.PARTIAL.matcher(name).matches() || WalSpool.HISTORY.matcher(name).matches())) {
                        Files.copy(file, wal.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                        Files.setPosixFilePermissions(wal.resolve(name), PosixFilePermissions.fromString("rw-------"));
                        walCount++;
                    }
                }
            }
        }
        String lastSegment = checkContinuity(data, wal);
        String settings = "\n# drover: point-in-time restore\n"
                + "restore_command = 'f=" + RESTORED_WAL + "/%f; if [ -f \"$f\" ]; then cp \"$f\" \"%p\";"
                + " elif [ -f \"$f.partial\" ]; then cp \"$f.partial\" \"%p\"; else exit 1; fi'\n"
                + targetTime.map(t -> "recovery_target_time = '" + TARGET.format(t) + "'\n"
                        + "recovery_target_action = 'promote'\n").orElse("");
        Files.writeString(data.resolve("postgresql.auto.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Files.deleteIfExists(data.resolve("standby.signal"));
        Files.write(data.resolve("recovery.signal"), new byte[0]);
        boolean handedOver = giveToServiceUser(data);
        return "restored the base backup into " + data + " with " + walCount + " archived WAL files (through segment "
                + lastSegment + ") in " + data.resolve(RESTORED_WAL) + "; start PostgreSQL on it"
                + (handedOver ? " (owned by the " + TemporaryInstance.SERVICE_USER + " user)" : "") + ": it recovers to "
                + targetTime.map(t -> "the last transaction committed at or before " + t).orElse("the end of the archived WAL")
                + " and then opens for writes on a new timeline; check it, then delete " + data.resolve(RESTORED_WAL)
                + " and the restore settings at the end of postgresql.auto.conf";
    }

    /**
     * Prepares a data directory for the restore test of a physical base backup: {@code base.tar}
     * unpacked into {@code data}, to be started as a temporary instance. A {@code -X fetch} base
     * backup holds the WAL that makes it consistent in {@code pg_wal}, and PostgreSQL replays it on
     * start when {@code backup_label} is present and no signal file asks for archive recovery: so no
     * {@code restore_command}, no archive, no recovery settings. The source's own configuration is
     * replaced: it may name an {@code archive_command} (which would archive into the source's
     * archive), other ports, addresses, certificates or a configuration directory elsewhere (Debian
     * keeps {@code postgresql.conf} outside the data directory). The temporary instance adds its
     * port, address and socket when it starts.
     */
    static void prepareForRestoreTest(Path baseFiles, Path data) throws IOException {
        unpackBase(baseFiles, data);
        checkContinuity(data, data.resolve("pg_wal"));
        for (String file : List.of("standby.signal", "recovery.signal", "postgresql.auto.conf", "postmaster.pid",
                "postmaster.opts")) {
            Files.deleteIfExists(data.resolve(file));
        }
        writePrivate(data.resolve("postgresql.conf"), """
                # drover: the restore test of a physical base backup. The source's configuration is not used:
                # this instance recovers to consistency from the WAL in pg_wal, archives nothing, and
                # accepts connections only on 127.0.0.1 and its socket (the temporary instance's settings follow).
                archive_mode = off
                ssl = off
                """);
        writePrivate(data.resolve("pg_hba.conf"), """
                # drover: the restore test of a physical base backup, reachable only locally
                local all all trust
                host all all 127.0.0.1/32 trust
                """);
        writePrivate(data.resolve("pg_ident.conf"), "");
        giveToServiceUser(data);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Unpacks the {@code base.tar} in {@code baseFiles} into {@code data}, a new or empty directory;
     * refuses a tar that is damaged or ends before {@code global/pg_control} (which
     * {@code pg_basebackup} sends after all other files of the data directory).
     */
    private static void unpackBase(Path baseFiles, Path data) throws IOException {
        Path tar = baseFiles.resolve(BASE_TAR);
        if (!Files.isRegularFile(tar)) {
            throw new IOException("the backup holds no " + BASE_TAR + ": it is not a physical base backup (mode: physical)");
        }
        prepareEmpty(data);
        try {
            unpack(tar, data);
        } catch (IOException e) {
            throw new IOException(BASE_TAR + " cannot be unpacked: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(data.resolve("global").resolve("pg_control"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(BASE_TAR + " holds no global/pg_control: it is incomplete (cut short?) or not a base"
                    + " backup taken by pg_basebackup");
        }
    }

    /** Creates {@code data} (0700), or accepts it when it is an empty directory; refuses anything else. */
    private static void prepareEmpty(Path data) throws IOException {
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(data + " exists and is not a directory; restore into a new or empty directory");
            }
            try (Stream<Path> children = Files.list(data)) {
                if (children.findAny().isPresent()) {
                    throw new IOException(data + " is not empty; a data directory is restored only into a new or empty"
                            + " directory (never over a server's files)");
                }
            }
        } else {
            Files.createDirectories(data.toAbsolutePath().getParent());
            Files.createDirectory(data);
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    }

    /** Extracts {@code tar} into {@code data}: regular files and directories only, nothing outside it. */
    private static void unpack(Path tar, Path data) throws IOException {
        Path root = data.toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                String name = entry.getName();
                Path target = root.resolve(name).normalize();
                if (name.startsWith("/") || !target.startsWith(root)) {
                    throw new IOException(BASE_TAR + " has an entry outside the data directory: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode(), true));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                        entries.transferTo(out);
                    }
                    Files.setPosixFilePermissions(target, permissions(entry.getMode(), false));
                } else {
                    // pg_tblspc links: pg_basebackup cannot write other tablespaces to stdout, so there are none.
                    throw new IOException(BASE_TAR + " has an entry that is not a file or directory: " + name
                            + " (tablespaces outside the data directory are not supported)");
                }
            }
        }
    }

    /** The owner's bits of the entry (and the group's read bits when it had them), never others'. */
    private static Set<PosixFilePermission> permissions(int mode, boolean directory) {
        int bits = mode & 0750;
        bits |= directory ? 0700 : 0600;
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            text.append((bits & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    /**
     * Checks that the WAL from the base backup's start segment on has no gap (in {@code pg_wal} of the
     * backup or in the archive) and returns the last segment; a gap would end the recovery early.
     */
    private static String checkContinuity(Path data, Path wal) throws IOException {
        Path label = data.resolve("backup_label");
        if (!Files.isRegularFile(label)) {
            throw new IOException(BASE_TAR + " holds no backup_label: it is not a base backup taken by pg_basebackup");
        }
        Matcher start = START_WAL.matcher(Files.readString(label, StandardCharsets.UTF_8));
        if (!start.find()) {
            throw new IOException("cannot read the start segment from the backup_label of the base backup");
        }
        String first = start.group(1);
        long timeline = WalSpool.timeline(first);
        TreeSet<String> segments = new TreeSet<>();
        long segmentSize = 0;
        for (Path directory : List.of(data.resolve("pg_wal"), wal)) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (WalSpool.SEGMENT.matcher(name).matches() || WalSpool.PARTIAL.matcher(name).matches()) {
                        segments.add(name.substring(0, 24));
                        segmentSize = Math.max(segmentSize, Files.size(file));
                    }
                }
            }
        }
        if (segmentSize == 0 || !segments.contains(first)) {
            throw new IOException("the WAL segment " + first + " where the base backup starts is neither in the backup"
                    + " nor in the archive");
        }
        if (Long.bitCount(segmentSize) != 1) {
            throw new IOException("WAL segments of " + segmentSize + " bytes are not a power of two; the WAL is damaged");
        }
        long number = WalSpool.segmentNumber(first, segmentSize);
        List<String> after = new ArrayList<>();
        for (String name : segments.tailSet(first, false)) {
            if (WalSpool.timeline(name) == timeline) {
                after.add(name);
            }
        }
        String last = first;
        for (String name : after) {
            String expected = WalSpool.segmentName(timeline, ++number, segmentSize);
            if (!name.equals(expected)) {
                throw new IOException("the archived WAL has a gap: segment " + expected + " is missing (the next one is "
                        + name + "); a recovery would stop there. Was the WAL job's slot dropped, or did its archiving"
                        + " start after this base backup? Take a new base backup after a WAL run");
            }
            last = name;
        }
        return last;
    }

    /** When drover runs as root, gives the tree to the postgres user (PostgreSQL refuses to run as root). */
    private static boolean giveToServiceUser(Path data) throws IOException {
        if (!OsUser.runningAsRoot()) {
            return false;
        }
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName(TemporaryInstance.SERVICE_USER);
            group = lookup.lookupPrincipalByGroupName(TemporaryInstance.SERVICE_USER);
        } catch (IOException e) {
            return false; // no postgres user: leave it to the operator to chown
        }
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
        return true;
    }
}
