package io.drover.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** SQL for the {@code alert_delivery} table: dedupe and rate limit per channel. */
final class AlertDeliveries {
    private AlertDeliveries() {
    }

    static AlertClaim claim(Connection c, String channel, String key, Instant now, Duration dedupeWindow,
                            int rateLimit, Duration rateWindow) throws SQLException {
        boolean duplicate = Jdbc.queryOne(c, "select 1 as hit from alert_delivery where channel = ? and alert_key = ?"
                + " and at > ? and outcome in (?, ?) limit 1", r -> true, channel, key, now.minus(dedupeWindow),
                AlertOutcome.SENT, AlertOutcome.PENDING).isPresent();
        if (duplicate) {
            insert(c, channel, key, now, AlertOutcome.DEDUPLICATED, Optional.empty());
            return new AlertClaim(0, AlertOutcome.DEDUPLICATED, 0);
        }
        int recent = Jdbc.queryOne(c, "select count(*) as n from alert_delivery where channel = ? and at > ?"
                + " and outcome in (?, ?)", r -> r.intValue("n"), channel, now.minus(rateWindow), AlertOutcome.SENT,
                AlertOutcome.PENDING).orElse(0);
        if (recent >= rateLimit) {
            insert(c, channel, key, now, AlertOutcome.RATE_LIMITED, Optional.empty());
            return new AlertClaim(0, AlertOutcome.RATE_LIMITED, 0);
        }
        Optional<Instant> lastSent = Jdbc.queryOne(c, "select max(at) as last from alert_delivery where channel = ?"
                + " and outcome = ?", r -> r.optionalInstant("last"), channel, AlertOutcome.SENT).flatMap(o -> o);
        String suppressedSql = "select count(*) as n from alert_delivery where channel = ? and outcome = ?"
                + (lastSent.isPresent() ? " and at > ?" : "");
        Object[] params = lastSent.isPresent() ? new Object[] {channel, AlertOutcome.RATE_LIMITED, lastSent.get()}
                : new Object[] {channel, AlertOutcome.RATE_LIMITED};
        int suppressed = Jdbc.queryOne(c, suppressedSql, r -> r.intValue("n"), params).orElse(0);
        long id = insert(c, channel, key, now, AlertOutcome.PENDING, Optional.empty());
        return new AlertClaim(id, AlertOutcome.PENDING, suppressed);
    }

    static void finish(Connection c, long id, AlertOutcome outcome, Optional<String> detail) throws SQLException {
        Jdbc.update(c, "update alert_delivery set outcome = ?, detail = ? where id = ?", outcome, detail, id);
    }

    static java.util.List<AlertDeliveryRecord> newest(Connection c, int limit) throws SQLException {
        return Jdbc.query(c, "select id, channel, alert_key, at, outcome, detail from alert_delivery"
                + " order by at desc, id desc limit ?", r -> new AlertDeliveryRecord(r.longValue("id"),
                r.string("channel"), r.string("alert_key"), r.instant("at"), r.enumValue("outcome", AlertOutcome.class),
                r.optionalString("detail")), limit);
    }

    private static long insert(Connection c, String channel, String key, Instant at, AlertOutcome outcome,
                               Optional<String> detail) throws SQLException {
        return Jdbc.insert(c, "insert into alert_delivery (channel, alert_key, at, outcome, detail) values (?, ?, ?, ?, ?)",
                channel, key, at, outcome, detail);
    }
}
