package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ConfigTree;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.model.DataSize;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config section from the issue binds to {@link S3TargetConfig} through core's strict binder. */
class S3TargetConfigBindingTest {
    private static final Path FILE = Path.of("drover.yaml");

    @Test
    void theDocumentedSectionBinds() {
        String yaml = """
                bucket: acme-dr
                prefix: drover
                region: eu-central-1
                endpoint: "https://s3.example.net"
                path-style: true
                access-key-id: "${env:S3_KEY}"
                secret-access-key: "${env:S3_SECRET}"
                storage-class: STANDARD_IA
                object-lock: { mode: COMPLIANCE, days: 35 }
                part-size: 64MiB
                upload-concurrency: 4
                """;
        ConfigTree tree = YamlTreeReader.read(FILE, yaml);
        BindResult<S3TargetConfig> result = new ConfigBinder(FILE, Map.of("S3_KEY", "AKIA1", "S3_SECRET", "s3cr3t")::get)
                .bind(tree.root(), S3TargetConfig.class);

        assertThat(result.problems()).isEmpty();
        S3TargetConfig config = result.value();
        assertThat(config.bucket()).isEqualTo("acme-dr");
        assertThat(config.pathStyle()).isTrue();
        assertThat(config.accessKeyId().orElseThrow().reveal()).isEqualTo("AKIA1");
        assertThat(config.secretAccessKey().orElseThrow().reveal()).isEqualTo("s3cr3t");
        assertThat(config.objectLock()).contains(new ObjectLockConfig("COMPLIANCE", 35));
        assertThat(config.checksums()).isEqualTo("when-supported");
        assertThat(config.serverSideEncryption()).isEqualTo(Optional.empty());
        assertThat(config.partSize()).isEqualTo(DataSize.ofMebibytes(64));
        assertThat(config.uploadConcurrency()).isEqualTo(4);
        assertThat(UploadSettings.of(config).partSize()).isEqualTo(64 * 1024 * 1024);
        assertThat(new S3StorageTargetFactory().validate(config)).isEmpty();
        assertThat(config.toString()).doesNotContain("s3cr3t").doesNotContain("AKIA1");
    }

    @Test
    void onlyTheBucketIsRequired() {
        ConfigTree tree = YamlTreeReader.read(FILE, "bucket: acme-dr\n");
        BindResult<S3TargetConfig> result = new ConfigBinder(FILE, name -> null).bind(tree.root(), S3TargetConfig.class);

        assertThat(result.problems()).isEmpty();
        assertThat(result.value()).isEqualTo(S3TargetConfig.ofBucket("acme-dr"));
        assertThat(result.value().partSize()).isEqualTo(DataSize.ofMebibytes(16));
        assertThat(result.value().uploadConcurrency()).isEqualTo(2);
    }

    @Test
    void aPartSizeThatIsNotASizeIsAProblemOnItsKey() {
        ConfigTree tree = YamlTreeReader.read(FILE, "bucket: acme-dr\npart-size: lots\n");
        BindResult<S3TargetConfig> result = new ConfigBinder(FILE, name -> null).bind(tree.root(), S3TargetConfig.class);

        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).toString()).contains("part-size").contains("'lots' is not a size");
    }
}
