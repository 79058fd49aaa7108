package io.drover.connector.nginx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file an nginx upstream block includes, which drover owns: its {@code server} lines, how
 * drover writes it (one active server, every other {@code down}), and writing it atomically.
 */
final class UpstreamInclude {
    /** Permissions of a file that did not exist before: nginx's master (often root) and its users read it. */
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private UpstreamInclude() {
    }

    /** One {@code server ADDRESS [parameters];} of the include. */
    record Server(String address, List<String> parameters) {
        Server {
            parameters = List.copyOf(parameters);
        }

        /** nginx sends no new requests to a server marked {@code down}, and to a {@code backup} only when all others fail. */
        boolean active() {
            return !parameters.contains("down") && !parameters.contains("backup");
        }

        /** How state() describes it: {@code active}, {@code down}, {@code backup}. */
        String mode() {
            return parameters.contains("down") ? "down" : parameters.contains("backup") ? "backup" : "active";
        }
    }

    /**
     * The include that sends {@code upstream}'s traffic to {@code target} only. The header says that
     * drover wrote it, for which target and when; it holds addresses and member names only.
     */
    static String render(String upstream, Map<String, String> servers, String target, Instant at) {
        StringBuilder text = new StringBuilder();
        text.append("# Written by drover: upstream ").append(upstream).append(" sends its traffic to ").append(target)
                .append(" (").append(at).append(").\n");
        text.append("# drover rewrites this file whole when it switches traffic; edits made here are lost.\n");
        text.append("server ").append(servers.get(target)).append(";  # ").append(target).append('\n');
        servers.forEach((member, address) -> {
            if (!member.equals(target)) {
                text.append("server ").append(address).append(" down;  # ").append(member).append('\n');
            }
        });
        return text.toString();
    }

    /**
     * The {@code server} directives of an include, in order: comments are dropped and statements end
     * at {@code ;}. Other directives an upstream block may hold ({@code keepalive}, {@code zone}, ...)
     * are ignored.
     */
    static List<Server> parse(String text) {
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf('#');
            code.append(comment < 0 ? line : line.substring(0, comment)).append(' ');
        }
        List<Server> servers = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            String[] words = statement.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("server")) {
                servers.add(new Server(words[1], List.of(words).subList(2, words.length)));
            }
        }
        return servers;
    }

    /** Address → server, for matching the include against the configured members. */
    static Map<String, Server> byAddress(List<Server> servers) {
        Map<String, Server> byAddress = new LinkedHashMap<>();
        servers.forEach(server -> byAddress.putIfAbsent(server.address(), server));
        return byAddress;
    }

    /** The include as it was before a change: its bytes and modification time, to put back exactly. */
    record Snapshot(byte[] content, FileTime modified) {
        List<Server> servers() {
            return parse(new String(content, StandardCharsets.UTF_8));
        }
    }

    /** The include's bytes and modification time, or empty when it does not exist. */
    static Optional<Snapshot> read(Path include) throws IOException {
        try {
            FileTime modified = Files.getLastModifiedTime(include);
            return Optional.of(new Snapshot(Files.readAllBytes(include), modified));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces {@code include} with {@code content}, so that nginx (and a crash) sees either the whole
     * old file or the whole new one: a temp file in the same directory, fsync, rename over the include,
     * fsync of the directory. The temp file's name does not end in {@code .conf}, so an
     * {@code include *.conf} of the directory never picks it up. The include keeps its permissions.
     *
     * @param modified the modification time to give the file, when it is an old version put back
     */
    static void writeAtomically(Path include, byte[] content, Optional<FileTime> modified) throws IOException {
        Path directory = include.toAbsolutePath().getParent();
        Set<PosixFilePermission> mode = Files.exists(include) ? Files.getPosixFilePermissions(include) : NEW_FILE_MODE;
        Path temp = Files.createTempFile(directory, "." + include.getFileName() + ".", ".drover-tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, mode);
            if (modified.isPresent()) {
                Files.setLastModifiedTime(temp, modified.get());
            }
            try {
                Files.move(temp, include, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + include + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Puts back what {@link #read} returned: the same bytes with the same modification time (so the
     * check that nginx has loaded the include holds again, as it did before), or no file when there was none.
     */
    static void restore(Path include, Optional<Snapshot> previous) throws IOException {
        if (previous.isPresent()) {
            writeAtomically(include, previous.get().content(), Optional.of(previous.get().modified()));
        } else {
            Files.deleteIfExists(include);
        }
    }
}
