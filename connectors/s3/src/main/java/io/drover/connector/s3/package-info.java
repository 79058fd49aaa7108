/**
 * The {@code s3} storage target: objects in an S3 bucket (AWS or an S3-compatible store), written
 * once with conditional multipart uploads.
 */
package io.drover.connector.s3;
