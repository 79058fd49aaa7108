/** {@code drover.yaml}: strict loading with line/column errors, secret references, connector binding. */
package io.drover.core.config;
