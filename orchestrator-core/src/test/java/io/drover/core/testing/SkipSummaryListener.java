package io.drover.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a module's test run, every test that was skipped or aborted (a missing
 * service) and why, so a green build never hides what was not tested. Registered through
 * META-INF/services in core's test-jar, so every module that uses the test-jar prints it too.
 */
public final class SkipSummaryListener implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        skipped.add(test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            skipped.add(test.getDisplayName() + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipped.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("drover: " + skipped.size() + " test(s) skipped"
                + (TestServices.skipDisallowed() ? "" : " (set -Ddrover.test.disallowSkip=true to make them fail)") + ":");
        skipped.forEach(line -> System.out.println("  - " + line));
        System.out.println();
    }
}
