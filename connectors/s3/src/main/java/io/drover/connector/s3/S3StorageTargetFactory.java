package io.drover.connector.s3;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Creates {@code s3} storage targets: objects in an S3 bucket or an S3-compatible store. */
public final class S3StorageTargetFactory implements StorageTargetFactory<S3TargetConfig> {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Set<String> LOCK_MODES = Set.of("GOVERNANCE", "COMPLIANCE");
    private static final Set<String> ENCRYPTIONS = Set.of("AES256", "aws:kms");
    private static final Set<String> CHECKSUMS = Set.of(S3TargetConfig.WHEN_SUPPORTED, S3TargetConfig.WHEN_REQUIRED);
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    @Override
    public String type() {
        return "s3";
    }

    @Override
    public Class<S3TargetConfig> configType() {
        return S3TargetConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(S3TargetConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String bucket = config.bucket();
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()
                || bucket.startsWith("xn--") || bucket.endsWith("-s3alias")) {
            problems.add(new ConfigProblem("bucket", "'" + bucket + "' is not a valid bucket name: 3-63 characters"
                    + " of a-z 0-9 . -, starting and ending with a letter or digit, no '..', not an IP address"));
        }
        String prefix = config.prefix();
        if (!prefix.isEmpty()) {
            String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (prefix.startsWith("/")) {
                problems.add(new ConfigProblem("prefix", "'" + prefix + "' must not start with '/'; write e.g. drover/prod"));
            } else if (!validKeyPrefix(trimmed)) {
                problems.add(new ConfigProblem("prefix", "'" + prefix
                        + "' is not a valid prefix: segments of A-Z a-z 0-9 . _ - separated by single '/'"));
            }
        }
        config.endpoint().ifPresent(endpoint -> {
            String problem = endpointProblem(endpoint);
            if (problem != null) {
                problems.add(new ConfigProblem("endpoint", problem));
            }
        });
        config.region().ifPresent(region -> {
            if (!region.matches("[a-z0-9-]+")) {
                problems.add(new ConfigProblem("region", "'" + region + "' is not a region name such as eu-central-1"));
            }
        });
        if (config.accessKeyId().isPresent() != config.secretAccessKey().isPresent()) {
            String missing = config.accessKeyId().isPresent() ? "secret-access-key" : "access-key-id";
            problems.add(new ConfigProblem(missing, "access-key-id and secret-access-key go together: set both, or"
                    + " neither to use the AWS default credentials chain"));
        }
        config.serverSideEncryption().ifPresent(sse -> {
            if (!ENCRYPTIONS.contains(sse)) {
                problems.add(new ConfigProblem("server-side-encryption", "'" + sse + "' is not one of AES256, aws:kms"));
            }
        });
        if (config.kmsKeyId().isPresent() && !config.serverSideEncryption().equals(java.util.Optional.of("aws:kms"))) {
            problems.add(new ConfigProblem("kms-key-id", "a KMS key needs server-side-encryption: aws:kms"));
        }
        config.storageClass().ifPresent(storageClass -> {
            if (!storageClass.matches("[A-Z_]+")) {
                problems.add(new ConfigProblem("storage-class", "'" + storageClass
                        + "' is not a storage class such as STANDARD, STANDARD_IA, GLACIER_IR"));
            }
        });
        config.objectLock().ifPresent(lock -> {
            if (!LOCK_MODES.contains(lock.mode())) {
                problems.add(new ConfigProblem("object-lock.mode", "'" + lock.mode() + "' is not one of GOVERNANCE, COMPLIANCE"));
            }
            if (lock.days() < 1) {
                problems.add(new ConfigProblem("object-lock.days", "must be at least 1, not " + lock.days()));
            }
        });
        if (!CHECKSUMS.contains(config.checksums())) {
            problems.add(new ConfigProblem("checksums", "'" + config.checksums() + "' is not one of when-supported, when-required"));
        }
        UploadSettings.partSizeProblem(config.partSize().bytes())
                .ifPresent(problem -> problems.add(new ConfigProblem("part-size", problem)));
        UploadSettings.uploadConcurrencyProblem(config.uploadConcurrency())
                .ifPresent(problem -> problems.add(new ConfigProblem("upload-concurrency", problem)));
        return problems;
    }

    private static boolean validKeyPrefix(String prefix) {
        for (String segment : prefix.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !segment.matches("[A-Za-z0-9._-]+")) {
                return false;
            }
        }
        return true;
    }

    private static String endpointProblem(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return "'" + endpoint + "' is not an http or https URL, e.g. https://s3.example.net";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "'" + endpoint + "' has no host name";
            }
            if (uri.getUserInfo() != null) {
                return "the endpoint must not contain credentials; use access-key-id and secret-access-key";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + endpoint + "' is not a valid URL: " + e.getReason();
        }
    }

    @Override
    public StorageTarget create(S3TargetConfig config, ConnectorContext context) {
        return new S3StorageTarget(client(config), config.bucket(), config.prefix(), describe(config),
                UploadSettings.of(config), context.clock());
    }

    @Override
    public void exerciseForStartupCache() throws Exception {
        S3StartupTraining.run();
    }

    static String describe(S3TargetConfig config) {
        String prefix = config.prefix().isEmpty() ? "" : "/" + config.prefix();
        String where = config.endpoint().orElse(config.region().map(r -> "AWS " + r).orElse("AWS"));
        return "s3://" + config.bucket() + prefix + " (" + where + ")";
    }

    /**
     * The SDK client for a config; package-private so tests can build clients the same way. Its
     * retry strategy is the SDK's default, so operators can tune it the AWS way ({@code AWS_RETRY_MODE},
     * {@code AWS_MAX_ATTEMPTS}, or {@code retry_mode}/{@code max_attempts} in the profile): without
     * those, the legacy mode makes 4 attempts with jittered backoff (longer for throttling) and
     * retries 5xx answers, throttling and I/O errors, sending a part's bytes again from its buffer.
     */
    static S3Client client(S3TargetConfig config) {
        return clientBuilder(config).build();
    }

    static S3ClientBuilder clientBuilder(S3TargetConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(config.region().map(Region::of).orElseGet(S3StorageTargetFactory::defaultRegion))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle());
        config.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        // Every upload's body is a part held in memory: the SDK can sign it with one SHA-256 over
        // the buffer and send it as it is, instead of its streaming signature (an aws-chunked body
        // with a signature per 128 KiB chunk, each chunk copied). Over https the payload stays
        // unsigned either way; the CRC32C then travels in a header instead of a trailer.
        builder.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (config.checksums().equals(S3TargetConfig.WHEN_REQUIRED)) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        } else {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
        }
        return builder;
    }

    private static AwsCredentialsProvider credentials(S3TargetConfig config) {
        if (config.accessKeyId().isPresent() && config.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId().get().reveal(),
                    config.secretAccessKey().get().reveal()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            // No region in the environment or profile: S3-compatible stores usually ignore it, and
            // AWS redirects a client in the wrong region with a clear error on first use.
            return FALLBACK_REGION;
        }
    }
}
