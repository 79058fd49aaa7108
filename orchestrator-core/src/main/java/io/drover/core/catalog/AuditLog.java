package io.drover.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** SQL for the {@code audit_event} table. */
final class AuditLog {
    private AuditLog() {
    }

    static long append(Connection c, String actor, String action, String subject, String details, Instant at)
            throws SQLException {
        return Jdbc.insert(c, "insert into audit_event (at, actor, action, subject, details) values (?, ?, ?, ?, ?)",
                at, actor, action, subject, details);
    }

    static List<AuditEvent> newest(Connection c, int limit) throws SQLException {
        return Jdbc.query(c, "select id, at, actor, action, subject, details from audit_event"
                + " order by at desc, id desc limit ?", r -> new AuditEvent(r.longValue("id"), r.instant("at"),
                r.string("actor"), r.string("action"), r.string("subject"), r.string("details")), limit);
    }
}
