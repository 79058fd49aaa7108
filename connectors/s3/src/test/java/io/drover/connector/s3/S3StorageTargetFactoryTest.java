package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3StorageTargetFactoryTest {
    private final S3StorageTargetFactory factory = new S3StorageTargetFactory();

    @Test
    void typeIsS3() {
        assertThat(factory.type()).isEqualTo("s3");
        assertThat(factory.configType()).isEqualTo(S3TargetConfig.class);
    }

    @Test
    void aFullValidConfigHasNoProblems() {
        S3TargetConfig config = new S3TargetConfig("acme-dr", "drover/prod", Optional.of("eu-central-1"),
                Optional.of("https://s3.example.net"), true, Optional.of(Secret.of("AKIA", "${env:S3_KEY}")),
                Optional.of(Secret.of("s3cr3t", "${env:S3_SECRET}")), Optional.of("STANDARD_IA"), Optional.of("aws:kms"),
                Optional.of("arn:aws:kms:eu-central-1:1:key/x"), Optional.of(new ObjectLockConfig("COMPLIANCE", 35)),
                "when-required");

        assertThat(factory.validate(config)).isEmpty();
        assertThat(factory.validate(S3TargetConfig.ofBucket("a.b-c1"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Acme", "acme_dr", "-acme", "acme-", "a..b", "192.168.1.1", "xn--acme",
            "a-very-long-bucket-name-that-goes-on-and-on-beyond-sixty-three-chars"})
    void invalidBucketNamesAreProblems(String bucket) {
        assertThat(factory.validate(S3TargetConfig.ofBucket(bucket))).extracting(ConfigProblem::field).containsExactly("bucket");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        S3TargetConfig config = new S3TargetConfig("Bad_Bucket", "/drover", Optional.empty(), Optional.of("ftp://x"),
                false, Optional.of(Secret.of("AKIA", "${env:S3_KEY}")), Optional.empty(), Optional.empty(),
                Optional.of("DES"), Optional.empty(), Optional.of(new ObjectLockConfig("FOREVER", 0)), "sometimes");

        List<ConfigProblem> problems = factory.validate(config);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("bucket", "prefix", "endpoint",
                "secret-access-key", "server-side-encryption", "object-lock.mode", "object-lock.days", "checksums");
        assertThat(problems).extracting(ConfigProblem::message).noneMatch(m -> m.contains("AKIA"));
    }

    @Test
    void secretWithoutKeyIdIsAProblemOnTheMissingKey() {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.of(Secret.of("s3cr3t", "${env:S}")), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "when-supported");

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("access-key-id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "s3.example.net", "http://", "https://user:pw@s3.example.net"})
    void invalidEndpointsAreProblems(String endpoint) {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.of(endpoint), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "when-supported");

        List<ConfigProblem> problems = factory.validate(config);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("endpoint");
        assertThat(problems).extracting(ConfigProblem::message).noneMatch(m -> m.contains("pw@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "a//b", "a/../b", "a b", "a/./b"})
    void invalidPrefixesAreProblems(String prefix) {
        S3TargetConfig config = new S3TargetConfig("acme", prefix, Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "when-supported");

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("prefix");
    }

    @Test
    void kmsKeyWithoutKmsEncryptionIsAProblem() {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("AES256"), Optional.of("key"),
                Optional.empty(), "when-supported");

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("kms-key-id");
    }

    @Test
    void describeShowsBucketPrefixAndWhereButNeverCredentials() {
        S3TargetConfig config = new S3TargetConfig("acme", "drover", Optional.of("eu-central-1"), Optional.empty(), false,
                Optional.of(Secret.of("AKIA", "r")), Optional.of(Secret.of("s3cr3t", "r")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "when-supported");

        assertThat(S3StorageTargetFactory.describe(config)).isEqualTo("s3://acme/drover (AWS eu-central-1)");
    }
}
