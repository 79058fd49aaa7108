package io.drover.it;

import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Test data: copies of real trees and small files with the awkward properties restores get wrong. */
public final class SampleTrees {
    /** An mtime with all nine fractional digits set. */
    public static final Instant NANOSECOND_MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");
    /** Below {@code extras/}: together with that prefix, a relative path of exactly 200 characters. */
    public static final String LONG_PATH = "long/" + "d".repeat(60) + "/" + "e".repeat(60) + "/" + "f".repeat(62) + ".txt";

    private static final Path DOCS = Path.of("/usr/share/doc");

    private SampleTrees() {
    }

    /**
     * Copies whole subdirectories of {@code /usr/share/doc} (sorted by name) into {@code target/doc}
     * with {@code cp -a}, until about {@code maxFiles} files or {@code maxBytes} bytes.
     */
    public static Path copyOfUsrShareDoc(Path target, int maxFiles, long maxBytes) throws IOException, InterruptedException {
        TestServices.requireService("/usr/share/doc (a real tree of small files and symlinks)", Files.isDirectory(DOCS),
                "run on a Debian-like machine with documentation installed");
        List<Path> chosen = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        List<Path> candidates;
        try (Stream<Path> list = Files.list(DOCS)) {
            candidates = list.sorted().toList();
        }
        for (Path candidate : candidates) {
            long[] size = measure(candidate);
            if (size[0] + files > maxFiles || size[1] + bytes > maxBytes) {
                continue;
            }
            chosen.add(candidate);
            files += size[0];
            bytes += size[1];
            if (files > maxFiles * 9L / 10 || bytes > maxBytes * 9 / 10) {
                break;
            }
        }
        Path doc = Files.createDirectories(target.resolve("doc"));
        List<String> command = new ArrayList<>(List.of("cp", "-a"));
        chosen.forEach(p -> command.add(p.toString()));
        command.add(doc.toString());
        ExternalCommand.Result copy = ExternalCommand.run(command);
        if (copy.exitCode() != 0) {
            throw new IOException("cp -a failed: " + copy);
        }
        return doc;
    }

    private static long[] measure(Path dir) throws IOException {
        long[] size = new long[2];
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            size[0] = 1;
            size[1] = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            return size;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    size[0]++;
                    size[1] += attrs.isRegularFile() ? attrs.size() : 0;
                } catch (IOException e) {
                    size[0] += 1_000_000; // unreadable: never choose it
                }
            });
        }
        return size;
    }

    /**
     * Writes the awkward cases into {@code dir/extras}: an empty directory, a 0600 file, a 0755
     * script, a setuid file, a sticky directory, a file with a nanosecond mtime, a non-ASCII name,
     * a 200-character path and a symlink.
     */
    public static Path writeExtras(Path dir) throws IOException {
        Path extras = Files.createDirectories(dir.resolve("extras"));
        Files.createDirectories(extras.resolve("empty-dir"));
        Path secret = Files.writeString(extras.resolve("secret.key"), "not really a key\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path script = Files.writeString(extras.resolve("run.sh"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path nanos = Files.writeString(extras.resolve("nanos.txt"), "mtime with nanoseconds\n");
        Files.setLastModifiedTime(nanos, FileTime.from(NANOSECOND_MTIME));
        Files.writeString(extras.resolve("grüße-日本語-ñ.txt"), "non-ASCII name\n");
        Path longFile = extras.resolve(LONG_PATH);
        Files.createDirectories(longFile.getParent());
        Files.writeString(longFile, "a file at a 200-character path\n");
        Path setuid = Files.writeString(extras.resolve("setuid-tool"), "#!/bin/sh\n");
        Files.setAttribute(setuid, "unix:mode", 04755);
        Path sticky = Files.createDirectories(extras.resolve("shared-tmp"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Files.createSymbolicLink(extras.resolve("link-to-script"), Path.of("run.sh"));
        Files.createSymbolicLink(extras.resolve("dangling-link"), Path.of("../no/such/file"));
        return extras;
    }

    /** A file of pseudo-random (incompressible) bytes. */
    public static Path randomFile(Path file, int bytes, long seed) throws IOException {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }
}
