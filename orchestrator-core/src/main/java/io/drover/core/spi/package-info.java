/**
 * The connector SPI: storage targets, sources and their factories. Depends only on the JDK and
 * {@code io.drover.core.model}; connectors import nothing else from core.
 */
package io.drover.core.spi;
