/**
 * The daemon's scheduler: Quartz on a JDBC JobStore in the catalog database (clustered on
 * PostgreSQL), the jobs it fires (backup, verify, prune, RPO evaluation), a record of every
 * execution, node heartbeats with clock-skew checks, and the metrics and health endpoints.
 */
package io.drover.core.scheduler;
