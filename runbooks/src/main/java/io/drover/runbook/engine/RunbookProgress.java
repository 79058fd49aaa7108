package io.drover.runbook.engine;

/** Receives the engine's live progress lines, already formatted for people. */
@FunctionalInterface
public interface RunbookProgress {
    RunbookProgress NONE = line -> { };

    void line(String text);
}
