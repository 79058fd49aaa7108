/**
 * The runbook engine: plans without side effects, runs steps journaling every transition in the
 * catalog before acting, resumes after a crash (steps done per the journal or per {@code check} are
 * not repeated), gates steps on approvals by role, aborts, and rolls back in reverse order.
 */
package io.drover.runbook.engine;
