package io.drover.cli;

import io.drover.core.catalog.RunbookApprovalRecord;
import io.drover.core.catalog.RunbookExecutionRecord;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.repository.Json;
import io.drover.runbook.engine.ExecutionResult;
import io.drover.runbook.engine.PlanReport;
import io.drover.runbook.engine.StepPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the runbook commands (documented in the README; scripts depend on them). */
final class RunbookJson {
    private RunbookJson() {
    }

    static Map<String, Object> plan(PlanReport plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runbook", plan.runbook());
        json.put("description", plan.description());
        json.put("source", plan.source());
        json.put("params", plan.params());
        json.put("failedPreconditions", plan.failedPreconditions());
        json.put("steps", plan.steps().stream().map(RunbookJson::step).toList());
        return json;
    }

    private static Map<String, Object> step(StepPlan s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", s.id());
        json.put("stage", s.stage());
        json.put("parallel", s.parallel());
        json.put("action", s.action());
        json.put("description", s.description());
        json.put("when", s.when().orElse(null));
        json.put("decision", s.decision());
        json.put("approvalRole", s.approvalRole().orElse(null));
        json.put("timeoutSeconds", s.timeout().toSeconds());
        json.put("retries", s.retries());
        json.put("summary", s.summary().orElse(null));
        json.put("preconditions", s.preconditions().stream().map(p -> {
            Map<String, Object> pj = new LinkedHashMap<>();
            pj.put("name", p.name());
            pj.put("passed", p.passed());
            pj.put("detail", p.detail());
            return pj;
        }).toList());
        json.put("dataLoss", s.dataLoss().orElse(null));
        json.put("alreadyDone", s.alreadyDone().orElse(null));
        json.put("note", s.note().orElse(null));
        json.put("rollback", s.rollback().orElse(null));
        json.put("changes", s.changes());
        json.put("afterChanges", s.afterChanges());
        return json;
    }

    static Map<String, Object> result(ExecutionResult r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("execution", r.id());
        json.put("status", r.status().name());
        json.put("message", r.message().orElse(null));
        json.put("details", r.details());
        json.put("elapsedMillis", r.elapsed().toMillis());
        return json;
    }

    static Map<String, Object> execution(RunbookExecutionRecord e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("execution", e.id());
        json.put("runbook", e.runbook());
        json.put("status", e.status().name());
        json.put("actor", e.actor());
        json.put("owner", e.owner().orElse(null));
        json.put("source", e.source());
        json.put("params", Json.MAPPER.readValue(e.params(), Map.class));
        json.put("startedAt", e.startedAt().toString());
        json.put("updatedAt", e.updatedAt().toString());
        json.put("finishedAt", e.finishedAt().map(Object::toString).orElse(null));
        json.put("message", e.message().orElse(null));
        return json;
    }

    static Map<String, Object> detail(RunbookExecutionRecord e, List<RunbookStepRecord> steps,
                                      List<RunbookApprovalRecord> approvals) {
        Map<String, Object> json = execution(e);
        json.put("steps", steps.stream().map(s -> {
            Map<String, Object> sj = new LinkedHashMap<>();
            sj.put("id", s.stepId());
            sj.put("status", s.status().name());
            sj.put("attempts", s.attempts());
            sj.put("startedAt", s.startedAt().map(Object::toString).orElse(null));
            sj.put("finishedAt", s.finishedAt().map(Object::toString).orElse(null));
            sj.put("outputs", Json.MAPPER.readValue(s.outputs(), Map.class));
            sj.put("message", s.message().orElse(null));
            return sj;
        }).toList());
        json.put("approvals", approvals.stream().map(a -> {
            Map<String, Object> aj = new LinkedHashMap<>();
            aj.put("step", a.stepId());
            aj.put("role", a.role());
            aj.put("approvedBy", a.approvedBy());
            aj.put("approvedAt", a.approvedAt().toString());
            return aj;
        }).toList());
        return json;
    }
}
