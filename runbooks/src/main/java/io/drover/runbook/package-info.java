/** Runbook language and engine: plan, check, run and undo of failover and failback steps (in progress, see the issues). */
package io.drover.runbook;
