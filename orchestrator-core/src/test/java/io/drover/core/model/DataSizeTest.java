package io.drover.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {
    @Test
    void parsesBinaryAndDecimalUnits() {
        assertThat(DataSize.parse("4096").bytes()).isEqualTo(4096);
        assertThat(DataSize.parse("64KiB").bytes()).isEqualTo(65536);
        assertThat(DataSize.parse("256MiB").bytes()).isEqualTo(256L << 20);
        assertThat(DataSize.parse("2 GiB").bytes()).isEqualTo(2L << 30);
        assertThat(DataSize.parse("16TiB").bytes()).isEqualTo(16L << 40);
        assertThat(DataSize.parse("100MB").bytes()).isEqualTo(100_000_000L);
    }

    @Test
    void rejectsWhatIsNotASize() {
        assertThatThrownBy(() -> DataSize.parse("lots")).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> DataSize.parse("5 parsecs")).hasMessageContaining("unknown unit 'parsecs'");
    }

    @Test
    void formatsForPeople() {
        assertThat(DataSize.format(512)).isEqualTo("512 B");
        assertThat(DataSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(DataSize.format(3L << 30)).isEqualTo("3.0 GiB");
    }
}
