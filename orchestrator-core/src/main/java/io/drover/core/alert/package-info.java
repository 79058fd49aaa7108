/**
 * Alerts: RPO state changes and failed jobs, sent to webhooks, Slack-compatible webhooks and
 * e-mail, de-duplicated and rate-limited through the catalog so several nodes send each alert once.
 */
package io.drover.core.alert;
