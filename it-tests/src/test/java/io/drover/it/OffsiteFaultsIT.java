package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.TreeDiff;
import io.drover.core.repository.Json;
import io.drover.core.testing.TcpFaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Storage faults end to end, through the real CLI: connections to S3 and SFTP reset in the middle
 * of parts are retried and the backup is sound; a store that stays unreachable fails the job with a
 * clear message and leaves no recovery point, while every listed point still verifies deeply.
 */
class OffsiteFaultsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void resetsMidPartAreRetriedAndAnUnreachableStoreFailsTheJobCleanly() throws Exception {
        Path data = dir.resolve("data");
        SampleTrees.largeMixedTree(data, 24L << 20, 11);
        try (OffsiteServers servers = OffsiteServers.start(dir.resolve("servers"));
             TcpFaultProxy s3 = new TcpFaultProxy("127.0.0.1", servers.s3Port());
             TcpFaultProxy sftp = new TcpFaultProxy("127.0.0.1", servers.sftpPort())) {
            String targets = servers.targetsYaml("faults", s3.port(), sftp.port(),
                    "limits: { retries: 3, retry-delay: 100ms, max-retry-delay: 500ms }");
            DroverWorkspace ws = DroverWorkspace.in(dir.resolve("ws")).source(data).partSize("4MiB").fullEvery(1)
                    .targets(targets, OffsiteServers.S3_TARGET, OffsiteServers.SFTP_TARGET).create();
            DroverRunner drover = new DroverRunner(java.nio.file.Files.createDirectories(dir.resolve("logs")), servers.environment(),
                    List.of("-Xmx256m"));
            String config = ws.configFile().toString();
            assertThat(drover.run(TIMEOUT, "init", "--config", config, "init").exitCode()).isZero();

            // Transient: both connections are reset once, in the middle of the upload.
            s3.resetAfterUpstreamBytes(9L << 20);
            sftp.resetAfterUpstreamBytes(9L << 20);
            DroverRunner.Run backup = drover.run(TIMEOUT, "backup-resets", "--config", config, "--output", "json",
                    "backup", "run", DroverWorkspace.JOB);
            assertThat(backup.exitCode()).as("%s", backup).isZero();
            assertThat(s3.resets()).as("S3 connections reset").isEqualTo(1);
            assertThat(sftp.resets()).as("SFTP connections reset").isEqualTo(1);
            String id = Json.MAPPER.readTree(backup.out()).get("id").asString();
            for (String target : List.of(OffsiteServers.S3_TARGET, OffsiteServers.SFTP_TARGET)) {
                DroverRunner.Run verify = drover.run(TIMEOUT, "verify-" + target, "--config", config, "verify", id,
                        "--level", "deep", "--from", target);
                assertThat(verify.exitCode()).as("%s", verify).isZero();
                Path restore = dir.resolve("restore-" + target);
                DroverRunner.Run restored = drover.run(TIMEOUT, "restore-" + target, "--config", config, "restore", id,
                        "--from", target, "--to", restore.toString());
                assertThat(restored.exitCode()).as("%s", restored).isZero();
                assertThat(TreeDiff.compare(data, DroverWorkspace.restoredCopy(restore, data))).isEmpty();
            }

            // Persistent: each store in turn stops answering. The job fails, says where and what to
            // check, and no recovery point appears.
            for (TcpFaultProxy down : List.of(s3, sftp)) {
                String target = down == s3 ? OffsiteServers.S3_TARGET : OffsiteServers.SFTP_TARGET;
                down.refuseConnections(true);
                DroverRunner.Run failed = drover.run(TIMEOUT, "backup-" + target + "-down", "--config", config,
                        "backup", "run", DroverWorkspace.JOB);
                down.refuseConnections(false);
                assertThat(failed.exitCode()).as("%s", failed).isEqualTo(6);
                // One error line that names the target and says what to check; no stack trace, no secret.
                assertThat(failed.err()).containsPattern("(?m)^drover: target '" + target + "': ")
                        .containsPattern("(?m)^hint: check")
                        .doesNotContain("\tat ").doesNotContain("drover-test-secret");
                assertThat(listed(drover, config)).as("recovery points after %s was down", target).containsExactly(id);
            }

            // Whatever is listed verifies deeply on every target.
            DroverRunner.Run all = drover.run(TIMEOUT, "verify-all", "--config", config, "--output", "json", "verify",
                    "--all", "--level", "deep");
            assertThat(all.exitCode()).as("%s", all).isZero();
        }
    }

    private static List<String> listed(DroverRunner drover, String config) throws Exception {
        DroverRunner.Run list = drover.run(TIMEOUT, "list", "--config", config, "--output", "json", "backup", "list");
        assertThat(list.exitCode()).as("%s", list).isZero();
        List<String> ids = new ArrayList<>();
        for (JsonNode point : Json.MAPPER.readTree(list.out())) {
            ids.add(point.get("id").asString());
        }
        return ids;
    }
}
