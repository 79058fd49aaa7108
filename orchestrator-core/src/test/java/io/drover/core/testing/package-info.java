/**
 * Test fixtures shared with connector modules through core's test-jar: in-memory fakes of SPI
 * roles with injectable faults.
 */
package io.drover.core.testing;
