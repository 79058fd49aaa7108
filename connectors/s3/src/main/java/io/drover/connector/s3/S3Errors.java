package io.drover.connector.s3;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Says in words what went wrong in a call to the store and what to check, for the messages of the
 * target's {@link java.io.IOException}s. Uses only status, error code, the store's short message,
 * request id and attempt count: never request headers, so no credentials.
 */
final class S3Errors {
    private static final int HTTP_MOVED_PERMANENTLY = 301;
    private static final int HTTP_BAD_REQUEST = 400;
    private static final int HTTP_FORBIDDEN = 403;
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_SERVICE_UNAVAILABLE = 503;

    private S3Errors() {
    }

    /** E.g. {@code the store answered HTTP 503 SlowDown (Please reduce your request rate.) on all 3 attempts; ...}. */
    static String explain(Throwable cause, String bucket, String endpoint) {
        if (cause instanceof SdkServiceException service) {
            return answered(service) + attempts(service) + requestId(service) + "; " + advice(service, bucket, endpoint);
        }
        if (cause instanceof SdkException client) {
            // The request got no answer: connection refused or reset, timeout, DNS, TLS.
            return "no answer from the store (" + rawMessage(client) + ")" + attempts(client) + "; check that " + endpoint
                    + " is reachable from this host and the store is up, then run the job again";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String answered(SdkServiceException e) {
        StringBuilder text = new StringBuilder("the store answered HTTP ").append(e.statusCode());
        AwsErrorDetails details = e instanceof AwsServiceException aws ? aws.awsErrorDetails() : null;
        if (details != null && details.errorCode() != null) {
            text.append(' ').append(details.errorCode());
        }
        if (details != null && details.errorMessage() != null) {
            text.append(" (").append(details.errorMessage()).append(')');
        }
        return text.toString();
    }

    private static String attempts(SdkException e) {
        Integer attempts = e.numAttempts();
        return attempts == null || attempts < 2 ? "" : " on all " + attempts + " attempts";
    }

    private static String requestId(SdkServiceException e) {
        return e.requestId() == null ? "" : ", request id " + e.requestId();
    }

    private static String errorCode(SdkServiceException e) {
        AwsErrorDetails details = e instanceof AwsServiceException aws ? aws.awsErrorDetails() : null;
        return details == null || details.errorCode() == null ? "" : details.errorCode();
    }

    private static String advice(SdkServiceException e, String bucket, String endpoint) {
        String code = errorCode(e);
        int status = e.statusCode();
        if (e.isClockSkewException()) {
            return "this host's clock is off; synchronize it (NTP) and run the job again";
        }
        if (e.isThrottlingException() || status == HTTP_SERVICE_UNAVAILABLE) {
            return "the store is throttling or unavailable; run the job again later, and if it keeps happening lower"
                    + " the number of jobs writing to this bucket at once or check the store's status";
        }
        if (status >= 500) {
            return "the store has an internal fault that did not go away on retry; check the store's status and run the"
                    + " job again later";
        }
        if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch")) {
            return "check access-key-id and secret-access-key (or the AWS credentials this host uses)";
        }
        if (status == HTTP_FORBIDDEN) {
            return "check that the credentials may list, read, write and delete objects and abort multipart uploads in"
                    + " bucket '" + bucket + "', and that no bucket policy or Object Lock setting forbids it";
        }
        if (code.equals("NoSuchBucket")) {
            return "bucket '" + bucket + "' does not exist at " + endpoint + "; check bucket, region and endpoint";
        }
        if (status == HTTP_MOVED_PERMANENTLY || code.equals("AuthorizationHeaderMalformed")
                || code.equals("PermanentRedirect")) {
            return "bucket '" + bucket + "' is in another region; set region to the bucket's region";
        }
        if (code.equals("NoSuchUpload")) {
            return "the multipart upload was aborted while it ran, by a bucket lifecycle rule or by a prune whose grace"
                    + " period is shorter than this upload took; lengthen that period and run the job again";
        }
        if (status == HTTP_NOT_FOUND) {
            return "the object is gone; another process may have removed it";
        }
        if (status == HTTP_BAD_REQUEST) {
            return "the store refused the request; if it is an S3-compatible store, try checksums: when-required";
        }
        return "see the store's documentation for this error";
    }

    private static String rawMessage(SdkException e) {
        // rawMessage() leaves out the "(SDK Attempt Count: n)" the SDK appends; attempts() says it in words.
        String message = e.rawMessage() != null ? e.rawMessage() : e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
