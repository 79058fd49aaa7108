package io.drover.runbook.engine;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RunbookApprovalRecord;
import io.drover.core.catalog.RunbookExecutionRecord;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ConfigNode;
import io.drover.core.config.ConfigProblemReport;
import io.drover.core.error.DroverException;
import io.drover.core.model.DurationText;
import io.drover.core.repository.Json;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.ActionServices;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.expr.ExpressionException;
import io.drover.runbook.expr.Reference;
import io.drover.runbook.expr.Scope;
import io.drover.runbook.expr.Template;
import io.drover.runbook.model.ActionCall;
import io.drover.runbook.model.Parameter;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.model.Stage;
import io.drover.runbook.model.Step;
import io.drover.runbook.parse.ParamValues;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import tools.jackson.core.type.TypeReference;

/**
 * Plans, runs, resumes, aborts, approves and rolls back runbook executions. Every step transition
 * is journaled in the catalog before the engine acts on it, and every journal write is fenced by
 * the owning process, so an aborted or taken-over execution is never acted on by its old owner.
 * Within one execution the steps of a {@code parallel:} group run on virtual threads.
 */
public final class RunbookEngine {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Catalog catalog;
    private final ActionRegistry actions;
    private final ActionServices services;
    private final Clock clock;
    private final Path stateDir;
    private final Map<String, List<String>> roles;
    private final Optional<Collection<String>> databases;
    private final Function<String, String> env;
    private final RunbookProgress progress;
    private final String actor;
    private final String owner;
    private final Duration pollInterval;

    /**
     * @param roles        {@code roles:} of drover.yaml: who may approve which gates
     * @param databases    names under {@code databases:}, to check {@code database} parameters
     * @param actor        the OS user, for the journal and the audit log
     * @param pollInterval how often waits look at the catalog (approvals, aborts)
     */
    public RunbookEngine(Catalog catalog, ActionRegistry actions, ActionServices services, Clock clock, Path stateDir,
                         Map<String, List<String>> roles, Optional<Collection<String>> databases,
                         Function<String, String> env, RunbookProgress progress, String actor, Duration pollInterval) {
        this.catalog = catalog;
        this.actions = actions;
        this.services = services;
        this.clock = clock;
        this.stateDir = stateDir;
        this.roles = Map.copyOf(roles);
        this.databases = databases;
        this.env = env;
        this.progress = progress;
        this.actor = actor;
        this.owner = ProcessOwner.current();
        this.pollInterval = pollInterval;
    }

    // ---- parameters -----------------------------------------------------------------------------

