package io.drover.core.repository;

import io.drover.core.model.BackupId;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The index's JSON lines, written and read with Jackson's streaming API instead of data binding.
 * An index has one line per file, and incremental and no-change backups spend most of their time
 * reading the parent's index and writing their own: binding a record per line (buffering its
 * properties for the constructor, parsing every {@link Instant} with a {@code DateTimeFormatter})
 * cost several times what the streaming calls do. The bytes written are exactly those
 * {@link Json#MAPPER} writes for an {@link IndexEntry} (repository format v1; a test compares them);
 * reading accepts properties in any order, skips unknown ones and treats {@code null} like a
 * missing value, as data binding did.
 */
final class IndexJson {
    private IndexJson() {
    }

    /**
     * Writes index lines through one generator and one buffer for all of them: a generator per line
     * (its I/O context, escapes and buffers) was a tenth of a no-change backup's walk. Root values get
     * no separator, so every line is exactly what a generator of its own writes.
     */
    static final class LineWriter {
        private final LineBuffer buffer = new LineBuffer();
        private final JsonGenerator out = Json.MAPPER.writer().withRootValueSeparator((String) null).createGenerator(buffer);

        /** The entry as one JSON object, without the line end; valid until the next call. */
        LineBuffer line(IndexEntry entry) throws IOException {
            buffer.reset();
            try {
                write(entry, out);
                out.flush();
            } catch (JacksonException e) {
                throw new IOException("cannot write the index entry of " + entry.path() + ": " + e.getOriginalMessage(), e);
            }
            return buffer;
        }
    }

    /** A reusable byte buffer that can copy itself to a stream without another array. */
    static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer() {
            super(1024);
        }

        void copyTo(OutputStream out) throws IOException {
            out.write(buf, 0, count);
        }
    }

    private static void write(IndexEntry entry, JsonGenerator out) {
        // Property order and names as data binding writes the record: its components, then isFile().
        out.writeStartObject();
        out.writeStringProperty("path", entry.path());
        out.writeStringProperty("type", entry.type());
        out.writeNumberProperty("mode", entry.mode());
        out.writeStringProperty("modified", formatIsoInstant(entry.modified()));
        out.writeNumberProperty("size", entry.size());
        out.writeNumberProperty("uid", entry.uid());
        out.writeNumberProperty("gid", entry.gid());
        out.writeStringProperty("owner", entry.owner());
        out.writeStringProperty("group", entry.group());
        out.writeStringProperty("link", entry.link());
        out.writeStringProperty("sha256", entry.sha256());
        out.writeStringProperty("token", entry.token());
        out.writeName("segments");
        out.writeStartArray();
        for (IndexEntry.Segment segment : entry.segments()) {
            out.writeStartObject();
            out.writeName("backup");
            out.writeStartObject();
            out.writeStringProperty("value", segment.backup().value());
            out.writeEndObject();
            out.writeNumberProperty("part", segment.part());
            out.writeStringProperty("tarName", segment.tarName());
            out.writeNumberProperty("size", segment.size());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeStringProperty("warning", entry.warning());
        out.writeBooleanProperty("file", entry.isFile());
        out.writeEndObject();
    }

    /**
     * Reads every entry of a stream of index lines, in order. The stream is not closed.
     *
     * @param what names the stream in error messages
     */
    static void readAll(InputStream in, String what, Consumer<IndexEntry> consumer) throws IOException {
        // The parser closes its source; the caller still checks the object's integrity after this.
        InputStream notClosed = new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
        try (JsonParser parser = Json.MAPPER.createParser(notClosed)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw invalid(parser, what, "expected an object, found " + token);
                }
                consumer.accept(readEntry(parser, what));
            }
        } catch (JacksonException e) {
            throw new IOException(what + " line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + " is not a valid index entry: " + e.getOriginalMessage(), e);
        }
    }

    private static IndexEntry readEntry(JsonParser parser, String what) throws IOException {
        String path = null;
        String type = null;
        int mode = 0;
        Instant modified = null;
        long size = 0;
        long uid = 0;
        long gid = 0;
        String owner = null;
        String group = null;
        String link = null;
        String sha256 = null;
        String token = null;
        List<IndexEntry.Segment> segments = null;
        String warning = null;
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "path" -> path = string(parser, what);
                case "type" -> type = string(parser, what);
                case "mode" -> mode = intNumber(parser, what);
                case "modified" -> {
                    String text = string(parser, what);
                    modified = text == null ? null : instant(text, parser, what);
                }
                case "size" -> size = number(parser, what);
                case "uid" -> uid = number(parser, what);
                case "gid" -> gid = number(parser, what);
                case "owner" -> owner = string(parser, what);
                case "group" -> group = string(parser, what);
                case "link" -> link = string(parser, what);
                case "sha256" -> sha256 = string(parser, what);
                case "token" -> token = string(parser, what);
                case "segments" -> segments = value == JsonToken.VALUE_NULL ? null : segments(parser, what);
                case "warning" -> warning = string(parser, what);
                default -> parser.skipChildren(); // e.g. "file", derived from type; or a property of a later version
            }
        }
        if (path == null || type == null || modified == null) {
            throw invalid(parser, what, "path, type and modified are required");
        }
        return new IndexEntry(path, type, mode, modified, size, uid, gid, owner, group, link, sha256, token, segments, warning);
    }

    private static List<IndexEntry.Segment> segments(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw invalid(parser, what, "segments must be an array");
        }
        List<IndexEntry.Segment> segments = new ArrayList<>(1);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw invalid(parser, what, "a segment must be an object");
            }
            segments.add(segment(parser, what));
        }
        return segments;
    }

    private static IndexEntry.Segment segment(JsonParser parser, String what) throws IOException {
        BackupId backup = null;
        int part = 0;
        String tarName = null;
        long size = 0;
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "backup" -> backup = value == JsonToken.VALUE_NULL ? null : backupId(parser, what);
                case "part" -> part = intNumber(parser, what);
                case "tarName" -> tarName = string(parser, what);
                case "size" -> size = number(parser, what);
                default -> parser.skipChildren();
            }
        }
        if (backup == null || tarName == null) {
            throw invalid(parser, what, "a segment needs backup and tarName");
        }
        return new IndexEntry.Segment(backup, part, tarName, size);
    }

    /** A backup id as data binding writes it, {@code {"value":"..."}}. */
    private static BackupId backupId(JsonParser parser, String what) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw invalid(parser, what, "a segment's backup must be an object");
        }
        String value = null;
        String name;
        while ((name = parser.nextName()) != null) {
            parser.nextToken();
            if (name.equals("value")) {
                value = string(parser, what);
            } else {
                parser.skipChildren();
            }
        }
        if (value == null || !BackupId.isValid(value)) {
            throw invalid(parser, what, "'" + value + "' is not a backup id");
        }
        return new BackupId(value);
    }

    private static String string(JsonParser parser, String what) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NULL -> null;
            default -> throw invalid(parser, what, parser.currentName() + " must be a string");
        };
    }

    private static long number(JsonParser parser, String what) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NULL -> 0;
            default -> throw invalid(parser, what, parser.currentName() + " must be an integer");
        };
    }

    private static int intNumber(JsonParser parser, String what) throws IOException {
        long value = number(parser, what);
        if (value != (int) value) {
            throw invalid(parser, what, parser.currentName() + " is out of range");
        }
        return (int) value;
    }

    private static Instant instant(String text, JsonParser parser, String what) throws IOException {
        try {
            Instant fast = parseIsoInstant(text);
            return fast != null ? fast : Instant.parse(text);
        } catch (DateTimeException e) {
            throw invalid(parser, what, "'" + text + "' is not a time: " + e.getMessage());
        }
    }

    /**
     * Parses the common shape {@code Instant.toString()} writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z},
     * without a formatter; anything else (other years, leap seconds) returns null for
     * {@link Instant#parse}, which accepts exactly what data binding did.
     */
    static Instant parseIsoInstant(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21; // between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(text, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value;
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        LocalDate date = LocalDate.of(year, month, day); // throws DateTimeException for 2026-02-30 and the like
        return Instant.ofEpochSecond(date.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** Seconds of 10000-01-01T00:00:00Z: from there on {@link Instant#toString()} writes a '+' and more digits. */
    private static final long YEAR_10000 = 253_402_300_800L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /**
     * {@link Instant#toString()} for instants from 1970 to 9999 without a formatter (its text for every
     * entry was a fifth of writing an index line): {@code yyyy-MM-ddTHH:mm:ss}, then 0, 3, 6 or 9
     * fraction digits as needed, then {@code Z}. Other instants go to {@code toString()}.
     */
    static String formatIsoInstant(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(seconds / 86_400L);
        int secondOfDay = (int) (seconds % 86_400L);
        StringBuilder text = new StringBuilder(30);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(text, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                pad(text, nanos / 1000, 6);
            } else {
                pad(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        for (int divisor = POWERS_OF_TEN[width - 1]; divisor > 0; divisor /= 10) {
            text.append((char) ('0' + value / divisor % 10));
        }
        return text;
    }

    /** The decimal value of {@code count} ASCII digits at {@code start}, or -1. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static IOException invalid(JsonParser parser, String what, String problem) {
        var location = parser.currentLocation();
        return new IOException(what + " line " + (location == null ? "?" : location.getLineNr()) + " is not a valid index entry: "
                + problem);
    }
}
