package io.drover.runbook.expr;

import java.util.Optional;

/** Looks up referenced values during evaluation; empty when the value does not exist (yet). */
@FunctionalInterface
public interface Scope {
    Optional<String> resolve(Reference reference);
}
