package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;

/**
 * The start-up cache's S3 workload runs the connector's whole write and read path against the
 * canned answers: it must keep completing as the connector and the SDK change, or the cache would
 * silently stop covering S3.
 */
class S3StartupTrainingTest {

    @Test
    void theWorkloadCompletesWithoutNetwork() {
        assertThatCode(S3StartupTraining::run).doesNotThrowAnyException();
    }

    @Test
    void theWorkloadMakesEveryKindOfRequestABackupAndRestoreMake() throws Exception {
        List<String> seen = new ArrayList<>();
        S3StartupTraining.CannedAnswers answers = new S3StartupTraining.CannedAnswers() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                seen.add(request.httpRequest().method() + " " + request.httpRequest().rawQueryParameters().keySet());
                return super.prepareRequest(request);
            }
        };
        S3StartupTraining.run(answers);

        assertThat(seen).contains("POST [uploads]", "PUT [partNumber, uploadId]", "POST [uploadId]", "PUT []",
                "HEAD []", "GET []", "GET [list-type, prefix]", "GET [uploads, prefix]", "DELETE []");
    }
}
