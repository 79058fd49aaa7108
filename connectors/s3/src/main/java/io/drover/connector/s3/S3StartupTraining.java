package io.drover.connector.s3;

import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 connector's workload for the start-up cache's training run (see
 * {@link io.drover.core.spi.StorageTargetFactory#exerciseForStartupCache}): an {@link S3StorageTarget}
 * built the way the factory builds one writes a small and a multipart object, reads, stats, lists
 * and deletes them. The requests never leave the JVM: the SDK's HTTP client is replaced by
 * {@link CannedAnswers}, which answers as S3 does, so the SDK's marshalling, signing, checksums
 * and response parsing all run. The factory's real HTTP client is built and closed too.
 */
final class S3StartupTraining {
    private static final int PART_SIZE = UploadSettings.MIN_PART_SIZE;

    private S3StartupTraining() {
    }

    static void run() throws IOException {
        run(new CannedAnswers());
    }

    static void run(CannedAnswers answers) throws IOException {
        S3TargetConfig config = new S3TargetConfig("drover-training", "training", Optional.of("us-east-1"),
                Optional.of("http://127.0.0.1:9"), true, Optional.of(Secret.of("training", "training")),
                Optional.of(Secret.of("training", "training")), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), S3TargetConfig.WHEN_SUPPORTED, DataSize.ofBytes(PART_SIZE),
                UploadSettings.DEFAULT_UPLOAD_CONCURRENCY);
        S3StorageTargetFactory.client(config).close(); // the real HTTP client's construction
        S3Client client = S3StorageTargetFactory.clientBuilder(config).httpClient(answers).build();
        try (StorageTarget target = new S3StorageTarget(client, config.bucket(), config.prefix(),
                S3StorageTargetFactory.describe(config), UploadSettings.of(config), Clock.systemUTC())) {
            byte[] small = "drover".getBytes(StandardCharsets.US_ASCII);
            write(target, "training/small", small);
            write(target, "training/large", new byte[PART_SIZE + small.length]);
            for (String key : List.of("training/small", "training/large")) {
                target.stat(key);
                try (InputStream in = target.open(key)) {
                    in.readAllBytes();
                }
            }
            target.list("training/");
            target.removeAbandonedWrites(Instant.now().minusSeconds(3600));
            target.delete("training/small");
        }
    }

    private static void write(StorageTarget target, String key, byte[] content) throws IOException {
        try (ObjectOutput out = target.create(key)) {
            out.write(content);
            out.commit();
        }
    }

    /**
     * Answers the requests of {@link #run} as S3 would: stores the sizes of the objects written
     * (bodies are sent unchunked, see {@link S3StorageTargetFactory#clientBuilder}) and serves zeros
     * of that size back.
     */
    static class CannedAnswers implements SdkHttpClient {
        private static final String XML_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
        private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
        private static final String UPLOAD_ID = "training-upload";
        private final Map<String, Long> sizes = new ConcurrentHashMap<>();
        private final Map<String, Long> uploads = new ConcurrentHashMap<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    return answer(request);
                }

                @Override
                public void abort() {
                }
            };
        }

        private HttpExecuteResponse answer(HttpExecuteRequest request) throws IOException {
            SdkHttpRequest http = request.httpRequest();
            String path = http.encodedPath();
            Map<String, List<String>> query = http.rawQueryParameters();
            long length = 0;
            if (request.contentStreamProvider().isPresent()) {
                try (InputStream body = request.contentStreamProvider().get().newStream()) {
                    length = body.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return switch (http.method()) {
                case PUT -> {
                    if (query.containsKey("uploadId")) {
                        uploads.merge(query.get("uploadId").getFirst(), length, Long::sum);
                    } else {
                        sizes.put(path, length);
                    }
                    yield response(200, Map.of("ETag", "\"training\""), "");
                }
                case POST -> {
                    if (query.containsKey("uploads")) {
                        uploads.put(UPLOAD_ID, 0L);
                        yield response(200, Map.of(), XML_HEADER + "<InitiateMultipartUploadResult" + NS
                                + "><Bucket>drover-training</Bucket><Key>k</Key><UploadId>" + UPLOAD_ID
                                + "</UploadId></InitiateMultipartUploadResult>");
                    }
                    sizes.put(path, uploads.getOrDefault(query.get("uploadId").getFirst(), 0L));
                    yield response(200, Map.of(), XML_HEADER + "<CompleteMultipartUploadResult" + NS
                            + "><Bucket>drover-training</Bucket><Key>k</Key><ETag>\"training-2\"</ETag>"
                            + "</CompleteMultipartUploadResult>");
                }
                case GET -> {
                    if (query.containsKey("uploads")) {
                        yield response(200, Map.of(), XML_HEADER + "<ListMultipartUploadsResult" + NS
                                + "><Bucket>drover-training</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>");
                    }
                    if (query.containsKey("list-type")) {
                        StringBuilder contents = new StringBuilder();
                        sizes.forEach((key, size) -> contents.append("<Contents><Key>")
                                .append(key.substring(key.indexOf('/', 1) + 1)).append("</Key><LastModified>")
                                .append("2026-01-01T00:00:00.000Z</LastModified><ETag>\"training\"</ETag><Size>")
                                .append(size).append("</Size><StorageClass>STANDARD</StorageClass></Contents>"));
                        yield response(200, Map.of(), XML_HEADER + "<ListBucketResult" + NS + "><Name>drover-training</Name>"
                                + "<KeyCount>" + sizes.size() + "</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                                + contents + "</ListBucketResult>");
                    }
                    Long size = sizes.get(path);
                    yield size == null ? notFound() : response(200, Map.of("ETag", "\"training\""), new byte[size.intValue()]);
                }
                case HEAD -> {
                    Long size = sizes.get(path);
                    yield size == null ? response(404, Map.of(), "")
                            : response(200, Map.of("ETag", "\"training\"", "Content-Length", size.toString()), "");
                }
                case DELETE -> {
                    sizes.remove(path);
                    yield response(204, Map.of(), "");
                }
                default -> response(405, Map.of(), "");
            };
        }

        private static HttpExecuteResponse notFound() {
            return response(404, Map.of(), XML_HEADER + "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist."
                    + "</Message></Error>");
        }

        private static HttpExecuteResponse response(int status, Map<String, String> headers, String body) {
            return response(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        private static HttpExecuteResponse response(int status, Map<String, String> headers, byte[] body) {
            SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
            headers.forEach(http::putHeader);
            if (!headers.containsKey("Content-Length")) {
                http.putHeader("Content-Length", Integer.toString(body.length));
            }
            return HttpExecuteResponse.builder().response(http.build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
        }

        @Override
        public String clientName() {
            return "drover-startup-training";
        }

        @Override
        public void close() {
        }
    }
}
