package io.drover.core.app;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CopyRecord;
import io.drover.core.config.PruneConfig;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationState;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.repository.RepositoryLayout;
import io.drover.core.repository.StorageErrors;
import io.drover.core.retention.RetentionDecision;
import io.drover.core.retention.RetentionPoint;
import io.drover.core.retention.RetentionPolicy;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.StorageCapability;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies retention to one repository, whose manifests are the source of truth. A forgotten point's
 * manifest goes first (the point disappears at once), then its objects; points are removed newest
 * first so that a crash never leaves a listed incremental whose parent is gone. Leftover objects
 * become orphans that a later prune removes after the grace period.
 */
public final class RepositoryPruner {
    private final Repository repository;
    private final Catalog catalog;
    private final PruneConfig settings;
    private final Clock clock;
    private Map<BackupId, Manifest> manifests;

    public RepositoryPruner(Repository repository, Catalog catalog, PruneConfig settings, Clock clock) {
        this.repository = repository;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    /** Decides for every recovery point of {@code job} on this repository and, unless {@code dryRun}, forgets. */
    public PruneReport.JobPrune pruneJob(String job, RetentionPolicy policy, boolean dryRun, String actor) {
        return pruneJob(job, policy, Map.of(), dryRun, actor);
    }

    /**
     * Like {@link #pruneJob(String, RetentionPolicy, boolean, String)}, with points that must be kept
     * whatever the policy says, each with the reason shown.
     */
    public PruneReport.JobPrune pruneJob(String job, RetentionPolicy policy, Map<BackupId, String> pinned, boolean dryRun,
                                         String actor) {
        List<Manifest> ofJob = manifests().values().stream().filter(m -> m.job().equals(job)).toList();
        List<RetentionPoint> points = ofJob.stream().map(this::point).toList();
        List<RetentionDecision> decisions = policy.decide(points, pinned);
        Map<BackupId, String> locked = new LinkedHashMap<>(pinned);
        decisions.stream().filter(d -> !d.keep()).forEach(d -> lockReason(manifests.get(d.point().id()).finishedAt())
                .ifPresent(reason -> locked.put(d.point().id(), reason)));
        if (locked.size() > pinned.size()) {
            decisions = policy.decide(points, locked);
        }
        if (!dryRun) {
            for (RetentionDecision decision : decisions) {
                if (!decision.keep()) {
                    forget(manifests.get(decision.point().id()), actor);
                }
            }
        }
        return new PruneReport.JobPrune(job, decisions);
    }

    /**
     * The points of {@code job} that {@code other}'s kept points may need: captured since the
     * oldest kept point of {@code other} started, and the newest one before it (whose archive may
     * hold the start). Each is pinned with a reason naming that point.
     */
    public Map<BackupId, String> neededBy(String job, String other, Optional<RetentionPolicy> otherPolicy) {
        List<Manifest> others = manifests().values().stream().filter(m -> m.job().equals(other)).toList();
        List<BackupId> kept = otherPolicy.map(p -> p.decide(others.stream().map(this::point).toList()).stream()
                .filter(RetentionDecision::keep).map(d -> d.point().id()).toList())
                .orElseGet(() -> others.stream().map(Manifest::id).toList());
        Optional<Manifest> oldest = kept.stream().map(manifests::get).min(java.util.Comparator.comparing(Manifest::startedAt));
        Map<BackupId, String> needed = new LinkedHashMap<>();
        if (oldest.isEmpty()) {
            return needed;
        }
        Instant since = oldest.get().startedAt();
        String reason = "needed by " + other + " " + oldest.get().id() + " and newer (keep-for)";
        List<Manifest> ofJob = manifests().values().stream().filter(m -> m.job().equals(job))
                .sorted(java.util.Comparator.comparing(Manifest::capturedAt)).toList();
        ofJob.stream().filter(m -> m.capturedAt().isBefore(since)).reduce((a, b) -> b)
                .ifPresent(m -> needed.put(m.id(), reason));
        ofJob.stream().filter(m -> !m.capturedAt().isBefore(since)).forEach(m -> needed.put(m.id(), reason));
        return needed;
    }

    /** Objects of backups that never committed a manifest; removed once older than the grace period. */
    public List<PruneReport.Orphan> pruneOrphans(boolean dryRun, String actor) {
        Map<BackupId, List<ObjectInfo>> byBackup = new TreeMap<>();
        for (ObjectInfo object : list(RepositoryLayout.BACKUPS_PREFIX)) {
            String rest = object.key().substring(RepositoryLayout.BACKUPS_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && BackupId.isValid(rest.substring(0, slash))) {
                byBackup.computeIfAbsent(new BackupId(rest.substring(0, slash)), id -> new ArrayList<>()).add(object);
            }
        }
        Instant now = clock.instant();
        List<PruneReport.Orphan> orphans = new ArrayList<>();
        for (Map.Entry<BackupId, List<ObjectInfo>> entry : byBackup.entrySet()) {
            BackupId id = entry.getKey();
            if (manifests().containsKey(id) || repository.stat(RepositoryLayout.manifestKey(id)).isPresent()) {
                continue;
            }
            List<ObjectInfo> objects = entry.getValue();
            long bytes = objects.stream().mapToLong(ObjectInfo::size).sum();
            Duration age = Duration.between(id.timestamp(), now);
            Optional<String> lock = lockReason(id.timestamp().plus(settings.gracePeriod()));
            boolean remove = age.compareTo(settings.gracePeriod()) > 0 && lock.isEmpty();
            String reason = remove ? "no manifest, started " + age.toHours() + "h ago"
                    : lock.orElse("within grace period " + settings.gracePeriod().toHours() + "h (a backup may still be running)");
            if (remove && !dryRun) {
                delete(objects.stream().map(ObjectInfo::key).toList(), "removing orphan " + id);
                catalog.audit(actor, "prune-orphan", id.value(), "target " + repository.name() + ": " + objects.size()
                        + " objects, " + bytes + " bytes without a manifest", now);
            }
            orphans.add(new PruneReport.Orphan(id, objects.size(), bytes, remove, reason));
        }
        return orphans;
    }

    /** Temporary files and incomplete uploads of writes that never finished, older than the grace period. */
    public int removeAbandonedWrites(String actor) {
        Instant now = clock.instant();
        try {
            int removed = repository.target().removeAbandonedWrites(now.minus(settings.gracePeriod()));
            if (removed > 0) {
                catalog.audit(actor, "prune-abandoned-writes", repository.name(), removed
                        + " leftovers of writes that never finished", now);
            }
            return removed;
        } catch (java.io.IOException e) {
            throw io.drover.core.repository.StorageErrors.wrap(repository.name(), "removing leftovers of unfinished writes", e);
        }
    }

    private void forget(Manifest manifest, String actor) {
        BackupId id = manifest.id();
        delete(List.of(RepositoryLayout.manifestKey(id)), "forgetting " + id);
        manifests.remove(id);
        List<ObjectInfo> objects = list(RepositoryLayout.backupPrefix(id));
        delete(objects.stream().map(ObjectInfo::key).toList(), "removing the objects of " + id);
        if (catalog.findRecoveryPoint(id).isPresent()) {
            catalog.deleteCopy(id, repository.name());
        }
        catalog.audit(actor, "prune", id.value(), "job " + manifest.job() + " on target " + repository.name() + ": "
                + objects.size() + " objects, " + objects.stream().mapToLong(ObjectInfo::size).sum() + " bytes removed",
                clock.instant());
    }

    /** Why an object written until {@code writtenUntil} cannot be deleted yet, if the target enforces Object Lock. */
    private Optional<String> lockReason(Instant writtenUntil) {
        if (!repository.target().capabilities().contains(StorageCapability.OBJECT_LOCK)) {
            return Optional.empty();
        }
        if (settings.objectLockDays().isEmpty()) {
            return Optional.of("object lock (lock period unknown: set prune.object-lock-days)");
        }
        Instant until = writtenUntil.plus(Duration.ofDays(settings.objectLockDays().get()));
        return until.isAfter(clock.instant()) ? Optional.of("object lock until " + until) : Optional.empty();
    }

    private RetentionPoint point(Manifest manifest) {
        VerificationState state = catalog.copies(manifest.id()).stream()
                .filter(c -> c.target().equals(repository.name()))
                .map(CopyRecord::verificationState)
                .findFirst().orElse(VerificationState.UNVERIFIED);
        return new RetentionPoint(manifest.id(), manifest.capturedAt(), state, manifest.parent());
    }

    private Map<BackupId, Manifest> manifests() {
        if (manifests == null) {
            manifests = new LinkedHashMap<>();
            for (BackupId id : repository.backupIds()) {
                manifests.put(id, repository.manifest(id));
            }
        }
        return manifests;
    }

    private List<ObjectInfo> list(String prefix) {
        try {
            return repository.target().list(prefix);
        } catch (IOException e) {
            throw StorageErrors.wrap(repository.name(), "listing " + prefix, e);
        }
    }

    private void delete(List<String> keys, String action) {
        try {
            for (String key : keys) {
                repository.target().delete(key);
            }
        } catch (IOException e) {
            throw StorageErrors.wrap(repository.name(), action, e);
        }
    }
}
