/**
 * Reading runbooks: YAML through core's located config tree, validated strictly with every
 * problem's file, line and column, and found in the configured directories and on the class path.
 */
package io.drover.runbook.parse;
