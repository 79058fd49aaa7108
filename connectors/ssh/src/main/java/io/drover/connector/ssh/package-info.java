/**
 * Connectors over SSH (JSch), with host keys checked against a known_hosts file: the {@code sftp}
 * storage target (objects published by a no-overwrite link from a hidden temporary name), the
 * {@code sftp-files} source, and the {@code ssh} runbook action that runs a command on a remote host.
 */
package io.drover.connector.ssh;
