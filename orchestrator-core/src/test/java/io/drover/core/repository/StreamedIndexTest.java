package io.drover.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.drover.core.error.DroverException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamedIndexTest {
    @TempDir
    Path dir;

    private static IndexEntry entry(String path) {
        return new IndexEntry(path, IndexEntry.DIRECTORY, 0755, Instant.parse("2026-01-02T03:04:05Z"), 0, 0, 0, "root", "root", "",
                "", "", List.of());
    }

    private Path cache(List<String> paths) throws IOException {
        Path file = dir.resolve("index-" + paths.hashCode() + ".jsonl.zst");
        IndexJson.LineWriter lines = new IndexJson.LineWriter();
        try (OutputStream out = new ZstdOutputStreamNoFinalizer(Files.newOutputStream(file), 1)) {
            for (String path : paths) {
                lines.line(entry(path)).copyTo(out);
                out.write('\n');
            }
        }
        return file;
    }

    /** The walk's order: children by name (String order), each directory's content right after it. */
    private static List<String> walkOrder(List<String> paths) {
        List<String> sorted = new ArrayList<>(paths);
        sorted.sort(Comparator.comparing((String p) -> List.of(p.split("/")), (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = a.get(i).compareTo(b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }));
        return sorted;
    }

    @Test
    void treeOrderIsTheWalksOrder() {
        List<String> paths = List.of("a", "a/b", "a/b/c", "a.txt", "a-b", "a b", "ab", "a/b.c", "a/b-c/d", "b", "B", "é", "a/ü/x",
                "a!", "a/b!/c");
        List<String> byTreeOrder = new ArrayList<>(paths);
        byTreeOrder.sort(StreamedIndex.TreeOrder::compare);
        assertThat(byTreeOrder).containsExactlyElementsOf(walkOrder(paths));
    }

    @Test
    void answersHitsAndMissesWhileAndAfterParsing() throws Exception {
        List<String> paths = walkOrder(IntStream.range(0, 5000).mapToObj(i -> "data/d" + (i % 37) + "/f" + i).toList());
        Map<String, IndexEntry> index = StreamedIndex.read(cache(paths), "the test index", Optional::empty);
        Random random = new Random(3);
        for (String path : paths) {
            assertThat(index.get(path)).as(path).isNotNull().extracting(IndexEntry::path).isEqualTo(path);
            if (random.nextInt(10) == 0) {
                assertThat(index.get(path + "-new")).isNull();
                assertThat(index.get(path + "/below")).isNull();
            }
        }
        assertThat(index.get("data/d0")).isNull();
        assertThat(index.get("zzz")).isNull();
        assertThat(index).hasSize(5000);
    }

    @Test
    void anIndexInAnotherOrderStillAnswersRight() throws Exception {
        List<String> paths = new ArrayList<>(List.of("srv", "srv/b", "etc", "etc/a", "srv/a"));
        Map<String, IndexEntry> index = StreamedIndex.read(cache(paths), "the test index", Optional::empty);
        assertThat(index.get("etc/a")).isNotNull();
        assertThat(index.get("srv/a")).isNotNull();
        assertThat(index.get("etc/b")).isNull();
        assertThat(index.keySet()).containsExactlyInAnyOrderElementsOf(paths);
    }

    @Test
    void anUnreadableCacheIsReplacedByTheRepositorysIndexAndRemoved() throws Exception {
        Path file = dir.resolve("broken.jsonl.zst");
        Files.write(file, new byte[] {40, -75, 47, -3, 1, 2, 3});
        Map<String, IndexEntry> fromRepository = new LinkedHashMap<>();
        fromRepository.put("a", entry("a"));
        Map<String, IndexEntry> index = StreamedIndex.read(file, "the test index", () -> Optional.of(fromRepository));
        assertThat(index.get("a")).isNotNull();
        assertThat(index).hasSize(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void anUnreadableCacheWithoutTheKeyFailsTheLookupsWithTheReason() throws Exception {
        Path file = dir.resolve("broken.jsonl.zst");
        Files.writeString(file, "not zstd");
        Map<String, IndexEntry> index = StreamedIndex.read(file, "the index of backup X", Optional::empty);
        assertThatThrownBy(() -> index.get("a")).isInstanceOf(DroverException.class)
                .hasMessageContaining("cannot read the index of backup X").hasMessageContaining(file.toString())
                .hasMessageContaining("no identity");
        assertThatThrownBy(index::size).isInstanceOf(DroverException.class);
    }
}
