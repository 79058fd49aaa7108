package io.drover.core.config;

import io.drover.core.config.ConfigNode.Entry;
import io.drover.core.config.ConfigNode.ListNode;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.ConfigNode.NullNode;
import io.drover.core.config.ConfigNode.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLAnchorReplayingFactory;

/**
 * Reads YAML text into a located {@link ConfigNode} tree with Jackson's streaming YAML parser.
 * Syntax errors and duplicate keys become {@link ConfigProblemReport}s, never exceptions.
 */
public final class YamlTreeReader {
    // The replaying factory expands aliases (*name) to the anchored value; the plain factory would
    // silently hand us the alias name as a string.
    private static final YAMLAnchorReplayingFactory FACTORY = new YAMLAnchorReplayingFactory();

    private final Path file;
    private final List<ConfigProblemReport> problems = new ArrayList<>();

    private YamlTreeReader(Path file) {
        this.file = file;
    }

    /**
     * Parses {@code text}; {@code file} only labels the problems. An empty document is a
     * {@link NullNode}. Only one YAML document per file is allowed.
     */
    public static ConfigTree read(Path file, String text) {
        return new YamlTreeReader(file).readDocument(text);
    }

    private ConfigTree readDocument(String text) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ConfigTree(new NullNode(ConfigLocation.START), problems);
            }
            ConfigNode root = readValue(parser, first, "");
            if (parser.nextToken() != null) {
                problems.add(ConfigProblemReport.at(file, location(parser.currentTokenLocation()), "",
                        "only one YAML document is allowed in a config file; remove the second '---' section"));
            }
            return new ConfigTree(root, problems);
        } catch (JacksonException e) {
            problems.add(syntaxProblem(e));
            return new ConfigTree(null, problems);
        }
    }

    private ConfigNode readValue(JsonParser parser, JsonToken token, String path) {
        ConfigLocation at = location(parser.currentTokenLocation());
        return switch (token) {
            case START_OBJECT -> readMap(parser, at, path);
            case START_ARRAY -> readList(parser, at, path);
            case VALUE_NULL -> new NullNode(at);
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    new ScalarNode(parser.getString(), at);
            default -> {
                problems.add(ConfigProblemReport.at(file, at, path, "unsupported YAML value (" + token + ")"));
                yield new NullNode(at);
            }
        };
    }

    private MapNode readMap(JsonParser parser, ConfigLocation at, String path) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            ConfigLocation keyAt = location(parser.currentTokenLocation());
            String keyPath = ConfigPaths.child(path, key);
            ConfigNode value = readValue(parser, parser.nextToken(), keyPath);
            Entry first = entries.putIfAbsent(key, new Entry(key, keyAt, value));
            if (first != null) {
                problems.add(ConfigProblemReport.at(file, keyAt, keyPath,
                        "duplicate key '" + key + "' (first given at " + first.keyLocation() + ")"));
            }
        }
        return new MapNode(entries, at);
    }

    private ListNode readList(JsonParser parser, ConfigLocation at, String path) {
        List<ConfigNode> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(readValue(parser, token, ConfigPaths.index(path, items.size())));
        }
        return new ListNode(items, at);
    }

    private ConfigProblemReport syntaxProblem(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException yaml) {
                return yamlSyntaxProblem(yaml, e);
            }
        }
        return ConfigProblemReport.at(file, location(e.getLocation()), "",
                "YAML syntax error: " + e.getOriginalMessage());
    }

    // snakeyaml's own message spans several lines with a source snippet; one line reads better
    // next to the file:line:column prefix.
    private ConfigProblemReport yamlSyntaxProblem(MarkedYamlEngineException yaml, JacksonException e) {
        ConfigLocation at = yaml.getProblemMark().map(YamlTreeReader::location).orElse(location(e.getLocation()));
        StringBuilder message = new StringBuilder("YAML syntax error: ").append(yaml.getProblem());
        if (yaml.getContext() != null && !yaml.getContext().isBlank()) {
            message.append(" (").append(yaml.getContext());
            yaml.getContextMark().ifPresent(m -> message.append(" at ").append(location(m)));
            message.append(')');
        }
        if (yaml.getProblem() != null && yaml.getProblem().contains("but got {")) {
            // `key: ${env:X}` is fine in block style but breaks a { flow: map }; say so.
            message.append("; inside { } or [ ] write references in quotes: \"${env:NAME}\"");
        }
        return ConfigProblemReport.at(file, at, "", message.toString());
    }

    private static ConfigLocation location(Mark mark) {
        return new ConfigLocation(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static ConfigLocation location(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return ConfigLocation.START;
        }
        return new ConfigLocation(location.getLineNr(), location.getColumnNr());
    }
}
