/**
 * The {@code nginx} traffic switch (under {@code traffic:}): sends an nginx upstream's traffic to
 * one server by rewriting a file that the upstream block includes, which drover owns, then
 * {@code nginx -t} and {@code nginx -s reload}, and waiting until the master's old workers are
 * gone. The live state comes from that file together with the running master and its workers, read
 * from {@code /proc} (Linux).
 */
package io.drover.connector.nginx;
