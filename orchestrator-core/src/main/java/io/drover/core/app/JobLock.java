package io.drover.core.app;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Keeps two runs of the same job on this machine from overlapping (an OS file lock, released if the process dies). */
final class JobLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static JobLock acquire(Path stateDir, String job) {
        Path file = stateDir.resolve("locks").resolve("job-" + job + ".lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw busy(job);
            }
            return new JobLock(channel, lock);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw busy(job);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot lock job '" + job + "' under " + file + ": " + io.drover.core.repository.StorageErrors.describe(e), e);
        }
    }

    private static DroverException busy(String job) {
        return new DroverException(DroverErrors.JOB_RUNNING, "job '" + job + "' is already running",
                "wait for it to finish; a job never runs twice at once", List.of(), null);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock when the channel or process goes away
        }
    }
}
