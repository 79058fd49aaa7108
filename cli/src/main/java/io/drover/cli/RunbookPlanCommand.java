package io.drover.cli;

import io.drover.core.model.DurationText;
import io.drover.core.spi.action.Precondition;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.PlanReport;
import io.drover.runbook.engine.RunbookProgress;
import io.drover.runbook.engine.StepPlan;
import io.drover.runbook.model.Runbook;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook plan NAME}: what a run would do, with every precondition's result now; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what 'runbook run' would do: resolved parameters, each step's action, condition, gate and",
            "rollback, and every precondition checked now. Changes nothing."})
final class RunbookPlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The runbook ('drover runbook list' shows them).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter value; repeat for several.")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            ActionRegistry actions = Runbooks.actions();
            Runbook runbook = Runbooks.library(ctx, actions).load(name, params);
            PlanReport plan = Runbooks.engine(ctx, actions, RunbookProgress.NONE).plan(runbook, params);
            if (ctx.json()) {
                ctx.printJson(RunbookJson.plan(plan));
            } else {
                print(ctx.out(), plan);
            }
            return 0;
        }
    }

    static void print(PrintWriter out, PlanReport plan) {
        out.println("runbook " + plan.runbook() + " (" + plan.source() + ")" + (plan.description().isEmpty() ? ""
                : ": " + plan.description().strip()));
        out.println("parameters: " + (plan.params().isEmpty() ? "none" : plan.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        for (StepPlan step : plan.steps()) {
            StringBuilder head = new StringBuilder();
            head.append(String.format("%3d  %-20s %-10s %s", step.stage(), step.id() + (step.parallel() ? " ∥" : ""),
                    step.action(), step.decision()));
            step.when().ifPresent(w -> head.append(" (when: ").append(w).append(')'));
            out.println(head);
            step.summary().ifPresent(s -> out.println("       " + s));
            step.approvalRole().ifPresent(r -> out.println("       approval by role " + r + " first"));
            out.println("       timeout " + DurationText.format(step.timeout()) + (step.retries() > 0 ? ", " + step.retries()
                    + " retries" : "") + step.rollback().map(r -> ", rollback: " + r.replaceFirst("^rollback: ", "")).orElse(""));
            for (Precondition p : step.preconditions()) {
                out.println("       " + (p.passed() ? "ok    " : step.afterChanges() ? "LATER " : "FAIL  ") + p.name() + ": "
                        + p.detail());
            }
            step.dataLoss().ifPresent(d -> out.println("       data loss: " + d));
            step.alreadyDone().ifPresent(d -> out.println("       already done now: " + d));
            step.note().ifPresent(n -> out.println("       note: " + n));
        }
        long failed = plan.failedPreconditions();
        long blocking = plan.blockingPreconditions();
        if (failed == 0) {
            out.println("all preconditions hold now");
        } else {
            if (blocking > 0) {
                out.println(blocking + (blocking == 1 ? " precondition fails" : " preconditions fail") + " now before anything"
                        + " changes (marked FAIL): the run would stop there");
            }
            if (failed > blocking) {
                long later = failed - blocking;
                out.println(later + (later == 1 ? " precondition does not hold now but comes" : " preconditions do not hold"
                        + " now but come") + " after steps that change things (marked LATER): each is checked again when its"
                        + " step is reached, and the run stops there if it still fails");
            }
        }
        out.flush();
    }
}
