package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConninfoTest {

    @Test
    void keywordValuePairsAreReadWithQuotesAndEscapes() {
        assertThat(Conninfo.parse("user=repl passfile='/var/lib/postgresql/.pgpass' host = db1 port=5433"
                + " application_name='it\\'s' sslmode=prefer options='-c x=\\'y\\''"))
                .containsEntry("user", "repl").containsEntry("passfile", "/var/lib/postgresql/.pgpass")
                .containsEntry("host", "db1").containsEntry("port", "5433").containsEntry("application_name", "it's")
                .containsEntry("sslmode", "prefer")
                .containsEntry("options", "-c x='y'");
    }

    @Test
    void aUriGivesItsHostPortAndUser() {
        assertThat(Conninfo.parse("postgresql://repl@[::1]:5434/postgres")).containsExactly(Map.entry("host", "::1"),
                Map.entry("port", "5434"), Map.entry("user", "repl"));
    }

    @Test
    void whatIsNoConnectionStringIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> Conninfo.parse("host=db1 password='s3cret")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("s3cret");
        assertThatThrownBy(() -> Conninfo.parse("just words")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formattingQuotesEveryValueAndParsesBack() {
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("host", "127.0.0.1");
        keywords.put("application_name", "o'brien \\ dc1");
        String text = Conninfo.format(keywords);
        assertThat(text).isEqualTo("host='127.0.0.1' application_name='o\\'brien \\\\ dc1'");
        assertThat(Conninfo.parse(text)).isEqualTo(keywords);
    }
}
