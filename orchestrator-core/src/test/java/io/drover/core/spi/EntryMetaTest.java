package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryMetaTest {
    @Test
    void acceptsRelativePathsWithOrdinarySegments() {
        for (String path : List.of("a", "a/b", "etc/app/x.conf", ".hidden", "a/.b", "a/..b", "...", "a/.../b", "a b/c")) {
            assertThatCode(() -> EntryMeta.file(path, 0644, Instant.EPOCH, 0)).as(path).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAbsoluteEmptyDotAndDotDotSegments() {
        for (String path : List.of("", "/a", "a/", "a//b", ".", "..", "./a", "../a", "a/./b", "a/../b", "a/..", "a/.")) {
            assertThatThrownBy(() -> EntryMeta.file(path, 0644, Instant.EPOCH, 0)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
