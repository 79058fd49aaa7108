/**
 * Connectors for the local machine: the {@code local} storage target (a directory), the
 * {@code files} source (a file tree) and the {@code command} source (a command's stdout).
 */
package io.drover.connector.filesystem;
