/**
 * Decorators that every storage target gets from core, whatever its connector: retries with
 * backoff ({@link io.drover.core.storage.RetryingStorageTarget}), bandwidth limits
 * ({@link io.drover.core.storage.BandwidthLimitedStorageTarget}) and a concurrency limit
 * ({@link io.drover.core.storage.ConcurrencyLimitedStorageTarget}), stacked by
 * {@link io.drover.core.storage.StorageDecorators} from a target's {@code limits:} block.
 * Connectors do not re-implement any of them.
 */
package io.drover.core.storage;
