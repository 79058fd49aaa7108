package io.drover.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSecretTest {
    private static final Path FILE = Path.of("drover.yaml");
    private static final String VALUE = "s3cr3t-Value!";

    record Db(String url, Secret password, Optional<Secret> key, @io.drover.core.spi.Default("[]") List<Secret> more) {
    }

    private static BindResult<Db> bind(String yaml) {
        return new ConfigBinder(FILE, Map.of("PGPASS", VALUE, "EMPTY", "")::get)
                .bind(YamlTreeReader.read(FILE, yaml).root(), Db.class);
    }

    @Test
    void resolvesEnvReferenceAndRemembersWhereItCameFrom() {
        Db db = bind("url: postgresql://db1/orders\npassword: ${env:PGPASS}\n").value();
        assertThat(db.password().reveal()).isEqualTo(VALUE);
        assertThat(db.password().reference()).isEqualTo("${env:PGPASS}");
        assertThat(db.toString()).doesNotContain(VALUE).contains(Secret.REDACTED);
    }

    @Test
    void resolvesFileReferenceStrippingOneTrailingNewline(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("key.txt");
        Files.writeString(key, "line1\nline2\n\n");
        Db db = bind("url: u\npassword: ${env:PGPASS}\nkey: ${file:" + key + "}\n").value();
        assertThat(db.key().orElseThrow().reveal()).isEqualTo("line1\nline2\n");
    }

    @Test
    void literalSecretIsRejectedWithoutEchoingIt() {
        BindResult<Db> result = bind("url: u\npassword: " + VALUE + "\n");
        assertThat(result.problems()).extracting(ConfigProblemReport::toString).containsExactly(
                "drover.yaml:2:11: password: secrets must be given as ${env:NAME} or ${file:/path}, never written into the config");
        assertNoValueIn(result);
    }

    @Test
    void secretInsideLargerTextOrInAListIsNotEchoed() {
        BindResult<Db> result = bind("url: u\npassword: x${env:PGPASS}\nmore: " + VALUE + "\n");
        assertThat(result.problems()).hasSize(2);
        assertThat(result.problems().get(1).message()).isEqualTo("expected a list for 'more', got a single value;"
                + " write it as [value] or as '- value' lines");
        assertNoValueIn(result);
    }

    @Test
    void missingEnvAndUnreadableFileNameTheVariableAndPath(@TempDir Path dir) {
        BindResult<Db> result = bind("url: u\npassword: ${env:NOPE}\nkey: ${file:" + dir.resolve("missing") + "}\n"
                + "more: ['${env:EMPTY}', '${file:relative/key}', '${sys:x}', '${env:BAD-NAME}']\n");
        assertThat(result.problems()).extracting(ConfigProblemReport::message).containsExactly(
                "environment variable NOPE (from ${env:NOPE}) is not set",
                "secret file " + dir.resolve("missing") + " does not exist",
                "environment variable EMPTY (from ${env:EMPTY}) is empty",
                "${file:relative/key}: secret file paths must be absolute, e.g. ${file:/etc/drover/key.txt}",
                "unsupported reference ${sys:x}; secrets must be given as ${env:NAME} or ${file:/path}",
                "${env:BAD-NAME}: 'BAD-NAME' is not a valid environment variable name");
        assertThat(result.problems()).extracting(ConfigProblemReport::line).containsExactly(2, 3, 4, 4, 4, 4);
    }

    @Test
    void secretMapGivenAScalarIsNotEchoed() {
        record Env(java.util.Map<String, Secret> vars) {
        }
        BindResult<Env> result = new ConfigBinder(FILE, name -> null)
                .bind(YamlTreeReader.read(FILE, "vars: " + VALUE + "\n").root(), Env.class);
        assertThat(result.problems()).extracting(ConfigProblemReport::message)
                .containsExactly("expected a map for 'vars', got a single value");
    }

    @Test
    void secretOfWrongShapeIsNotEchoed() {
        BindResult<Db> result = bind("url: u\npassword: {value: " + VALUE + "}\n");
        assertThat(result.problems()).extracting(ConfigProblemReport::message).containsExactly(
                "expected a secret reference (${env:NAME} or ${file:/path}) for 'password', got a map");
        assertNoValueIn(result);
    }

    @Test
    void secretFileValueNeverAppearsInMessagesOfOtherProblems(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("key.txt");
        Files.writeString(key, VALUE);
        BindResult<Db> result = bind("url: [x]\npassword: ${file:" + key + "}\n");
        assertThat(result.problems()).hasSize(1);
        assertNoValueIn(result);
    }

    private static void assertNoValueIn(BindResult<?> result) {
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(VALUE));
    }
}
