package io.drover.core.catalog;

import java.time.Instant;
import java.util.Optional;

/** One row of the alert log: an alert on one channel and what became of it. */
public record AlertDeliveryRecord(long id, String channel, String key, Instant at, AlertOutcome outcome,
                                  Optional<String> detail) {
}
