package io.drover.core.retention;

import io.drover.core.config.RetentionConfig;
import io.drover.core.model.BackupId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which recovery points of one job on one target to keep. The configured rules are applied
 * restic-style (newest first; each period rule keeps the newest point of each of its N most recent
 * periods that have points, in {@code zone}). Then two rules that no policy overrides: the newest
 * verified point is kept, and every ancestor of a kept point is kept (an incremental needs its whole
 * chain to restore).
 */
public final class RetentionPolicy {
    private final RetentionConfig config;
    private final ZoneId zone;
    private final Clock clock;

    public RetentionPolicy(RetentionConfig config, ZoneId zone, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Decisions for {@code points}, newest first. */
    public List<RetentionDecision> decide(List<RetentionPoint> points) {
        return decide(points, Map.of());
    }

    /**
     * Decisions for {@code points}, newest first; {@code pinned} points are kept with the given
     * reason (e.g. Object Lock) and so are their ancestors.
     */
    public List<RetentionDecision> decide(List<RetentionPoint> points, Map<BackupId, String> pinned) {
        List<RetentionPoint> newestFirst = points.stream()
                .sorted(Comparator.comparing(RetentionPoint::capturedAt).thenComparing(RetentionPoint::id).reversed())
                .toList();
        Map<BackupId, List<String>> reasons = new LinkedHashMap<>();
        newestFirst.forEach(p -> reasons.put(p.id(), new ArrayList<>()));
        applyRules(newestFirst, reasons);
        newestFirst.stream().filter(RetentionPoint::verified).findFirst()
                .ifPresent(p -> reasons.get(p.id()).add("newest verified recovery point"));
        pinned.forEach((id, reason) -> {
            if (reasons.containsKey(id)) {
                reasons.get(id).add(reason);
            }
        });
        keepChains(newestFirst, reasons);
        return newestFirst.stream()
                .map(p -> new RetentionDecision(p, !reasons.get(p.id()).isEmpty(), reasons.get(p.id())))
                .toList();
    }

    private void applyRules(List<RetentionPoint> newestFirst, Map<BackupId, List<String>> reasons) {
        for (int i = 0; i < Math.min(config.keepLast(), newestFirst.size()); i++) {
            reasons.get(newestFirst.get(i).id()).add("keep-last " + config.keepLast());
        }
        keepPerBucket(newestFirst, reasons, Bucket.HOURLY, config.hourly());
        keepPerBucket(newestFirst, reasons, Bucket.DAILY, config.daily());
        keepPerBucket(newestFirst, reasons, Bucket.WEEKLY, config.weekly());
        keepPerBucket(newestFirst, reasons, Bucket.MONTHLY, config.monthly());
        keepPerBucket(newestFirst, reasons, Bucket.YEARLY, config.yearly());
        config.keepWithin().filter(d -> !d.isZero() && !d.isNegative()).ifPresent(within -> {
            Instant since = clock.instant().minus(within);
            newestFirst.stream().filter(p -> !p.capturedAt().isBefore(since))
                    .forEach(p -> reasons.get(p.id()).add("within " + format(within)));
        });
    }

    private void keepPerBucket(List<RetentionPoint> newestFirst, Map<BackupId, List<String>> reasons, Bucket bucket, int count) {
        int left = count;
        String last = null;
        for (RetentionPoint point : newestFirst) {
            if (left <= 0) {
                return;
            }
            String label = bucket.label(point.capturedAt(), zone);
            if (!label.equals(last)) {
                reasons.get(point.id()).add(bucket.rule() + " " + label);
                last = label;
                left--;
            }
        }
    }

    /** Keeps every ancestor of a kept point, naming the kept child that needs it. */
    private static void keepChains(List<RetentionPoint> newestFirst, Map<BackupId, List<String>> reasons) {
        Map<BackupId, RetentionPoint> byId = new LinkedHashMap<>();
        newestFirst.forEach(p -> byId.put(p.id(), p));
        Deque<RetentionPoint> work = new ArrayDeque<>();
        newestFirst.stream().filter(p -> !reasons.get(p.id()).isEmpty()).forEach(work::add);
        while (!work.isEmpty()) {
            RetentionPoint child = work.poll();
            Optional<RetentionPoint> parent = child.parent().map(byId::get);
            if (parent.isEmpty()) {
                continue;
            }
            List<String> parentReasons = reasons.get(parent.get().id());
            boolean wasKept = !parentReasons.isEmpty();
            parentReasons.add("parent of kept " + child.id());
            if (!wasKept) {
                work.add(parent.get());
            }
        }
    }

    /** {@code 7d}, {@code 36h}, {@code 90m} as operators write them. */
    static String format(Duration duration) {
        return io.drover.core.model.DurationText.format(duration);
    }
}
