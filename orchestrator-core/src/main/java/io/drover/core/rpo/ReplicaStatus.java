package io.drover.core.rpo;

import io.drover.core.catalog.ReplicaStateRecord;
import io.drover.core.model.RpoState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The replica RPO of a service protected by replicated databases ({@code replicated-by}): the lag
 * of the most current standby of each database, the worst over the databases, judged against the
 * service's RPO target like backup RPO. Its state is stored under {@link #key(String)}.
 *
 * @param achieved empty when no standby could be measured (then BREACHED)
 * @param standbys the newest measurement of every standby
 */
public record ReplicaStatus(RpoState state, Optional<Duration> achieved, List<ReplicaStateRecord> standbys) {
    public ReplicaStatus {
        standbys = List.copyOf(standbys);
    }

    /** The name under which the replica RPO state and its changes are recorded and alerted. */
    public static String key(String service) {
        return service + SUFFIX;
    }

    /** The service whose replica RPO {@code key} names, or empty if {@code key} names a backup RPO. */
    public static Optional<String> serviceOf(String key) {
        return key.endsWith(SUFFIX) ? Optional.of(key.substring(0, key.length() - SUFFIX.length())) : Optional.empty();
    }

    private static final String SUFFIX = "/replica";
}
