package io.drover.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A YAML value that knows where it was written, so every config problem can name a line and column.
 * Maps keep their keys in file order and know where each key is.
 */
public sealed interface ConfigNode permits ConfigNode.MapNode, ConfigNode.ListNode, ConfigNode.ScalarNode, ConfigNode.NullNode {

    /** Where the value starts. */
    ConfigLocation location();

    /** A short description for messages: {@code a map}, {@code a list}, {@code 'text'} or {@code null}. */
    String describe();

    /** One {@code key: value} of a map. */
    record Entry(String key, ConfigLocation keyLocation, ConfigNode value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyLocation, "keyLocation");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A YAML mapping; keys are unique (the reader reports duplicates). */
    record MapNode(Map<String, Entry> entries, ConfigLocation location) implements ConfigNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            Objects.requireNonNull(location, "location");
        }

        public static MapNode of(List<Entry> entries, ConfigLocation location) {
            Map<String, Entry> byKey = new LinkedHashMap<>();
            entries.forEach(e -> byKey.putIfAbsent(e.key(), e));
            return new MapNode(byKey, location);
        }

        public Optional<Entry> entry(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        /** The value of {@code key}, empty if the key is absent or explicitly null. */
        public Optional<ConfigNode> get(String key) {
            return entry(key).map(Entry::value).filter(v -> !(v instanceof NullNode));
        }

        /** This map without {@code key}; e.g. a connector section without its {@code type}. */
        public MapNode without(String key) {
            Map<String, Entry> rest = new LinkedHashMap<>(entries);
            rest.remove(key);
            return new MapNode(rest, location);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    /** A YAML sequence. */
    record ListNode(List<ConfigNode> items, ConfigLocation location) implements ConfigNode {
        public ListNode {
            items = List.copyOf(items);
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A YAML scalar as written (numbers and booleans too: the binder decides what it means). */
    record ScalarNode(String text, ConfigLocation location) implements ConfigNode {
        private static final int MAX_SHOWN = 60;

        public ScalarNode {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String describe() {
            String shown = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
            return "'" + shown + "'";
        }
    }

    /** An explicit {@code null} or an empty value; the binder treats it like an absent key. */
    record NullNode(ConfigLocation location) implements ConfigNode {
        public NullNode {
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String describe() {
            return "null";
        }
    }
}