    /**
     * The runbook's parameters with {@code given} values checked and defaults filled in.
     *
     * @throws DroverException {@code PARAMETER_INVALID} listing every problem
     */
    public Map<String, String> resolveParams(Runbook runbook, Map<String, String> given) {
        List<String> problems = new ArrayList<>();
        given.keySet().stream().filter(k -> !runbook.parameters().containsKey(k)).forEach(k -> problems.add(
                "--param " + k + ": runbook '" + runbook.name() + "' has no parameter '" + k + "'; parameters: "
                        + (runbook.parameters().isEmpty() ? "none" : String.join(", ", runbook.parameters().keySet()))));
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Parameter p : runbook.parameters().values()) {
            Optional<String> value = Optional.ofNullable(given.get(p.name())).or(p::defaultValue);
            if (value.isEmpty()) {
                if (p.required()) {
                    problems.add("--param " + p.name() + "=... is required (" + p.type().name().toLowerCase(Locale.ROOT)
                            + (p.description().isEmpty() ? "" : ": " + p.description()) + ")");
                } else {
                    resolved.put(p.name(), "");
                }
                continue;
            }
            Optional<String> problem = ParamValues.check(p.type(), value.get(), databases);
            if (problem.isPresent()) {
                problems.add("--param " + p.name() + ": " + problem.get());
            } else {
                resolved.put(p.name(), ParamValues.normalize(p.type(), value.get()));
            }
        }
        if (!problems.isEmpty()) {
            throw new DroverException(RunbookErrors.PARAMETER_INVALID, "invalid parameters for runbook '" + runbook.name()
                    + "'", "drover runbook plan " + runbook.name() + " --help shows how to pass them", problems, null);
        }
        return resolved;
    }

    // ---- plan -----------------------------------------------------------------------------------

    /** The plan: resolved parameters and, per step, what it would do and its preconditions now. Changes nothing. */
    public PlanReport plan(Runbook runbook, Map<String, String> given) {
        Map<String, String> params = resolveParams(runbook, given);
        Scope scope = reference -> reference instanceof Reference.Param p ? Optional.ofNullable(params.get(p.name()))
                : Optional.empty();
        List<StepPlan> steps = new ArrayList<>();
        int stageNumber = 0;
        boolean afterChanges = false;
        for (Stage stage : runbook.stages()) {
            stageNumber++;
            boolean stageChanges = false;
            for (Step step : stage.steps()) {
                StepPlan planned = planStep(runbook, step, stageNumber, stage.parallel(), scope, afterChanges);
                steps.add(planned);
                stageChanges |= planned.changes();
            }
            afterChanges |= stageChanges;
        }
        return new PlanReport(runbook.name(), runbook.description(), runbook.source(), params, steps);
    }

    private StepPlan planStep(Runbook runbook, Step step, int stage, boolean parallel, Scope scope, boolean afterChanges) {
        String decision = "run";
        if (step.when().isPresent()) {
            if (step.when().get().references().stream().anyMatch(r -> r.stepId().isPresent())) {
                decision = "decided at run time";
            } else {
                try {
                    decision = step.when().get().test(scope) ? "run" : "skip";
                } catch (ExpressionException e) {
                    decision = "error: " + e.getMessage();
                }
            }
        }
        Optional<String> summary = Optional.empty();
        List<Precondition> preconditions = List.of();
        Optional<String> dataLoss = Optional.empty();
        Optional<String> alreadyDone = Optional.empty();
        Optional<String> note = Optional.empty();
        Optional<String> rollback = step.rollback().map(r -> "rollback: " + r.action());
        boolean changes = !decision.equals("skip");
        try {
            Action action = create(step.action(), scope);
            // An action whose effect can be checked has an effect; one without (a status read, a wait) changes nothing.
            changes &= action.capabilities().contains(ActionCapability.CHECK);
            if (rollback.isEmpty()) {
                rollback = action.capabilities().contains(ActionCapability.UNDO) ? Optional.of("undo of " + step.action().action())
                        : Optional.of("none");
            }
            ActionContext context = context(0, runbook, step, step.timeout());
            ActionPlan plan = action.plan(context);
            summary = Optional.of(plan.summary());
            preconditions = plan.preconditions();
            dataLoss = plan.dataLoss();
            if (action.capabilities().contains(ActionCapability.CHECK)) {
                CheckOutcome check = action.check(context);
                alreadyDone = check.done() ? Optional.of(check.detail()) : Optional.empty();
                changes &= !check.done();
            }
        } catch (ExpressionException e) {
            note = Optional.of("its arguments use outputs of earlier steps; planned when they are known");
        } catch (ActionFailedException | DroverException e) {
            note = Optional.of("cannot plan now: " + e.getMessage());
        } catch (RuntimeException e) {
            note = Optional.of("cannot plan now: " + e);
        }
        return new StepPlan(step.id(), stage, parallel, step.action().action(), step.description(),
                step.when().map(Object::toString), decision, step.approval().map(a -> a.role()), step.timeout(),
                step.retries(), summary, preconditions, dataLoss, alreadyDone, note, rollback, changes, afterChanges);
    }

    // ---- run and resume -------------------------------------------------------------------------

    /** Journals a new execution of {@code runbook} and runs it to the end (or the first failed step). */
    public ExecutionResult run(Runbook runbook, Map<String, String> given) {
        Map<String, String> params = resolveParams(runbook, given);
        Instant now = clock.instant();
        long id = catalog.createRunbookExecution(runbook.name(), runbook.source(), runbook.text(), json(params), actor,
                owner, runbook.steps().stream().map(Step::id).toList(), now);
        catalog.audit(actor, "runbook.run", "execution " + id, runbook.name() + " " + params + " from " + runbook.source()
                + " on " + owner, now);
        progress.line(stamp() + " execution " + id + ": " + runbook.name() + " started by " + actor + " " + params);
        return drive(new Execution(id, runbook, params, new ConcurrentHashMap<>()));
    }

    /**
     * Continues a failed, aborted or crashed execution. Steps the journal shows as done are not
     * repeated; a step that was under way is checked again and run only if it is not done.
     *
     * @param force take over an execution whose process may still be alive (another host)
     */
    public ExecutionResult resume(long id, boolean force) {
        RunbookExecutionRecord record = claim(id, force, "resume", RunbookExecutionStatus.RUNNING);
        Runbook runbook = journaled(record);
        Map<String, String> params = Json.MAPPER.readValue(record.params(), STRING_MAP);
        Map<String, StepState> states = new ConcurrentHashMap<>();
        for (RunbookStepRecord step : catalog.runbookSteps(id)) {
            states.put(step.stepId(), new StepState(step.status(), Json.MAPPER.readValue(step.outputs(), STRING_MAP),
                    step.attempts()));
        }
        String done = states.entrySet().stream().filter(e -> e.getValue().status.done()).map(Map.Entry::getKey)
                .sorted().reduce((a, b) -> a + ", " + b).orElse("none");
        catalog.audit(actor, "runbook.resume", "execution " + id, record.runbook() + " (was " + record.status()
                + record.owner().map(o -> ", owned by " + o).orElse("") + "); done before: " + done, clock.instant());
        progress.line(stamp() + " execution " + id + ": " + record.runbook() + " resumed by " + actor + " (was "
                + record.status() + "); done before: " + done);
        return drive(new Execution(id, runbook, params, states));
    }

    private ExecutionResult drive(Execution execution) {
        Instant start = clock.instant();
        try {
            for (Stage stage : execution.runbook.stages()) {
                List<Step> todo = stage.steps().stream().filter(s -> !execution.state(s.id()).status.done()).toList();
                List<StepResult> results = new ArrayList<>();
                if (todo.size() == 1) {
                    results.add(runStep(execution, todo.getFirst()));
                } else if (!todo.isEmpty()) {
                    results.addAll(parallel(execution, todo));
                }
                List<StepResult.Failed> failed = results.stream().filter(r -> r instanceof StepResult.Failed)
                        .map(r -> (StepResult.Failed) r).toList();
                if (!failed.isEmpty()) {
                    String message = failed.getFirst().message();
                    finish(execution, RunbookExecutionStatus.FAILED, message, start);
                    return new ExecutionResult(execution.id, RunbookExecutionStatus.FAILED, Optional.of(message),
                            failed.getFirst().details(), Duration.between(start, clock.instant()));
                }
            }
            finish(execution, RunbookExecutionStatus.SUCCEEDED, "", start);
            return new ExecutionResult(execution.id, RunbookExecutionStatus.SUCCEEDED, Optional.empty(), List.of(),
                    Duration.between(start, clock.instant()));
        } catch (ExecutionLostException e) {
            progress.line(stamp() + " execution " + execution.id + ": stopped: " + e.getMessage());
            RunbookExecutionStatus now = catalog.runbookExecution(execution.id).map(RunbookExecutionRecord::status)
                    .orElse(RunbookExecutionStatus.ABORTED);
            return new ExecutionResult(execution.id, now, Optional.of(e.getMessage()), List.of(),
                    Duration.between(start, clock.instant()));
        }
    }

    private List<StepResult> parallel(Execution execution, List<Step> steps) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StepResult>> futures = steps.stream().map(s -> pool.submit(() -> runStep(execution, s))).toList();
            List<StepResult> results = new ArrayList<>();
            ExecutionLostException lost = null;
            for (Future<StepResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ExecutionLostException l) {
                        lost = l;
                    } else if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExecutionLostException("interrupted");
                }
            }
            if (lost != null) {
                throw lost;
            }
            return results;
        }
    }

    private void finish(Execution execution, RunbookExecutionStatus status, String message, Instant start) {
        Duration took = Duration.between(start, clock.instant());
        Optional<RunbookExecutionRecord> before = catalog.updateRunbookExecution(execution.id, (s, o) -> o.equals(Optional.of(owner)),
                status, Optional.empty(), message.isEmpty() ? Optional.empty() : Optional.of(message), clock.instant(), actor,
                message);
        if (before.isEmpty()) {
            throw new ExecutionLostException("the execution was aborted or taken over by another process");
        }
        catalog.audit(actor, "runbook.finish", "execution " + execution.id, execution.runbook.name() + " " + status
                + " after " + DurationText.format(took) + (message.isEmpty() ? "" : ": " + message), clock.instant());
        progress.line(stamp() + " execution " + execution.id + ": " + status + " in " + seconds(took)
                + (message.isEmpty() ? "" : ": " + message));
    }

    private StepResult runStep(Execution execution, Step step) {
        StepState state = execution.state(step.id());
        Scope scope = execution.scope();
        if (step.when().isPresent()) {
            boolean go;
            try {
                go = step.when().get().test(scope);
            } catch (ExpressionException e) {
                String message = step.id() + ": cannot evaluate when: " + step.when().get() + ": " + e.getMessage();
                journal(execution, step, RunbookStepStatus.FAILED, state.attempts, Optional.empty(), message);
                return new StepResult.Failed(message, List.of());
            }
            if (!go) {
                String reason = "when: " + step.when().get() + " is false";
                journal(execution, step, RunbookStepStatus.SKIPPED, state.attempts, Optional.empty(), reason);
                progress.line(stamp() + " [" + step.id() + "] skipped: " + reason);
                return new StepResult.Skipped(reason);
            }
        }
        if (step.approval().isPresent()) {
            Optional<StepResult.Failed> refused = awaitApproval(execution, step);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        int maxAttempts = step.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            state.attempts++;
            Instant started = clock.instant();
            journal(execution, step, RunbookStepStatus.RUNNING, state.attempts, Optional.empty(),
                    "attempt " + attempt + " of " + maxAttempts);
            progress.line(stamp() + " [" + step.id() + "] running " + step.action().action()
                    + (maxAttempts > 1 ? " (attempt " + attempt + "/" + maxAttempts + ")" : ""));
            Attempt outcome = attempt(execution, step);
            Duration took = Duration.between(started, clock.instant());
            switch (outcome) {
                case Attempt.Done done -> {
                    state.outputs = done.outputs().values();
                    String message = done.alreadyDone() ? "already done: " + done.detail() : "";
                    journal(execution, step, RunbookStepStatus.SUCCEEDED, state.attempts, Optional.of(json(state.outputs)),
                            message);
                    catalog.audit(actor, "runbook.step", "execution " + execution.id + " step " + step.id(),
                            "SUCCEEDED in " + seconds(took) + " (attempt " + attempt + ")" + (message.isEmpty() ? "" : "; " + message)
                                    // An action's word for the audit log, e.g. why a promotion was forced.
                                    + (state.outputs.containsKey("audit") ? "; " + state.outputs.get("audit") : ""),
                            clock.instant());
                    progress.line(stamp() + " [" + step.id() + "] " + (done.alreadyDone() ? "already done (" + done.detail()
                            + ")" : "succeeded") + " in " + seconds(took));
                    return new StepResult.Succeeded(done.outputs(), done.alreadyDone());
                }
                case Attempt.Error error -> {
                    String message = step.id() + ": " + error.message();
                    if (attempt < maxAttempts) {
                        journal(execution, step, RunbookStepStatus.FAILED, state.attempts, Optional.empty(),
                                "attempt " + attempt + " failed: " + error.message() + "; retrying in "
                                        + DurationText.format(step.retryDelay()));
                        progress.line(stamp() + " [" + step.id() + "] attempt " + attempt + " failed: " + error.message()
                                + "; retrying in " + DurationText.format(step.retryDelay()));
                        error.details().forEach(d -> progress.line("    " + d));
                        pause(execution, step.retryDelay());
                        continue;
                    }
                    journal(execution, step, RunbookStepStatus.FAILED, state.attempts, Optional.empty(), error.message());
                    catalog.audit(actor, "runbook.step", "execution " + execution.id + " step " + step.id(),
                            "FAILED in " + seconds(took) + " (attempt " + attempt + "): " + error.message(), clock.instant());
                    progress.line(stamp() + " [" + step.id() + "] failed: " + error.message());
                    error.details().forEach(d -> progress.line("    " + d));
                    return new StepResult.Failed(message, error.details());
                }
            }
        }
    }

    /** The outcome of one attempt at a step. */
    private sealed interface Attempt {
        record Done(ActionOutputs outputs, boolean alreadyDone, String detail) implements Attempt {
        }

        record Error(String message, List<String> details) implements Attempt {
        }
    }

    private Attempt attempt(Execution execution, Step step) {
        Action action;
        try {
            action = create(step.action(), execution.scope());
        } catch (ExpressionException | DroverException e) {
            return new Attempt.Error(e.getMessage(), e instanceof DroverException d ? d.details() : List.of());
        }
        ActionContext context = context(execution.id, execution.runbook, step, step.timeout());
        return withDeadline(execution, context, step.timeout(), () -> {
            if (action.capabilities().contains(ActionCapability.CHECK)) {
                CheckOutcome check = action.check(context);
                if (check.done()) {
                    return new Attempt.Done(check.outputs(), true, check.detail());
                }
            }
            List<Precondition> failed = action.plan(context).failed();
            if (!failed.isEmpty()) {
                return new Attempt.Error("precondition failed: " + failed.stream().map(p -> p.name() + " (" + p.detail() + ")")
                        .reduce((a, b) -> a + "; " + b).orElseThrow(), List.of());
            }
            return new Attempt.Done(action.run(context), false, "");
        }, e -> new Attempt.Error(e.getMessage(), e instanceof ActionFailedException a ? a.details() : List.of()));
    }

    /**
     * Runs {@code work} on a virtual thread until it ends or the context's deadline passes, looking
     * every poll interval whether this process still owns the execution (else it interrupts the work
     * and stops).
     */
    private <T> T withDeadline(Execution execution, ActionContext context, Duration timeout, Callable<T> work,
                               Function<RuntimeException, T> onFailure) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<T> future = pool.submit(work);
            while (true) {
                Duration left = Duration.between(clock.instant(), context.deadline());
                try {
                    return future.get(Math.max(1, Math.min(left.toMillis(), pollInterval.toMillis())), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!clock.instant().isBefore(context.deadline())) {
                        future.cancel(true);
                        return onFailure.apply(new ActionFailedException("timed out: the step's timeout of "
                                + DurationText.format(timeout) + " ran out; the action was interrupted"));
                    }
                    if (!owned(execution.id)) {
                        future.cancel(true);
                        throw new ExecutionLostException("the execution was aborted or taken over by another process");
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof ExecutionLostException lost) {
                        throw lost;
                    }
                    if (cause instanceof InterruptedException) {
                        return onFailure.apply(new ActionFailedException("interrupted"));
                    }
                    if (cause instanceof ActionFailedException || cause instanceof DroverException) {
                        return onFailure.apply((RuntimeException) cause);
                    }
                    // A bug in an action must still end the step readably.
                    return onFailure.apply(new ActionFailedException("the action failed unexpectedly: " + cause, List.of(), cause));
                } catch (InterruptedException e) {
                    future.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new ExecutionLostException("interrupted");
                }
            }
        }
    }

    private boolean owned(long id) {
        return catalog.runbookExecution(id).map(r -> r.owner().equals(Optional.of(owner))).orElse(false);
    }

    /** Waits {@code delay}, stopping early if the execution is lost. */
    private void pause(Execution execution, Duration delay) {
        Instant end = clock.instant().plus(delay);
        while (clock.instant().isBefore(end)) {
            sleep(Duration.ofMillis(Math.min(pollInterval.toMillis(), Duration.between(clock.instant(), end).toMillis() + 1)));
            if (!owned(execution.id)) {
                throw new ExecutionLostException("the execution was aborted or taken over by another process");
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionLostException("interrupted");
        }
    }

    // ---- approvals ------------------------------------------------------------------------------

    /** Waits until the step's gate is approved; empty when it is, a failure when the wait timed out. */
    private Optional<StepResult.Failed> awaitApproval(Execution execution, Step step) {
        if (approval(execution.id, step.id()).isPresent()) {
            return Optional.empty();
        }
        String role = step.approval().get().role();
        StepState state = execution.state(step.id());
        journal(execution, step, RunbookStepStatus.WAITING_APPROVAL, state.attempts, Optional.empty(), "needs role " + role);
        setStatus(execution, RunbookExecutionStatus.WAITING_APPROVAL, "step " + step.id() + " waits for approval by " + role);
        List<String> users = roles.getOrDefault(role, List.of());
        progress.line(stamp() + " [" + step.id() + "] waiting for approval by role " + role + " (" + (users.isEmpty()
                ? "nobody is in it: add users under roles: in drover.yaml" : String.join(", ", users)) + "): drover runbook approve "
                + execution.id + " --step " + step.id());
        Instant start = clock.instant();
        Optional<Duration> timeout = step.approval().get().timeout();
        while (true) {
            Optional<RunbookApprovalRecord> approved = approval(execution.id, step.id());
            if (approved.isPresent()) {
                setStatus(execution, RunbookExecutionStatus.RUNNING, "");
                progress.line(stamp() + " [" + step.id() + "] approved by " + approved.get().approvedBy() + " as "
                        + approved.get().role());
                return Optional.empty();
            }
            if (!owned(execution.id)) {
                throw new ExecutionLostException("the execution was aborted or taken over by another process");
            }
            if (timeout.isPresent() && !clock.instant().isBefore(start.plus(timeout.get()))) {
                String message = step.id() + ": no approval by role " + role + " within " + DurationText.format(timeout.get());
                setStatus(execution, RunbookExecutionStatus.RUNNING, "");
                journal(execution, step, RunbookStepStatus.FAILED, state.attempts, Optional.empty(), message);
                progress.line(stamp() + " [" + step.id() + "] " + message);
                return Optional.of(new StepResult.Failed(message, List.of()));
            }
            sleep(pollInterval);
        }
    }

    private Optional<RunbookApprovalRecord> approval(long id, String stepId) {
        return catalog.runbookApprovals(id).stream().filter(a -> a.stepId().equals(stepId)).findFirst();
    }

    private void setStatus(Execution execution, RunbookExecutionStatus status, String detail) {
        Optional<RunbookExecutionRecord> before = catalog.updateRunbookExecution(execution.id,
                (s, o) -> o.equals(Optional.of(owner)) && (s == RunbookExecutionStatus.RUNNING
                        || s == RunbookExecutionStatus.WAITING_APPROVAL), status, Optional.of(owner), Optional.empty(),
                clock.instant(), actor, detail);
        if (before.isEmpty()) {
            throw new ExecutionLostException("the execution was aborted or taken over by another process");
        }
    }

    /**
     * Approves the gate of {@code stepId} as the engine's actor. {@code asRole}, if given, must be the
     * role the gate needs; the actor must be listed under it in {@code roles:}.
     */
    public RunbookApprovalRecord approve(long id, String stepId, Optional<String> asRole) {
        RunbookExecutionRecord record = execution(id);
        if (record.status().finished() || record.status() == RunbookExecutionStatus.ROLLING_BACK
                || record.status() == RunbookExecutionStatus.ROLLBACK_FAILED) {
            throw conflict("execution " + id + " is " + record.status() + "; there is nothing to approve", null);
        }
        Runbook runbook = journaled(record);
        Step step = runbook.step(stepId).orElseThrow(() -> new DroverException(RunbookErrors.STEP_NOT_FOUND,
                "execution " + id + " (" + runbook.name() + ") has no step '" + stepId + "'", "steps with approval gates: "
                + gates(runbook), List.of(), null));
        if (step.approval().isEmpty()) {
            throw conflict("step '" + stepId + "' of execution " + id + " has no approval gate", "steps with approval gates: "
                    + gates(runbook));
        }
        String role = step.approval().get().role();
        if (asRole.isPresent() && !asRole.get().equals(role)) {
            throw refused("step '" + stepId + "' needs approval by role " + role + ", not " + asRole.get(), null);
        }
        List<String> members = roles.getOrDefault(role, List.of());
        if (!members.contains(actor)) {
            catalog.audit(actor, "runbook.approve.refused", "execution " + id + " step " + stepId, "not in role " + role,
                    clock.instant());
            throw refused(actor + " may not approve step '" + stepId + "': it needs role " + role + ", whose members are "
                    + (members.isEmpty() ? "nobody" : String.join(", ", members)), "ask one of them, or add " + actor
                    + " to roles." + role + " in drover.yaml");
        }
        Optional<RunbookStepRecord> stepRecord = catalog.runbookSteps(id).stream().filter(s -> s.stepId().equals(stepId)).findFirst();
        if (stepRecord.isPresent() && stepRecord.get().status().done()) {
            throw conflict("step '" + stepId + "' of execution " + id + " is already " + stepRecord.get().status(), null);
        }
        RunbookApprovalRecord approval = new RunbookApprovalRecord(id, stepId, role, actor, clock.instant());
        if (!catalog.approveRunbookStep(approval)) {
            RunbookApprovalRecord existing = approval(id, stepId).orElseThrow();
            throw conflict("step '" + stepId + "' of execution " + id + " was already approved by " + existing.approvedBy()
                    + " at " + existing.approvedAt(), null);
        }
        catalog.audit(actor, "runbook.approve", "execution " + id + " step " + stepId, "approved as " + role, approval.approvedAt());
        return approval;
    }

    private static String gates(Runbook runbook) {
        List<String> ids = runbook.steps().stream().filter(s -> s.approval().isPresent()).map(Step::id).toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    // ---- abort and rollback ---------------------------------------------------------------------

    /**
     * Stops an execution: it becomes ABORTED with no owner, so its process (if alive) can journal
     * nothing more and stops within a poll interval, interrupting the running action.
     */
    public RunbookExecutionRecord abort(long id, String reason) {
        RunbookExecutionRecord record = execution(id);
        Optional<RunbookExecutionRecord> before = catalog.updateRunbookExecution(id, (s, o) -> s == RunbookExecutionStatus.RUNNING
                || s == RunbookExecutionStatus.WAITING_APPROVAL || s == RunbookExecutionStatus.ROLLING_BACK
                || s == RunbookExecutionStatus.FAILED, RunbookExecutionStatus.ABORTED, Optional.empty(),
                Optional.of("aborted by " + actor + (reason.isEmpty() ? "" : ": " + reason)), clock.instant(), actor, reason);
        if (before.isEmpty()) {
            throw conflict("execution " + id + " is " + record.status() + " and cannot be aborted", null);
        }
        catalog.audit(actor, "runbook.abort", "execution " + id, record.runbook() + " was " + before.get().status()
                + (reason.isEmpty() ? "" : ": " + reason), clock.instant());
        return before.get();
    }

    /**
     * Undoes the succeeded steps of an execution in reverse order: a step's {@code rollback:} action
     * if it has one, else its action's undo; steps with neither are reported, not undone. Stops at
     * the first failed undo (ROLLBACK_FAILED); rolling back again continues from there.
     */
    public ExecutionResult rollback(long id, boolean force) {
        Instant start = clock.instant();
        RunbookExecutionRecord record = claim(id, force, "rollback", RunbookExecutionStatus.ROLLING_BACK);
        Runbook runbook = journaled(record);
        Map<String, String> params = Json.MAPPER.readValue(record.params(), STRING_MAP);
        Map<String, StepState> states = new ConcurrentHashMap<>();
        List<RunbookStepRecord> steps = catalog.runbookSteps(id);
        steps.forEach(s -> states.put(s.stepId(), new StepState(s.status(), Json.MAPPER.readValue(s.outputs(), STRING_MAP),
                s.attempts())));
        Execution execution = new Execution(id, runbook, params, states);
        catalog.audit(actor, "runbook.rollback", "execution " + id, record.runbook() + " (was " + record.status() + ")",
                clock.instant());
        progress.line(stamp() + " execution " + id + ": rolling back " + record.runbook() + " (was " + record.status() + ")");
        List<String> notUndone = new ArrayList<>();
        try {
            for (RunbookStepRecord stepRecord : steps.reversed()) {
                if (stepRecord.status() != RunbookStepStatus.SUCCEEDED) {
                    continue;
                }
                Step step = runbook.step(stepRecord.stepId()).orElseThrow();
                Optional<String> failure = undo(execution, step, notUndone);
                if (failure.isPresent()) {
                    finishRollback(execution, RunbookExecutionStatus.ROLLBACK_FAILED, failure.get(), start);
                    return new ExecutionResult(id, RunbookExecutionStatus.ROLLBACK_FAILED, failure, List.of(),
                            Duration.between(start, clock.instant()));
                }
            }
        } catch (ExecutionLostException e) {
            return new ExecutionResult(id, catalog.runbookExecution(id).orElseThrow().status(), Optional.of(e.getMessage()),
                    List.of(), Duration.between(start, clock.instant()));
        }
        String message = notUndone.isEmpty() ? "" : "not undone (no rollback: and no undo): " + String.join(", ", notUndone);
        finishRollback(execution, RunbookExecutionStatus.ROLLED_BACK, message, start);
        return new ExecutionResult(id, RunbookExecutionStatus.ROLLED_BACK, message.isEmpty() ? Optional.empty()
                : Optional.of(message), List.of(), Duration.between(start, clock.instant()));
    }

    private Optional<String> undo(Execution execution, Step step, List<String> notUndone) {
        StepState state = execution.state(step.id());
        Action action;
        boolean viaRollback = step.rollback().isPresent();
        try {
            action = create(viaRollback ? step.rollback().get() : step.action(), execution.scope());
        } catch (ExpressionException | DroverException e) {
            String message = step.id() + ": cannot prepare the undo: " + e.getMessage();
            journal(execution, step, RunbookStepStatus.ROLLBACK_FAILED, state.attempts, Optional.empty(), message);
            return Optional.of(message);
        }
        if (!viaRollback && !action.capabilities().contains(ActionCapability.UNDO)) {
            notUndone.add(step.id());
            progress.line(stamp() + " [" + step.id() + "] left as is: no rollback: and " + step.action().action()
                    + " cannot undo");
            return Optional.empty();
        }
        journal(execution, step, RunbookStepStatus.RUNNING, state.attempts, Optional.empty(), "rolling back");
        progress.line(stamp() + " [" + step.id() + "] rolling back with " + (viaRollback ? step.rollback().get().action()
                : "undo of " + step.action().action()));
        ActionContext context = context(execution.id, execution.runbook, step, step.timeout());
        ActionOutputs outputs = ActionOutputs.of(state.outputs);
        Attempt outcome = withDeadline(execution, context, step.timeout(), () -> {
            if (viaRollback) {
                if (action.capabilities().contains(ActionCapability.CHECK) && action.check(context).done()) {
                    return new Attempt.Done(ActionOutputs.NONE, true, "rollback already done");
                }
                action.run(context);
            } else {
                action.undo(context, outputs);
            }
            return new Attempt.Done(ActionOutputs.NONE, false, "");
        }, e -> new Attempt.Error(e.getMessage(), e instanceof ActionFailedException a ? a.details() : List.of()));
        return switch (outcome) {
            case Attempt.Done done -> {
                journal(execution, step, RunbookStepStatus.ROLLED_BACK, state.attempts, Optional.empty(), done.detail());
                progress.line(stamp() + " [" + step.id() + "] rolled back");
                yield Optional.empty();
            }
            case Attempt.Error error -> {
                String message = step.id() + ": rollback failed: " + error.message();
                journal(execution, step, RunbookStepStatus.ROLLBACK_FAILED, state.attempts, Optional.empty(), message);
                progress.line(stamp() + " [" + step.id() + "] " + message);
                error.details().forEach(d -> progress.line("    " + d));
                yield Optional.of(message);
            }
        };
    }

    private void finishRollback(Execution execution, RunbookExecutionStatus status, String message, Instant start) {
        Duration took = Duration.between(start, clock.instant());
        catalog.updateRunbookExecution(execution.id, (s, o) -> o.equals(Optional.of(owner)), status, Optional.empty(),
                message.isEmpty() ? Optional.empty() : Optional.of(message), clock.instant(), actor, message);
        catalog.audit(actor, "runbook.rollback.finish", "execution " + execution.id, status + " after "
                + DurationText.format(took) + (message.isEmpty() ? "" : ": " + message), clock.instant());
        progress.line(stamp() + " execution " + execution.id + ": " + status + " in " + seconds(took)
                + (message.isEmpty() ? "" : ": " + message));
    }

    // ---- shared -----------------------------------------------------------------------------------

    /**
     * Takes an execution over for {@code purpose}, atomically: it must not be finished, and no live
     * process may drive it (unless forced).
     */
    private RunbookExecutionRecord claim(long id, boolean force, String purpose, RunbookExecutionStatus to) {
        RunbookExecutionRecord record = execution(id);
        boolean allowed = switch (record.status()) {
            case ROLLED_BACK -> false;
            case SUCCEEDED, ROLLING_BACK, ROLLBACK_FAILED -> purpose.equals("rollback");
            case RUNNING, WAITING_APPROVAL, FAILED, ABORTED -> true;
        };
        if (!allowed) {
            throw conflict("execution " + id + " (" + record.runbook() + ") is " + record.status() + "; it cannot be "
                    + (purpose.equals("resume") ? "resumed" : "rolled back"), record.status() == RunbookExecutionStatus.SUCCEEDED
                    ? "'drover runbook rollback " + id + "' undoes it" : null);
        }
        if (record.owner().isPresent() && ProcessOwner.mayBeAlive(record.owner().get()) && !force) {
            throw conflict("execution " + id + " is being run by " + record.owner().get() + ", which "
                    + (ProcessOwner.onThisHost(record.owner().get()) ? "is still alive" : "may still be alive (another host)"),
                    "wait for it, 'drover runbook abort " + id + "' it, or take it over with --force if that process is gone");
        }
        Optional<RunbookExecutionRecord> before = catalog.updateRunbookExecution(id,
                (s, o) -> s == record.status() && o.equals(record.owner()), to, Optional.of(owner), Optional.empty(),
                clock.instant(), actor, purpose + " by " + actor + record.owner().map(o -> " (previous owner " + o + ")").orElse(""));
        if (before.isEmpty()) {
            throw conflict("execution " + id + " changed while taking it over; try again", null);
        }
        return record;
    }

    private RunbookExecutionRecord execution(long id) {
        return catalog.runbookExecution(id).orElseThrow(() -> new DroverException(RunbookErrors.EXECUTION_NOT_FOUND,
                "no runbook execution " + id, "'drover runbook status' lists executions", List.of(), null));
    }

    /** The runbook as journaled with the execution: resume and rollback use exactly what ran. */
    private Runbook journaled(RunbookExecutionRecord record) {
        RunbookParser parser = new RunbookParser(actions, Optional.empty(), env);
        RunbookParser.Result result = parser.parse(Path.of(record.source()), record.source(), record.definition(),
                Optional.empty());
        return result.runbook().orElseThrow(() -> new DroverException(RunbookErrors.RUNBOOK_INVALID, "the runbook '"
                + record.runbook() + "' journaled with execution " + record.id() + " is no longer valid here",
                "an action it uses may be missing from this installation", result.problems().stream()
                .map(ConfigProblemReport::toString).toList(), null));
    }

    private static DroverException conflict(String message, String hint) {
        return new DroverException(RunbookErrors.EXECUTION_CONFLICT, message, hint, List.of(), null);
    }

    private static DroverException refused(String message, String hint) {
        return new DroverException(RunbookErrors.APPROVAL_REFUSED, message, hint, List.of(), null);
    }

    /** Substitutes references in the call's {@code with:}, binds it and creates the action. */
    private Action create(ActionCall call, Scope scope) {
        ActionFactory<?> factory = actions.find(call.action()).orElseThrow(() -> new DroverException(
                RunbookErrors.RUNBOOK_INVALID, "unknown action '" + call.action() + "'; available: "
                + String.join(", ", actions.types())));
        return create(factory, render(call.with(), scope), call);
    }

    private <C extends Record> Action create(ActionFactory<C> factory, ConfigNode with, ActionCall call) {
        ConfigBinder binder = new ConfigBinder(Path.of(call.path()), env);
        BindResult<C> bound = binder.bind(with, factory.configType(), call.path());
        if (!bound.ok()) {
            throw new DroverException(RunbookErrors.RUNBOOK_INVALID, "invalid arguments for action " + call.action()
                    + " at line " + call.location().line() + " once references were substituted", null,
                    bound.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message()).toList(),
                    null);
        }
        List<ConfigProblem> problems = factory.validate(bound.value());
        if (!problems.isEmpty()) {
            throw new DroverException(RunbookErrors.RUNBOOK_INVALID, "invalid arguments for action " + call.action(), null,
                    problems.stream().map(p -> (p.field().isEmpty() ? "" : p.field() + ": ") + p.message()).toList(), null);
        }
        return factory.create(bound.value());
    }

    private static ConfigNode render(ConfigNode node, Scope scope) {
        return switch (node) {
            case ConfigNode.ScalarNode s -> new ConfigNode.ScalarNode(Template.render(s.text(), scope), s.location());
            case ConfigNode.MapNode m -> {
                Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
                m.entries().forEach((k, e) -> entries.put(k, new ConfigNode.Entry(k, e.keyLocation(), render(e.value(), scope))));
                yield new ConfigNode.MapNode(entries, m.location());
            }
            case ConfigNode.ListNode l -> new ConfigNode.ListNode(l.items().stream().map(i -> render(i, scope)).toList(),
                    l.location());
            case ConfigNode.NullNode n -> n;
        };
    }

    private ActionContext context(long id, Runbook runbook, Step step, Duration timeout) {
        return new ActionContext(id, step.id(), runbook.name(), clock.instant().plus(timeout), clock, stateDir,
                line -> progress.line(stamp() + " [" + step.id() + "] " + line), services);
    }

    private void journal(Execution execution, Step step, RunbookStepStatus status, int attempts, Optional<String> outputs,
                         String message) {
        execution.state(step.id()).status = status;
        if (!catalog.journalRunbookStep(execution.id, owner, step.id(), status, attempts, outputs,
                message.isEmpty() ? Optional.empty() : Optional.of(message), clock.instant(), actor)) {
            throw new ExecutionLostException("the execution was aborted or taken over by another process");
        }
    }

    private String stamp() {
        return TIME.format(clock.instant());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static String json(Map<String, String> values) {
        return Json.MAPPER.writeValueAsString(values);
    }

    /** What this process knows about one step of the execution it drives. */
    private static final class StepState {
        volatile RunbookStepStatus status;
        volatile Map<String, String> outputs;
        volatile int attempts;

        StepState(RunbookStepStatus status, Map<String, String> outputs, int attempts) {
            this.status = status;
            this.outputs = Map.copyOf(outputs);
            this.attempts = attempts;
        }
    }

    /** The execution this process drives. */
    private static final class Execution {
        final long id;
        final Runbook runbook;
        final Map<String, String> params;
        final Map<String, StepState> states;

        Execution(long id, Runbook runbook, Map<String, String> params, Map<String, StepState> states) {
            this.id = id;
            this.runbook = runbook;
            this.params = Map.copyOf(params);
            this.states = states;
            runbook.steps().forEach(s -> states.putIfAbsent(s.id(), new StepState(RunbookStepStatus.PENDING, Map.of(), 0)));
        }

        StepState state(String stepId) {
            return states.get(stepId);
        }

        Scope scope() {
            return reference -> switch (reference) {
                case Reference.Param p -> Optional.ofNullable(params.get(p.name()));
                case Reference.Output o -> Optional.ofNullable(states.get(o.step())).map(s -> s.outputs.get(o.name()));
                case Reference.Status s -> Optional.ofNullable(states.get(s.step()))
                        .map(st -> st.status.name().toLowerCase(Locale.ROOT));
            };
        }
    }
}
