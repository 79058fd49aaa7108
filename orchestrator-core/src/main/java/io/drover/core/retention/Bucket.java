package io.drover.core.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** The calendar periods retention counts in, with the label a reason shows (e.g. {@code daily 2026-11-20}). */
enum Bucket {
    HOURLY("hourly", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00", Locale.ROOT)),
    DAILY("daily", DateTimeFormatter.ISO_LOCAL_DATE),
    WEEKLY("weekly", null),
    MONTHLY("monthly", DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT)),
    YEARLY("yearly", DateTimeFormatter.ofPattern("yyyy", Locale.ROOT));

    private final String rule;
    private final DateTimeFormatter format;

    Bucket(String rule, DateTimeFormatter format) {
        this.rule = rule;
        this.format = format;
    }

    String rule() {
        return rule;
    }

    /** The period {@code at} falls in, in {@code zone}; equal labels mean the same period. */
    String label(Instant at, ZoneId zone) {
        ZonedDateTime time = at.atZone(zone);
        if (this == WEEKLY) {
            return String.format(Locale.ROOT, "%d-W%02d", time.get(IsoFields.WEEK_BASED_YEAR),
                    time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }
        return format.format(time);
    }
}
