/**
 * The actions drover ships ({@code shell}, {@code notify}, {@code approval}, {@code wait-tcp},
 * {@code wait-http}, and over any switch under {@code traffic:} {@code traffic-status} and
 * {@code traffic-switch}) and the registry that finds every {@link io.drover.core.spi.action.ActionFactory}
 * on the class path, connectors' included.
 */
package io.drover.runbook.action;
