package io.drover.core.spi;

import java.io.IOException;
import java.util.Map;

/**
 * Something that decides where a service's traffic goes, from the {@code traffic:} section: a load
 * balancer (HAProxy's Runtime API), a reverse proxy (an nginx upstream include), a DNS name (RFC
 * 2136). Its targets are named like the members of a database under {@code databases:}, so a
 * runbook can say "send traffic to dr1".
 */
public interface TrafficSwitch extends AutoCloseable {

    /** What it is, for messages; never contains credentials. */
    String describe();

    /** The targets it can send traffic to: member name → what the switch calls it (server, address). */
    Map<String, String> targets();

    /**
     * Which targets take traffic now, as the switch itself reports it (no side effects).
     *
     * @throws IOException when the switch cannot be asked
     */
    TrafficState state() throws IOException;

    /**
     * Sends all traffic to {@code target} and none to the others; returns when the switch reports
     * exactly that. Doing it twice is harmless.
     *
     * @throws IOException when the switch refused or cannot be reached; the message says which step
     */
    void routeTo(String target) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
