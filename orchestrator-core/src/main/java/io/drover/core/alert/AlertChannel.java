package io.drover.core.alert;

import java.io.IOException;

/** A way to reach people. Implementations keep credentials out of exception messages. */
public interface AlertChannel {
    /** {@code webhook}, {@code slack} or {@code email}: the key under {@code alerts:}. */
    String name();

    /**
     * Delivers {@code alert}; returns only once the receiver accepted it.
     *
     * @param suppressed alerts held back by the rate limit since the last one sent, to mention
     * @throws IOException when the receiver refused it or could not be reached (message says which)
     */
    void send(Alert alert, int suppressed) throws IOException;
}
