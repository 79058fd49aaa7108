package io.drover.core.rpo;

import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.catalog.RunRecord;
import io.drover.core.catalog.VerificationRecord;
import io.drover.core.model.RpoState;
import io.drover.core.model.VerificationLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything known about one service's protection at {@code evaluatedAt}.
 *
 * @param achieved         age of {@code newestUsable}; empty when no recovery point counts yet
 * @param newestUsable     the newest recovery point that reached {@code requiredLevel}
 * @param newestBackup     the newest committed recovery point, verified or not
 * @param nextStateChange  when the state will get worse if no new recovery point arrives (AT_RISK, then
 *                         BREACHED); empty when it cannot get worse
 * @param nextRun          the next scheduled backup of any protecting job
 * @param replica          the replica RPO, for a service with {@code replicated-by} databases
 */
public record ServiceStatus(String service, int tier, Optional<String> owner, Optional<Duration> rpoTarget,
                            Optional<Duration> rtoTarget, Optional<VerificationLevel> requiredLevel, RpoState state,
                            Optional<Duration> achieved, Optional<RecoveryPointRecord> newestUsable,
                            Optional<RecoveryPointRecord> newestBackup,
                            Optional<RunRecord> lastRun, Optional<VerificationRecord> lastVerification,
                            Optional<VerificationRecord> lastRestoreTest, Optional<Instant> nextRun,
                            Optional<Instant> nextStateChange, Instant evaluatedAt, Optional<ReplicaStatus> replica) {
}
