/**
 * Site failover and failback generated from the business impact analysis ({@code services:} in
 * drover.yaml): every database and traffic switch of a service and of what it depends on, moved
 * in dependency order, written as an ordinary runbook the engine plans, journals and resumes.
 */
package io.drover.runbook.site;
