package io.drover.core.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing people must hear about.
 *
 * @param key    identifies the alert for de-duplication: the same key is sent once per dedupe window
 * @param title  one line, e.g. "orders: RPO BREACHED (achieved 2h5m, target 1h)"
 * @param text   a few lines for people: what happened and what to do
 * @param fields machine-readable details (sent as JSON by the webhook channel)
 */
public record Alert(Kind kind, Severity severity, String key, String title, String text, Map<String, Object> fields,
                    Instant at) {
    /** What the alert is about. */
    public enum Kind { RPO_STATE_CHANGE, JOB_FAILED, TEST, RUNBOOK }

    /** How urgent it is. */
    public enum Severity { INFO, WARNING, CRITICAL }

    public Alert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        Objects.requireNonNull(at, "at");
    }
}
