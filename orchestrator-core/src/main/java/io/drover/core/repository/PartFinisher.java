package io.drover.core.repository;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Finishes full data parts on a thread of their own while the backup goes on with the next part.
 * Finishing a part drains the multi-threaded compressor (its last jobs run on one or two workers
 * while nothing new comes in), encrypts the tail and commits the object (an fsync on a local target,
 * completing the upload on a remote one): done in line, a 1 GiB backup's CPUs idled for about half
 * a second at each of its part boundaries. One part is finished at a time, so at most two parts'
 * buffers exist at once. Parts come out in the order they were handed in.
 */
final class PartFinisher {
    private final List<StoredObject> finished = new ArrayList<>();
    private FutureTask<StoredObject> inFlight;

    /** Starts finishing {@code part}; first waits for the part handed in before it (rethrowing its failure). */
    void finish(PartWriter part) throws IOException {
        awaitInFlight();
        FutureTask<StoredObject> task = new FutureTask<>(() -> {
            try {
                return part.finish();
            } catch (IOException | RuntimeException | Error e) {
                part.abort();
                throw e;
            }
        });
        inFlight = task;
        Thread.ofPlatform().name("drover-part-finish-" + part.number()).daemon().start(task);
    }

    /** Rethrows the failure of the part being finished, if it failed already; never waits. */
    void checkFailure() throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            awaitInFlight();
        }
    }

    /** Waits for every part handed in; returns their objects in order. */
    List<StoredObject> awaitAll() throws IOException {
        awaitInFlight();
        return List.copyOf(finished);
    }

    /** The number of parts handed in so far. */
    int count() {
        return finished.size() + (inFlight == null ? 0 : 1);
    }

    /**
     * Waits for the part being finished, ignoring how it ends: the backup failed elsewhere. A part
     * that committed stays as an orphan object, like every other object of a failed run.
     */
    void abort() {
        FutureTask<StoredObject> task = inFlight;
        inFlight = null;
        if (task == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitInFlight() throws IOException {
        FutureTask<StoredObject> task = inFlight;
        if (task == null) {
            return;
        }
        try {
            finished.add(task.get());
            inFlight = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a part was being finished");
        } catch (ExecutionException e) {
            inFlight = null;
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
