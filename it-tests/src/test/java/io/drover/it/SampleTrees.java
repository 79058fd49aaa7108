package io.drover.it;

import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
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
import java.util.SplittableRandom;
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
     * script, a 0666 and a 0400 file, a setuid file, a sticky directory, a file with a nanosecond mtime, a non-ASCII name,
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
        // group/other write and a read-only file: modes a umask of 022 would change if the restore relied on it
        Path shared = Files.writeString(extras.resolve("shared.txt"), "everyone may write\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path readOnly = Files.writeString(extras.resolve("read-only.txt"), "nobody may write\n");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--------"));
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

    /** What {@link #largeMixedTree} wrote. */
    public record TreeStats(int files, long bytes, long randomBytes, long textBytes) {
    }

    /**
     * A tree of about {@code totalBytes} for large backups, generated in seconds and the same for
     * the same seed: 65% incompressible random bytes in 1-48 MiB files (so the repository really
     * holds most of the size), 30% CSV-like text in 4 KiB-4 MiB files (compresses about 3x, like
     * real exports and logs), 5% small files of 1 byte-16 KiB of both kinds, spread over nested
     * directories. Written through a 1 MiB buffer per file, never held in memory.
     */
    public static TreeStats largeMixedTree(Path dir, long totalBytes, long seed) throws IOException {
        SplittableRandom plan = new SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        int files = 0;
        long randomBytes = 0;
        long textBytes = 0;
        long randomShare = totalBytes * 65 / 100;
        long textShare = totalBytes * 30 / 100;
        while (randomBytes < randomShare) {
            long size = Math.min(randomShare - randomBytes, (1L << 20) + plan.nextLong(47L << 20));
            writeRandom(dir.resolve("blobs/b" + files % 7 + "/blob-" + files + ".bin"), size, plan.split(), buffer);
            randomBytes += size;
            files++;
        }
        while (textBytes < textShare) {
            // sizes spread over three orders of magnitude: 4 KiB .. 4 MiB, log-uniform
            long size = Math.min(textShare - textBytes, (long) (4096 * Math.pow(1024, plan.nextDouble())));
            writeText(dir.resolve("exports/e" + files % 13 + "/d" + files % 5 + "/rows-" + files + ".csv"), size, plan.split(), buffer);
            textBytes += size;
            files++;
        }
        long smallBytes = 0;
        long smallShare = totalBytes - randomShare - textShare;
        while (smallBytes < smallShare) {
            long size = Math.min(smallShare - smallBytes, 1 + plan.nextLong(16 * 1024));
            Path file = dir.resolve("small/s" + files % 31 + "/t" + files % 3 + "/f-" + files + (files % 2 == 0 ? ".dat" : ".txt"));
            if (files % 2 == 0) {
                writeRandom(file, size, plan.split(), buffer);
                randomBytes += size;
            } else {
                writeText(file, size, plan.split(), buffer);
                textBytes += size;
            }
            smallBytes += size;
            files++;
        }
        return new TreeStats(files, randomBytes + textBytes, randomBytes, textBytes);
    }

    private static void writeRandom(Path file, long size, SplittableRandom random, ByteBuffer buffer) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = size;
            while (left > 0) {
                buffer.clear();
                int chunk = (int) Math.min(left, buffer.capacity());
                while (buffer.position() + Long.BYTES <= chunk) {
                    buffer.putLong(random.nextLong());
                }
                while (buffer.position() < chunk) {
                    buffer.put((byte) random.nextInt());
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                left -= chunk;
            }
        }
    }

    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform",
        "victor", "whiskey", "xray", "yankee", "zulu", "retail", "wholesale", "online", "partner", "refund", "pending",
        "shipped", "cancelled", "invoice", "order", "customer", "warehouse", "berlin", "lisbon", "oslo", "dublin"};

    /** Rows of an order export: increasing ids, dates, words and amounts, so zstd finds about 3x. */
    private static void writeText(Path file, long size, SplittableRandom random, ByteBuffer buffer) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder line = new StringBuilder(128);
        long id = random.nextLong(1_000_000_000L);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = size;
            buffer.clear();
            while (left > 0) {
                line.setLength(0);
                int day = random.nextInt(1500);
                long cents = random.nextLong(10_000_000L);
                line.append(id++).append(",20").append(20 + day / 365).append('-').append(1 + day / 31 % 12).append('-')
                        .append(1 + day % 28).append(',').append(WORDS[random.nextInt(WORDS.length)]).append(',')
                        .append(WORDS[random.nextInt(WORDS.length)]).append(",SKU-").append(random.nextInt(50_000)).append(',')
                        .append(1 + random.nextInt(200)).append(',').append(cents / 100).append('.').append(cents % 100)
                        .append(",EUR\n");
                byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                int n = (int) Math.min(bytes.length, left);
                if (buffer.remaining() < n) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    buffer.clear();
                }
                buffer.put(bytes, 0, n);
                left -= n;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }
}
