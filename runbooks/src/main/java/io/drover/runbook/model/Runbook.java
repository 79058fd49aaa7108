package io.drover.runbook.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated runbook.
 *
 * @param source where it was read from: a file path or {@code classpath:runbooks/NAME.yaml}
 * @param file   the file to name in problems (for class path runbooks, their resource name)
 * @param text   the YAML as read; journaled with each execution so that resume runs the same steps
 */
public record Runbook(String name, String description, Map<String, Parameter> parameters, List<Stage> stages,
                      String source, Path file, String text) {
    public Runbook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        stages = List.copyOf(stages);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
    }

    /** Every step in order; the steps of a parallel group in file order. */
    public List<Step> steps() {
        return stages.stream().flatMap(s -> s.steps().stream()).toList();
    }

    public Optional<Step> step(String id) {
        return steps().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
