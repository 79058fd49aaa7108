package io.drover.core.spi;

/** Factory of one source type ({@code files}, {@code command}, {@code postgres}). */
public interface SourceFactory<C extends Record> extends ConnectorFactory<C, Source> {
}
