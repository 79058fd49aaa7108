package io.drover.core.storage;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a target's transient {@link IOException}s with exponential backoff and jitter.
 *
 * <p>{@code stat}, {@code list}, {@code delete} and {@code open} are idempotent and retried as a
 * whole; a stream from {@code open} also resumes a read that fails midway by reopening the object
 * and skipping what was already delivered. {@code create} is retried until an output is open, but
 * the output itself is the connector's: a failed {@code write} or {@code commit} is not retried,
 * because the bytes already streamed are gone. That failure reaches the caller (the backup fails
 * and leaves nothing visible), which may start the object again from its own data.
 *
 * <p>Never retried: {@link NoSuchObjectException}, {@link ObjectAlreadyExistsException} (answers,
 * not faults), unchecked exceptions such as {@link IllegalArgumentException} for a bad key, and
 * anything once the thread is interrupted.
 */
public final class RetryingStorageTarget extends ForwardingStorageTarget {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingStorageTarget.class);

    private final String name;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    /** Retries with real sleeps and random jitter. */
    public RetryingStorageTarget(StorageTarget delegate, String name, RetryPolicy policy) {
        this(delegate, name, policy, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param name    the target's name in the config, for log lines
     * @param sleeper waits between attempts
     * @param random  jitter source, values in [0, 1)
     */
    public RetryingStorageTarget(StorageTarget delegate, String name, RetryPolicy policy, Sleeper sleeper,
                                 DoubleSupplier random) {
        super(delegate);
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        return call("create", key, () -> delegate.create(key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        InputStream first = call("open", key, () -> delegate.open(key));
        return new ResumableInputStream(first, this, key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return call("stat", key, () -> delegate.stat(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return call("list", prefix, () -> delegate.list(prefix));
    }

    @Override
    public void delete(String key) throws IOException {
        call("delete", key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    int attempts() {
        return policy.attempts();
    }

    /** Opens {@code key} again for a resumed read; the caller counts it as one attempt. */
    InputStream reopen(String key) throws IOException {
        return delegate.open(key);
    }

    /** Logs a failed attempt and waits before attempt {@code next}, or rethrows if it may not be retried. */
    void beforeRetry(String operation, String key, int next, IOException cause) throws IOException {
        if (next > policy.attempts() || !retryable(cause)) {
            throw cause;
        }
        Duration delay = policy.delayBefore(next, random);
        LOG.warn("target '{}': {} '{}' failed ({}), attempt {} of {} in {} ms", name, operation, key, describe(cause),
                next, policy.attempts(), delay.toMillis());
        sleeper.sleep(delay);
    }

    private <T> T call(String operation, String key, IoCall<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (IOException e) {
                beforeRetry(operation, key, attempt + 1, e);
            }
        }
    }

    static boolean retryable(IOException e) {
        return !(e instanceof NoSuchObjectException || e instanceof ObjectAlreadyExistsException)
                && !Thread.currentThread().isInterrupted();
    }

    private static String describe(IOException e) {
        // The message only (the class name when there is none): connectors write messages for
        // operators and keep credentials out of them, and a stack trace per retry would drown the log.
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One attempt of an operation. */
    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }
}
