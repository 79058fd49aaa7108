package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3StorageTargetFactoryTest {
    private static final DataSize SIXTEEN_MIB = DataSize.ofMebibytes(16);
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
                "when-required", SIXTEEN_MIB, 2);

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
                Optional.of("DES"), Optional.empty(), Optional.of(new ObjectLockConfig("FOREVER", 0)), "sometimes", SIXTEEN_MIB, 2);

        List<ConfigProblem> problems = factory.validate(config);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("bucket", "prefix", "endpoint",
                "secret-access-key", "server-side-encryption", "object-lock.mode", "object-lock.days", "checksums");
        assertThat(problems).extracting(ConfigProblem::message).noneMatch(m -> m.contains("AKIA"));
    }

    @Test
    void secretWithoutKeyIdIsAProblemOnTheMissingKey() {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.of(Secret.of("s3cr3t", "${env:S}")), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "when-supported", SIXTEEN_MIB, 2);

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("access-key-id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "s3.example.net", "http://", "https://user:pw@s3.example.net"})
    void invalidEndpointsAreProblems(String endpoint) {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.of(endpoint), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "when-supported", SIXTEEN_MIB, 2);

        List<ConfigProblem> problems = factory.validate(config);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("endpoint");
        assertThat(problems).extracting(ConfigProblem::message).noneMatch(m -> m.contains("pw@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "a//b", "a/../b", "a b", "a/./b"})
    void invalidPrefixesAreProblems(String prefix) {
        S3TargetConfig config = new S3TargetConfig("acme", prefix, Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "when-supported", SIXTEEN_MIB, 2);

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("prefix");
    }

    @Test
    void partSizeAndUploadConcurrencyOutsideTheirRangesAreProblemsThatSayTheRange() {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "when-supported", DataSize.ofMebibytes(4), 0);

        List<ConfigProblem> problems = factory.validate(config);

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("part-size", "upload-concurrency");
        assertThat(problems.get(0).message()).isEqualTo("part-size must be between 5MiB and 1GiB, got 4.0 MiB (S3 takes"
                + " parts of 5MiB to 5GiB; drover holds upload-concurrency + 1 parts in memory per object being written)");
        assertThat(problems.get(1).message()).isEqualTo("upload-concurrency must be between 1 and 16, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5MiB", "16MiB", "1GiB"})
    void partSizesFrom5MiBTo1GiBAreValid(String size) {
        assertThat(factory.validate(withUpload(DataSize.parse(size), 2))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5242879", "1025MiB", "5GiB", "6GiB"})
    void partSizesOutsideTheRangeAreProblems(String size) {
        assertThat(factory.validate(withUpload(DataSize.parse(size), 2))).extracting(ConfigProblem::field)
                .containsExactly("part-size");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 17, 100})
    void uploadConcurrencyOutsideOneToSixteenIsAProblem(int concurrency) {
        assertThat(factory.validate(withUpload(SIXTEEN_MIB, concurrency))).extracting(ConfigProblem::field)
                .containsExactly("upload-concurrency");
        assertThat(factory.validate(withUpload(SIXTEEN_MIB, 1))).isEmpty();
        assertThat(factory.validate(withUpload(SIXTEEN_MIB, 16))).isEmpty();
    }

    private static S3TargetConfig withUpload(DataSize partSize, int uploadConcurrency) {
        return new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "when-supported",
                partSize, uploadConcurrency);
    }

    @Test
    void kmsKeyWithoutKmsEncryptionIsAProblem() {
        S3TargetConfig config = new S3TargetConfig("acme", "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("AES256"), Optional.of("key"),
                Optional.empty(), "when-supported", SIXTEEN_MIB, 2);

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactly("kms-key-id");
    }

    @Test
    void describeShowsBucketPrefixAndWhereButNeverCredentials() {
        S3TargetConfig config = new S3TargetConfig("acme", "drover", Optional.of("eu-central-1"), Optional.empty(), false,
                Optional.of(Secret.of("AKIA", "r")), Optional.of(Secret.of("s3cr3t", "r")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "when-supported", SIXTEEN_MIB, 2);

        assertThat(S3StorageTargetFactory.describe(config)).isEqualTo("s3://acme/drover (AWS eu-central-1)");
    }
}
