/** Repository format v1: parts (tar → zstd → age), streamed index, manifests as atomic commit records. */
package io.drover.core.repository;
