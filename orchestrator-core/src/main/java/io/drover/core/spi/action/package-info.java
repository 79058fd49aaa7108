/**
 * The runbook action SPI: what a runbook step does. An {@link io.drover.core.spi.action.ActionFactory}
 * is found with {@link java.util.ServiceLoader} and chosen by a step's {@code action:}; connectors
 * provide their actions (promote, fence, switch traffic) by shipping a factory. Depends only on the
 * JDK and {@code io.drover.core.spi}.
 */
package io.drover.core.spi.action;
