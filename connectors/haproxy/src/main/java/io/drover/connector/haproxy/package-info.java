/**
 * The {@code haproxy} traffic switch (under {@code traffic:}): sends a backend's traffic to one
 * server through HAProxy's Runtime API on its UNIX stats socket ({@code stats socket ... level admin}).
 * It reads {@code show servers state BACKEND} and changes servers with
 * {@code set server BACKEND/SERVER state ready|maint} and {@code shutdown sessions server}. The
 * {@code haproxy-server} runbook action changes one server of such a switch (state ready, drain or
 * maint, weight) for gradual moves, reading its sessions from {@code show stat}.
 */
package io.drover.connector.haproxy;
