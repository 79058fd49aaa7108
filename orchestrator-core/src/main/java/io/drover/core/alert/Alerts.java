package io.drover.core.alert;

import io.drover.core.catalog.RpoTransition;
import io.drover.core.config.ServiceConfig;
import io.drover.core.model.DurationText;
import io.drover.core.model.RpoState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The alerts drover raises, worded for the person on call. */
public final class Alerts {
    private Alerts() {
    }

    /**
     * A service's RPO state changed. Keyed by the transition's id: the catalog hands each transition
     * to exactly one evaluator, and a re-sent alert for it (after a crash) is de-duplicated.
     */
    public static Alert rpoChanged(RpoTransition t, ServiceConfig service) {
        Optional<String> replicated = io.drover.core.rpo.ReplicaStatus.serviceOf(t.service());
        if (replicated.isPresent()) {
            return replicaRpoChanged(t, replicated.get(), service);
        }
        String achieved = t.achieved().map(DurationText::format).orElse("no usable recovery point");
        String target = t.target().map(DurationText::format).orElse("none");
        String title = t.service() + ": RPO " + t.to() + " (achieved " + achieved + ", target " + target + ")";
        String text = switch (t.to()) {
            case OK -> t.from().isPresent() && t.from().get() != RpoState.OK
                    ? "Recovered: the newest usable recovery point of " + t.service() + " is within its RPO again."
                    : "The newest usable recovery point of " + t.service() + " is within its RPO.";
            case AT_RISK -> "The newest usable recovery point of " + t.service() + " is older than the at-risk"
                    + " threshold. Check its backup jobs (drover status, drover backup list --service " + t.service()
                    + ") before the RPO is breached.";
            case BREACHED -> "The RPO of " + t.service() + " is breached: if it failed now, more data than the BIA"
                    + " allows would be lost. Run or fix its backup jobs now (drover status).";
            case UNTRACKED -> t.service() + " has no RPO target any more.";
        };
        return rpoAlert(t, service, title, text, Map.of());
    }

    /** A change of a service's replica RPO: how far its most current standby is behind. */
    private static Alert replicaRpoChanged(RpoTransition t, String name, ServiceConfig service) {
        String achieved = t.achieved().map(DurationText::format).orElse("unknown (no standby measured)");
        String target = t.target().map(DurationText::format).orElse("none");
        String title = name + ": replica RPO " + t.to() + " (standby lag " + achieved + ", target " + target + ")";
        String text = switch (t.to()) {
            case OK -> t.from().isPresent() && t.from().get() != RpoState.OK
                    ? "Recovered: the most current standby of " + name + " is within its RPO again."
                    : "The most current standby of " + name + " is within its RPO.";
            case AT_RISK -> "The most current standby of " + name + " lags past the at-risk threshold. Check replication"
                    + " (drover status --service " + name + ") before the RPO is breached.";
            case BREACHED -> "The replica RPO of " + name + " is breached: failing over now would lose more data than"
                    + " the BIA allows, or no standby could be measured. Check replication now (drover status).";
            case UNTRACKED -> name + " has no RPO target any more.";
        };
        return rpoAlert(t, service, title, text, Map.of("dimension", "replica"));
    }

    private static Alert rpoAlert(RpoTransition t, ServiceConfig service, String title, String text,
                                  Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", t.service());
        fields.putAll(extra);
        fields.put("tier", service.tier());
        service.owner().ifPresent(owner -> fields.put("owner", owner));
        fields.put("from", t.from().map(Enum::name).orElse(null));
        fields.put("to", t.to().name());
        fields.put("achievedRpoSeconds", t.achieved().map(d -> d.toSeconds()).orElse(null));
        fields.put("rpoTargetSeconds", t.target().map(d -> d.toSeconds()).orElse(null));
        fields.put("recoveryPoint", t.recoveryPoint().map(Object::toString).orElse(null));
        Alert.Severity severity = switch (t.to()) {
            case BREACHED -> Alert.Severity.CRITICAL;
            case AT_RISK -> Alert.Severity.WARNING;
            default -> Alert.Severity.INFO;
        };
        return new Alert(Alert.Kind.RPO_STATE_CHANGE, severity, "rpo:" + t.service() + ":" + t.id(), title, text,
                fields, t.at());
    }

    /**
     * A job failed. Keyed by job and the gist of the message, so a job that keeps failing the same
     * way alerts once per dedupe window, and a new kind of failure alerts at once.
     */
    public static Alert jobFailed(String job, String kind, long runId, String message, List<String> services,
                                  Instant at) {
        String firstLine = message.lines().findFirst().orElse(message).strip();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", job);
        fields.put("jobKind", kind);
        fields.put("runId", runId);
        fields.put("services", services);
        fields.put("error", firstLine);
        String affected = services.isEmpty() ? "" : " It protects " + String.join(", ", services) + ".";
        return new Alert(Alert.Kind.JOB_FAILED, Alert.Severity.CRITICAL, "job-failed:" + job + ":" + digest(gist(firstLine)),
                job + ": " + kind + " failed", "The " + kind + " job " + job + " failed: " + firstLine + "." + affected,
                fields, at);
    }

    /** {@code drover alert test}: proves every channel reaches people. Unique key: never de-duplicated. */
    public static Alert test(String actor, Instant at) {
        return new Alert(Alert.Kind.TEST, Alert.Severity.INFO, "test:" + at.toEpochMilli() + ":" + actor,
                "test alert from drover", "This is a test alert sent by " + actor
                + " with 'drover alert test'. If you read this, the channel works.", Map.of("actor", actor), at);
    }

    /** The failure without what differs between runs of the same failure: backup ids, times, run numbers. */
    static String gist(String message) {
        return message.replaceAll("\\d{8}T\\d{6}Z-[0-9a-f]{8}", "<backup>")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}[T ][0-9:.]+Z?", "<time>")
                .replaceAll("\\b\\d+\\b", "<n>");
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
