package io.drover.core.spi;

/** Factory of one kind of replicated database under {@code databases:} ({@code postgres}, {@code mariadb}). */
public interface DatabaseFactory<C extends Record> extends ConnectorFactory<C, ReplicatedDatabase> {
}
