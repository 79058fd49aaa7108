package io.drover.connector.haproxy;

import io.drover.core.testing.ConnectorBoundaryContract;

/** This connector sees only core's SPI and model and the connector support, never another connector. */
class ConnectorBoundaryTest extends ConnectorBoundaryContract {
    ConnectorBoundaryTest() {
        super("io.drover.connector.haproxy");
    }
}
