package io.drover.runbook.model;

/** The type of a runbook parameter; values are checked against it before anything runs. */
public enum ParamType {
    STRING,
    INT,
    /** {@code 90s}, {@code 10m}, {@code 2h30m}, ISO-8601, as in drover.yaml. */
    DURATION,
    BOOL,
    /** The name of an entry under {@code databases:} in drover.yaml. */
    DATABASE,
    /** The name of a traffic switch; checked against {@code traffic:} once that section exists (phase 2). */
    TRAFFIC
}
