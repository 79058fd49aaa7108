/**
 * Connectors over SSH: the {@code sftp} storage target (JSch), with host keys checked against a
 * known_hosts file and objects published by a no-overwrite link from a hidden temporary name.
 */
package io.drover.connector.ssh;
