package io.drover.core.config;

import java.util.List;

/**
 * A parsed YAML file: its root node ({@code null} after a syntax error) and the problems found while
 * reading it (a syntax error, duplicate keys).
 */
public record ConfigTree(ConfigNode root, List<ConfigProblemReport> problems) {
    public ConfigTree {
        problems = List.copyOf(problems);
        if (root == null && problems.isEmpty()) {
            throw new IllegalArgumentException("a tree without a root must have problems");
        }
    }
}
