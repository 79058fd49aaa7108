package io.drover.runbook.action;

import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a probe until it succeeds, its own timeout passes, or the step's deadline passes. */
final class Waits {
    private Waits() {
    }

    /** The outcome of one probe: success, or why not yet. */
    record Probe(boolean ok, String detail) {
    }

    /** The probe that succeeded and how many probes it took. */
    record Waited(Probe probe, int attempts) {
    }

    static Waited until(ActionContext context, Duration timeout, Duration interval, String what, Supplier<Probe> probe)
            throws InterruptedException {
        Instant start = context.clock().instant();
        Instant end = start.plus(timeout).isBefore(context.deadline()) ? start.plus(timeout) : context.deadline();
        Probe last;
        int attempt = 0;
        while (true) {
            last = probe.get();
            attempt++;
            if (last.ok()) {
                return new Waited(last, attempt);
            }
            Instant now = context.clock().instant();
            if (!now.plus(interval).isBefore(end)) {
                throw new ActionFailedException(what + " not ready after " + Duration.between(start, now).toSeconds()
                        + "s (" + attempt + " attempts): " + last.detail());
            }
            if (attempt == 1 || attempt % 10 == 0) {
                context.log().accept("waiting for " + what + ": " + last.detail());
            }
            Thread.sleep(interval);
        }
    }
}
