package io.drover.core.spi;

/** Factory of one storage-target type ({@code local}, {@code s3}, {@code sftp}). */
public interface StorageTargetFactory<C extends Record> extends ConnectorFactory<C, StorageTarget> {
}
