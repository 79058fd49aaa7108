package io.drover.core.catalog;

/**
 * The catalog's answer to "may this alert go out on this channel now?".
 *
 * @param id         the delivery row to finish with {@link Catalog#finishAlert}; 0 unless {@code outcome} is PENDING
 * @param outcome    PENDING (send it), DEDUPLICATED or RATE_LIMITED
 * @param suppressed alerts rate-limited on this channel since the last one sent, to mention in this one
 */
public record AlertClaim(long id, AlertOutcome outcome, int suppressed) {
    public boolean send() {
        return outcome == AlertOutcome.PENDING;
    }
}
