package io.drover.core.spi.action;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an action would do, computed without side effects.
 *
 * @param summary       one line, e.g. {@code run [pg_ctl, promote, -D, /var/lib/pg]}
 * @param preconditions what must hold, each with its result now; the engine re-checks them right
 *                      before running and fails the attempt if one does not hold
 * @param dataLoss      the data this action would lose, if any, e.g. {@code up to 3s of writes}
 */
public record ActionPlan(String summary, List<Precondition> preconditions, Optional<String> dataLoss) {
    public ActionPlan {
        Objects.requireNonNull(summary, "summary");
        preconditions = List.copyOf(preconditions);
        Objects.requireNonNull(dataLoss, "dataLoss");
    }

    public static ActionPlan of(String summary, Precondition... preconditions) {
        return new ActionPlan(summary, List.of(preconditions), Optional.empty());
    }

    /** The preconditions that do not hold now. */
    public List<Precondition> failed() {
        return preconditions.stream().filter(p -> !p.passed()).toList();
    }
}
