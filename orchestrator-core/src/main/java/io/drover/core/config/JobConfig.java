package io.drover.core.config;

import io.drover.core.model.DataSize;
import io.drover.core.spi.Default;
import java.util.List;
import java.util.Optional;

/**
 * {@code jobs.<name>}: one source written to one or more targets.
 *
 * @param partSize  start a new part once a part holds this much uncompressed data (at a file boundary)
 * @param fullEvery every N-th backup of a file source is a full one; {@code 1} means always full
 * @param retention which recovery points {@code drover prune} keeps; absent keeps everything
 */
public record JobConfig(String source, List<String> targets,
                        @Default("{}") CompressionConfig compression,
                        @Default("256MiB") DataSize partSize,
                        @Default("7") int fullEvery,
                        Optional<ScheduleConfig> schedule,
                        Optional<VerifyPolicyConfig> verify,
                        Optional<RetentionConfig> retention) {
    public JobConfig {
        targets = List.copyOf(targets);
        retention = retention == null ? Optional.empty() : retention;
    }
}
