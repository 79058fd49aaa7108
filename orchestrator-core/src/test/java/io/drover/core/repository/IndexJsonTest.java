package io.drover.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexJsonTest {
    private static final BackupId FULL = new BackupId("20261127T091500Z-3f9a1c2b");
    private static final BackupId INCREMENTAL = new BackupId("20261128T091500Z-0000ffff");

    private static List<IndexEntry> variedEntries() {
        List<IndexEntry> entries = new ArrayList<>();
        entries.add(new IndexEntry("srv", IndexEntry.DIRECTORY, 0755, Instant.parse("2026-11-27T19:11:35.114244897Z"), 0, 0, 0,
                "root", "root", "", "", "5308418:4096:1:1", List.of(), ""));
        entries.add(new IndexEntry("srv/a file \"quoted\" \\ back\tslash\n\u0001\u007f/é✓😀.txt", IndexEntry.FILE, 04755,
                Instant.parse("1969-12-31T23:59:59.999Z"), Long.MAX_VALUE, 4_294_967_294L, 65534, "nobody", "", "", "ab".repeat(32),
                "token", List.of(new IndexEntry.Segment(FULL, 1, "srv/a file", 12)), "changed while it was read: \"x\""));
        entries.add(new IndexEntry("srv/stream", IndexEntry.FILE, 0600, Instant.parse("2026-01-01T00:00:00Z"), 3 << 20, 1000, 1000,
                "app", "app", "", "cd".repeat(32), "", List.of(new IndexEntry.Segment(FULL, 2, "srv/stream.000001", 1 << 20),
                        new IndexEntry.Segment(INCREMENTAL, 17, "srv/stream.000002", 2 << 20)), ""));
        entries.add(new IndexEntry("srv/link", IndexEntry.SYMLINK, 0777, Instant.parse("2000-02-29T12:00:00.100Z"), 0, 0, 0,
                null, null, "../etc/passwd", null, null, null, null));
        entries.add(new IndexEntry("srv/old", IndexEntry.FILE, 0644, Instant.parse("0001-01-01T00:00:00.000001Z"), 1, 0, 0,
                "", "", "", "ef".repeat(32), "", List.of(new IndexEntry.Segment(FULL, 1, "srv/old", 1)), ""));
        entries.add(new IndexEntry("srv/hard", IndexEntry.HARDLINK, 0644, Instant.EPOCH, 0, 0, 0, "", "", "srv/old", "", "", List.of(), ""));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            Instant modified = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 5_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            entries.add(new IndexEntry("d/" + i, IndexEntry.FILE, random.nextInt(07777), modified, random.nextLong(1L << 40),
                    random.nextInt(70000), random.nextInt(70000), "u" + i, "g" + i, "", Long.toHexString(random.nextLong()), "t" + i,
                    List.of(new IndexEntry.Segment(FULL, random.nextInt(1, 500), "d/" + i, random.nextLong(1L << 40))), ""));
        }
        return entries;
    }

    private static byte[] linesWrittenByIndexJson(List<IndexEntry> entries) throws IOException {
        IndexJson.LineWriter writer = new IndexJson.LineWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexEntry entry : entries) {
            writer.line(entry).copyTo(out);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static byte[] linesWrittenByDataBinding(List<IndexEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexEntry entry : entries) {
            out.write(Json.MAPPER.writeValueAsBytes(entry));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static List<IndexEntry> read(byte[] lines) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        IndexJson.readAll(new ByteArrayInputStream(lines), "test index", entries::add);
        return entries;
    }

    @Test
    void writesExactlyTheBytesOfDataBinding() throws IOException {
        List<IndexEntry> entries = variedEntries();
        assertThat(new String(linesWrittenByIndexJson(entries), StandardCharsets.UTF_8))
                .isEqualTo(new String(linesWrittenByDataBinding(entries), StandardCharsets.UTF_8));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        List<IndexEntry> entries = variedEntries();
        assertThat(read(linesWrittenByIndexJson(entries))).isEqualTo(entries);
    }

    @Test
    void readsWhatDataBindingReads() throws IOException {
        String lines = """
                {"warning":null,"file":true,"segments":[{"size":5,"tarName":"a","future":{"x":[1,2]},"part":3,"backup":{"value":"20261127T091500Z-3f9a1c2b"}}],"modified":"2026-11-27T19:07:04.63Z","type":"FILE","path":"a","mode":420,"size":5,"sha256":"00","extra":[{"y":null}]}
                {"path":"b","type":"DIRECTORY","modified":"2026-11-27T19:07:04Z","owner":null,"segments":null}
                {"path":"c","type":"FILE","modified":"2016-12-31T23:59:60Z","size":1}
                """;
        List<IndexEntry> expected = new ArrayList<>();
        for (String line : lines.strip().split("\n")) {
            expected.add(Json.MAPPER.readValue(line, IndexEntry.class));
        }
        assertThat(read(lines.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThat(expected.get(0).segments()).containsExactly(new IndexEntry.Segment(FULL, 3, "a", 5));
        assertThat(expected.get(1).owner()).isEmpty();
    }

    @Test
    void parsesTimesLikeInstantParse() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), i % 2 == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(IndexJson.parseIsoInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(IndexJson.parseIsoInstant("2026-11-27T19:07:04.1Z")).isEqualTo(Instant.parse("2026-11-27T19:07:04.1Z"));
        // shapes the fast path leaves to Instant.parse
        assertThat(IndexJson.parseIsoInstant("+10000-01-01T00:00:00Z")).isNull();
        assertThat(IndexJson.parseIsoInstant("2016-12-31T23:59:60Z")).isNull();
        assertThat(IndexJson.parseIsoInstant("2026-11-27T19:07:04.1234567890Z")).isNull();
        assertThat(IndexJson.parseIsoInstant("2026-11-27 19:07:04Z")).isNull();
    }

    @Test
    void formatsTimesLikeInstantToString() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_400_000L), nanos);
            assertThat(IndexJson.formatIsoInstant(instant)).isEqualTo(instant.toString());
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999), Instant.ofEpochSecond(253_402_300_799L, 999_999_999),
                Instant.ofEpochSecond(253_402_300_800L), Instant.parse("2024-02-29T23:59:59.000001Z"), Instant.parse("2026-11-28T00:00:00.100Z"))) {
            assertThat(IndexJson.formatIsoInstant(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void refusesEntriesItCannotRepresent() {
        assertThatThrownBy(() -> read("{\"path\":\"a\",\"type\":\"FILE\"}\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("test index line 1").hasMessageContaining("modified");
        assertThatThrownBy(() -> read(("{\"path\":\"a\",\"type\":\"FILE\",\"modified\":\"1970-01-01T00:00:00Z\"}\n"
                + "{\"path\":\"b\",\"type\":\"FILE\",\"modified\":\"2026-02-30T00:00:00Z\"}\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2").hasMessageContaining("2026-02-30");
        assertThatThrownBy(() -> read(("{\"path\":\"a\",\"type\":\"FILE\",\"modified\":\"1970-01-01T00:00:00Z\","
                + "\"segments\":[{\"backup\":{\"value\":\"../../etc\"},\"part\":1,\"tarName\":\"a\",\"size\":1}]}\n")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a backup id");
        assertThatThrownBy(() -> read("{\"path\":\"a\",\"type\":\"FILE\",\"modified\":\"1970-01-01T00:00:00Z\",\"mode\":4294967296}\n"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class).hasMessageContaining("mode is out of range");
        assertThatThrownBy(() -> read("{\"path\":\"a\",\"type\":\"FILE\",\"modified\":\"1970-01-01T00:00:00Z\",\"size\":\"12\"}\n"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class).hasMessageContaining("size must be an integer");
        assertThatThrownBy(() -> read("[1]\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class)
                .hasMessageContaining("expected an object");
        assertThatThrownBy(() -> read("{\"path\":\"a\",".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class)
                .hasMessageContaining("test index line 1 is not a valid index entry");
    }
}
