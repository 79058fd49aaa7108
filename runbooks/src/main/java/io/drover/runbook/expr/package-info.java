/**
 * The small, safe expression language of {@code when:} and the {@code ${...}} references of
 * {@code with:}: parameters, step outputs and step statuses, literals, comparisons and
 * {@code && || !}. No scripting engine, no method calls, nothing that reaches outside the execution.
 */
package io.drover.runbook.expr;
