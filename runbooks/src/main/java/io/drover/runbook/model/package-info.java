/** A parsed, validated runbook: parameters, stages of steps, conditions, gates and rollback actions. */
package io.drover.runbook.model;
