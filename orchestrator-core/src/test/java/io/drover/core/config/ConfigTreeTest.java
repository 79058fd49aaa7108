package io.drover.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.ConfigNode.ListNode;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.ConfigNode.NullNode;
import io.drover.core.config.ConfigNode.ScalarNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigTreeTest {
    private static final Path FILE = Path.of("drover.yaml");

    private static ConfigNode parse(String yaml) {
        ConfigTree tree = YamlTreeReader.read(FILE, yaml);
        assertThat(tree.problems()).isEmpty();
        return tree.root();
    }

    @Test
    void everyNodeAndKeyKnowsItsLineAndColumn() {
        MapNode root = (MapNode) parse("""
                jobs:
                  nightly:
                    source: db
                    targets: [a, b]
                    list:
                      - x
                      - y: z
                """);
        MapNode jobs = (MapNode) root.get("jobs").orElseThrow();
        MapNode nightly = (MapNode) jobs.get("nightly").orElseThrow();
        assertThat(jobs.entry("nightly").orElseThrow().keyLocation()).isEqualTo(new ConfigLocation(2, 3));
        assertThat(nightly.entry("source").orElseThrow().keyLocation()).isEqualTo(new ConfigLocation(3, 5));
        assertThat(nightly.get("source").orElseThrow()).isEqualTo(new ScalarNode("db", new ConfigLocation(3, 13)));
        ListNode targets = (ListNode) nightly.get("targets").orElseThrow();
        assertThat(targets.location()).isEqualTo(new ConfigLocation(4, 14));
        assertThat(targets.items()).extracting(ConfigNode::location)
                .containsExactly(new ConfigLocation(4, 15), new ConfigLocation(4, 18));
        ListNode list = (ListNode) nightly.get("list").orElseThrow();
        assertThat(list.items().get(0).location()).isEqualTo(new ConfigLocation(6, 9));
        assertThat(((MapNode) list.items().get(1)).entry("y").orElseThrow().keyLocation()).isEqualTo(new ConfigLocation(7, 9));
    }

    @Test
    void keepsKeysInFileOrderAndScalarsAsWritten() {
        MapNode root = (MapNode) parse("b: 1\na: true\nc: 1.50\nd: 'x y'\n");
        assertThat(root.entries().keySet()).containsExactly("b", "a", "c", "d");
        assertThat(root.get("c").orElseThrow()).isInstanceOf(ScalarNode.class)
                .extracting(n -> ((ScalarNode) n).text()).isEqualTo("1.50");
        assertThat(((ScalarNode) root.get("d").orElseThrow()).text()).isEqualTo("x y");
    }

    @Test
    void nullAndEmptyValuesAreNullNodes() {
        MapNode root = (MapNode) parse("a:\nb: null\n");
        assertThat(root.entry("a").orElseThrow().value()).isInstanceOf(NullNode.class);
        assertThat(root.entry("b").orElseThrow().value()).isInstanceOf(NullNode.class);
        assertThat(root.get("a")).isEmpty();
    }

    @Test
    void emptyFileIsANullRoot() {
        assertThat(parse("")).isInstanceOf(NullNode.class);
        assertThat(parse("# only a comment\n")).isInstanceOf(NullNode.class);
    }

    @Test
    void aliasesAreExpanded() {
        MapNode root = (MapNode) parse("a: &s {cron: x}\nb: *s\n");
        assertThat(root.get("b").orElseThrow()).isInstanceOf(MapNode.class);
        assertThat(((MapNode) root.get("b").orElseThrow()).get("cron")).isPresent();
    }

    @Test
    void duplicateKeysAreProblemsAtTheSecondKey() {
        ConfigTree tree = YamlTreeReader.read(FILE, "jobs:\n  a: 1\n  a: 2\n");
        assertThat(tree.problems()).singleElement().hasToString("drover.yaml:3:3: jobs.a: duplicate key 'a' (first given at 2:3)");
        assertThat(((ScalarNode) ((MapNode) ((MapNode) tree.root()).get("jobs").orElseThrow()).get("a").orElseThrow()).text())
                .isEqualTo("1");
    }

    @Test
    void syntaxErrorIsOneLocatedProblem() {
        ConfigTree tree = YamlTreeReader.read(FILE, "a: 1\n b: 2\n");
        assertThat(tree.root()).isNull();
        assertThat(tree.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(3);
            assertThat(p.message()).startsWith("YAML syntax error: mapping values are not allowed here").doesNotContain("\n");
        });
    }

    @Test
    void unclosedFlowListPointsAtTheProblemAndNamesTheContext() {
        ConfigTree tree = YamlTreeReader.read(FILE, "a: [1, 2\nb: 3\n");
        assertThat(tree.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("expected ',' or ']'").contains("while parsing a flow sequence at 1:4");
        });
    }

    @Test
    void secondDocumentIsAProblem() {
        ConfigTree tree = YamlTreeReader.read(FILE, "a: 1\n---\nb: 2\n");
        assertThat(tree.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("only one YAML document");
        });
    }

    @Test
    void complexKeysAreASyntaxProblemNotAnException() {
        ConfigTree tree = YamlTreeReader.read(FILE, "? [1]\n: 2\n");
        assertThat(tree.root()).isNull();
        assertThat(tree.problems()).hasSize(1);
    }
}
