package io.drover.core.spi;

/** Factory of one storage-target type ({@code local}, {@code s3}, {@code sftp}). */
public interface StorageTargetFactory<C extends Record> extends ConnectorFactory<C, StorageTarget> {

    /**
     * A short workload for the training run of the JVM's start-up cache (JEP 514; the launcher
     * runs it once per build and JDK): uses the connector's code the way backups and restores do,
     * so that its classes and linked lambdas go into the cache. Without this, a command on an S3
     * target spent about a second loading and linking the SDK that a local one did not. Must not
     * touch the network, any store or the user's files, and must finish in a few seconds; may
     * throw (the training run reports and goes on). The default does nothing.
     */
    default void exerciseForStartupCache() throws Exception {
    }
}
