/**
 * RPO tracking: how old each service's newest usable recovery point is, judged against the
 * service's target from the business impact analysis, with state changes recorded in the catalog.
 */
package io.drover.core.rpo;
