package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.crypto.AgeEncryption;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.model.BackupId;
import io.drover.core.repository.BackupProgress;
import io.drover.core.repository.BackupRequest;
import io.drover.core.repository.BackupWriter;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.repository.StoredObject;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What drover writes to S3 is ordinary: the stock AWS CLI downloads a part, and {@code age -d |
 * zstd -d | tar -x} restores it, exactly as the README's emergency restore says.
 */
class StockClientReadTest {
    private static final Path AWS = Path.of("/usr/bin/aws");

    @Test
    void aPartDownloadedWithTheAwsCliRestoresWithAgeZstdAndTar(@TempDir Path tmp) throws Exception {
        TestServices.requireService("the AWS CLI, age and zstd", Files.isExecutable(AWS) && onPath("age") && onPath("zstd"),
                "apt-get install awscli age zstd");
        byte[] random = new byte[3 << 20];
        new Random(7).nextBytes(random);
        Map<String, byte[]> files = Map.of("data/notes.txt", "drover was here\n".getBytes(StandardCharsets.UTF_8),
                "data/blob.bin", random);
        var key = AgeKeys.generate();
        Files.writeString(tmp.resolve("key.txt"), key.identityFile(Instant.now()));
        Clock clock = Clock.systemUTC();
        try (TestingS3Server server = new TestingS3Server()) {
            S3TargetConfig config = server.newBucket("drover");
            var target = new S3StorageTargetFactory().create(config,
                    new io.drover.core.spi.ConnectorContext("offsite", tmp.resolve("state"), clock));
            var encryption = new AgeEncryption(List.of(key.recipient()));
            Repository repository = Repository.initialize("offsite", target, encryption, List.of(key.recipient()), "test", clock);
            BackupRequest request = new BackupRequest(BackupId.generate(clock.instant()), "job", List.of(), "src", "test",
                    clock.instant(), encryption, List.of(key.recipient()), 3, 0, 256 << 20, Optional.empty(), Optional.empty(),
                    "test");
            Manifest manifest = new BackupWriter(request, List.of(repository), BackupProgress.NONE).run(source(files), clock)
                    .manifest();
            StoredObject part = manifest.parts().get(0);

            Path downloaded = tmp.resolve("part.tar.zst.age");
            run(server, tmp, AWS.toString(), "--endpoint-url", server.endpoint().toString(), "s3", "cp",
                    "s3://" + config.bucket() + "/drover/" + part.key(), downloaded.toString());
            assertThat(Files.size(downloaded)).isEqualTo(part.size());

            Path out = Files.createDirectories(tmp.resolve("out"));
            run(server, tmp, "bash", "-c", "set -o pipefail; age -d -i key.txt part.tar.zst.age | zstd -d | tar -xf - -C out");
            for (var file : files.entrySet()) {
                assertThat(Files.readAllBytes(out.resolve(file.getKey()))).isEqualTo(file.getValue());
            }
        }
    }

    private static Source source(Map<String, byte[]> files) {
        return new Source() {
            @Override
            public Set<SourceCapability> capabilities() {
                return Set.of();
            }

            @Override
            public String describe() {
                return "test files";
            }

            @Override
            public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws java.io.IOException {
                sink.directory(EntryMeta.directory("data", 0755, Instant.EPOCH));
                for (var file : new java.util.TreeMap<>(files).entrySet()) {
                    byte[] content = file.getValue();
                    sink.file(EntryMeta.file(file.getKey(), 0644, Instant.EPOCH, content.length), () -> new ByteArrayInputStream(content));
                }
                return new SourceSnapshot(Instant.now(), Map.of());
            }
        };
    }

    private static void run(TestingS3Server server, Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(server.clientEnvironment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
