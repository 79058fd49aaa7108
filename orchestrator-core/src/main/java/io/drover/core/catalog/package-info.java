/**
 * The catalog: a JDBC index (embedded H2 or PostgreSQL) of recovery points, their copies on each
 * target, verification results, backup runs and the audit log. The repositories are the source
 * of truth; {@code drover catalog rebuild} recreates the catalog from their manifests.
 */
package io.drover.core.catalog;
