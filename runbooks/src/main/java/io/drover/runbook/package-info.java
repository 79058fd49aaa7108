/**
 * Runbooks: the YAML language ({@code parse}, {@code model}, {@code expr}), the built-in actions
 * ({@code action}) and the engine that plans, runs, resumes, aborts and rolls back executions
 * journaled in the catalog ({@code engine}).
 */
package io.drover.runbook;
