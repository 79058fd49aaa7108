package io.drover.runbook.expr;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A value a runbook can refer to: {@code params.NAME}, {@code steps.ID.outputs.NAME} or
 * {@code steps.ID.status} (succeeded, skipped, failed...).
 */
public sealed interface Reference {
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** The reference as written, e.g. {@code steps.lag.outputs.bytes}. */
    String text();

    /** {@code params.NAME}. */
    record Param(String name) implements Reference {
        public Param {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return "params." + name;
        }
    }

    /** {@code steps.ID.outputs.NAME}. */
    record Output(String step, String name) implements Reference {
        public Output {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return "steps." + step + ".outputs." + name;
        }
    }

    /** {@code steps.ID.status}: the step's status in lower case. */
    record Status(String step) implements Reference {
        public Status {
            Objects.requireNonNull(step, "step");
        }

        @Override
        public String text() {
            return "steps." + step + ".status";
        }
    }

    /** Which step this reference reads, if any. */
    default java.util.Optional<String> stepId() {
        return switch (this) {
            case Param p -> java.util.Optional.empty();
            case Output o -> java.util.Optional.of(o.step());
            case Status s -> java.util.Optional.of(s.step());
        };
    }

    /** Parses a dotted reference; {@code offset} positions the error. */
    static Reference parse(String text, int offset) {
        String[] parts = text.split("\\.", -1);
        for (String part : parts) {
            if (!NAME.matcher(part).matches()) {
                throw invalid(text, offset);
            }
        }
        if (parts.length == 2 && parts[0].equals("params")) {
            return new Param(parts[1]);
        }
        if (parts.length == 4 && parts[0].equals("steps") && parts[2].equals("outputs")) {
            return new Output(parts[1], parts[3]);
        }
        if (parts.length == 3 && parts[0].equals("steps") && parts[2].equals("status")) {
            return new Status(parts[1]);
        }
        throw invalid(text, offset);
    }

    private static ExpressionException invalid(String text, int offset) {
        return new ExpressionException("unknown reference '" + text + "'; write params.NAME, steps.ID.outputs.NAME"
                + " or steps.ID.status", offset);
    }
}
