package io.drover.core.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Scans the command lines and environments of every process on the machine for a secret, over
 * and over, while a test runs a backup or a restore: a child process that got a password in argv
 * or in its environment is caught while it lives.
 */
public final class SecretScanner implements AutoCloseable {
    private final byte[] secret;
    private final List<String> sightings = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stop;
    private volatile int scans;

    public SecretScanner(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.thread = Thread.ofPlatform().daemon().name("secret-scanner").start(this::loop);
    }

    private void loop() {
        long self = ProcessHandle.current().pid();
        while (!stop) {
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path process : processes) {
                    if (Long.parseLong(process.getFileName().toString()) == self) {
                        continue; // the test itself holds the secret in its own environment or heap
                    }
                    check(process, "cmdline");
                    check(process, "environ");
                }
            } catch (IOException e) {
                sightings.add("cannot list /proc: " + e.getMessage());
                return;
            }
            scans++;
        }
    }

    private void check(Path process, String file) {
        try {
            byte[] content = Files.readAllBytes(process.resolve(file));
            if (indexOf(content, secret) >= 0) {
                String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                sightings.add("/proc/" + process.getFileName() + "/" + file + " of: "
                        + command.replace(new String(secret, StandardCharsets.UTF_8), "<secret>"));
            }
        } catch (IOException | SecurityException e) {
            // the process ended, or is not ours to read
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where the secret was seen; empty if nowhere. */
    public List<String> sightings() {
        return List.copyOf(sightings);
    }

    /** How many full passes over /proc were made (a test asserts there were some). */
    public int scans() {
        return scans;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
