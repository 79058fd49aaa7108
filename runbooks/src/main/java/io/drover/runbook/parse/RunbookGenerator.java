package io.drover.runbook.parse;

import java.util.Map;
import java.util.Objects;

/**
 * Writes runbooks that depend on drover.yaml rather than on a file, e.g. a site failover built from
 * the services' dependencies. The result is ordinary runbook YAML: the parser checks it like a
 * file, the plan shows every step, and the engine journals the text, so resuming or rolling back
 * an execution uses exactly what was generated even if drover.yaml has changed since.
 */
public interface RunbookGenerator {
    /** The runbooks this generator writes: name → one line for {@code drover runbook list}. */
    Map<String, String> runbooks();

    /** Where its runbooks come from, for {@code drover runbook list}, e.g. "generated from services: in drover.yaml". */
    String origin();

    /**
     * Writes runbook {@code name} for the parameters given to plan or run. The engine checks those
     * same parameters against the generated runbook's {@code parameters:}, so a parameter that
     * shapes the steps must also be declared there (with the value it was generated for).
     *
     * @throws io.drover.core.error.DroverException when the parameters do not say what to generate,
     *                                              or drover.yaml does not allow it
     */
    Generated generate(String name, Map<String, String> params);

    /** A generated runbook: its name, where it came from (journaled as its source) and its YAML text. */
    record Generated(String name, String source, String text) {
        public Generated {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(text, "text");
        }
    }
}
