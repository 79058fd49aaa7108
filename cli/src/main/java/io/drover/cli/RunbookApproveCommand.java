package io.drover.cli;

import io.drover.core.catalog.RunbookApprovalRecord;
import io.drover.runbook.engine.RunbookProgress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook approve EXEC --step ID}: passes an approval gate, as the OS user. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a step's gate as the current OS user, who must be listed under roles.ROLE in drover.yaml",
            "for the role the gate names. The waiting run continues within a second. Exit code 7 if refused."})
final class RunbookApproveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXEC", description = "The execution id.")
    long id;

    @Option(names = "--step", required = true, paramLabel = "ID", description = "The step whose gate to approve.")
    String step;

    @Option(names = "--as", paramLabel = "ROLE", description = "The role you approve in; must be the one the gate needs.")
    String role;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            RunbookApprovalRecord approval = Runbooks.engine(ctx, Runbooks.actions(), RunbookProgress.NONE)
                    .approve(id, step, Optional.ofNullable(role));
            if (ctx.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("execution", approval.executionId());
                json.put("step", approval.stepId());
                json.put("role", approval.role());
                json.put("approvedBy", approval.approvedBy());
                json.put("approvedAt", approval.approvedAt().toString());
                ctx.printJson(json);
            } else {
                ctx.out().println("approved step " + step + " of execution " + id + " as " + approval.role() + " ("
                        + approval.approvedBy() + ")");
            }
            return 0;
        }
    }
}
