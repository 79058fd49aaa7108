package io.drover.core.spi;

/** Factory of one kind of traffic switch under {@code traffic:} ({@code haproxy}, {@code nginx}, {@code dns}). */
public interface TrafficFactory<C extends Record> extends ConnectorFactory<C, TrafficSwitch> {
}
