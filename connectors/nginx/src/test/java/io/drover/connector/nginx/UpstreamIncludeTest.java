package io.drover.connector.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.nginx.UpstreamInclude.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamIncludeTest {
    @TempDir
    Path dir;

    private static Map<String, String> servers() {
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("dc1", "10.0.0.1:8080");
        servers.put("dr1", "10.0.1.1:8080");
        servers.put("dr2", "[2001:db8::1]:8080");
        return servers;
    }

    @Test
    void theTargetIsTheOnlyActiveServerAndTheHeaderSaysWhoWroteItForWhichTargetAndWhen() {
        String text = UpstreamInclude.render("orders_backend", servers(), "dr1", Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(text).isEqualTo("""
                # Written by drover: upstream orders_backend sends its traffic to dr1 (2026-01-02T03:04:05Z).
                # drover rewrites this file whole when it switches traffic; edits made here are lost.
                server 10.0.1.1:8080;  # dr1
                server 10.0.0.1:8080 down;  # dc1
                server [2001:db8::1]:8080 down;  # dr2
                """);
        assertThat(UpstreamInclude.parse(text)).containsExactly(new Server("10.0.1.1:8080", List.of()),
                new Server("10.0.0.1:8080", List.of("down")), new Server("[2001:db8::1]:8080", List.of("down")));
    }

    @Test
    void parsingFollowsNginxSyntaxNotLines() {
        List<Server> servers = UpstreamInclude.parse("""
                keepalive 16;   # not a server
                server a:1 weight=5 max_fails=3; server b:2
                    backup;
                # server c:3;
                server d:4 down;""");
        assertThat(servers).extracting(Server::address).containsExactly("a:1", "b:2", "d:4");
        assertThat(servers).extracting(Server::mode).containsExactly("active", "backup", "down");
        assertThat(servers).extracting(Server::active).containsExactly(true, false, false);
    }

    @Test
    void anAtomicWriteKeepsTheFilesPermissionsAndLeavesNoTempFile() throws Exception {
        Path include = dir.resolve("up.conf");
        UpstreamInclude.writeAtomically(include, "server a:1;\n".getBytes(), Optional.empty());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(include))).isEqualTo("rw-r--r--");
        Files.setPosixFilePermissions(include, PosixFilePermissions.fromString("rw-r-----"));
        UpstreamInclude.writeAtomically(include, "server b:2;\n".getBytes(), Optional.empty());
        assertThat(include).hasContent("server b:2;");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(include))).isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(include);
        }
    }

    @Test
    void restoringPutsBackTheBytesAndTheModificationTimeOrRemovesAFileThatWasNotThere() throws Exception {
        Path include = dir.resolve("up.conf");
        Files.write(include, new byte[] {'#', ' ', (byte) 0xff, '\n'});
        Files.setLastModifiedTime(include, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        Optional<UpstreamInclude.Snapshot> before = UpstreamInclude.read(include);
        UpstreamInclude.writeAtomically(include, "server a:1;\n".getBytes(), Optional.empty());
        UpstreamInclude.restore(include, before);
        assertThat(Files.readAllBytes(include)).isEqualTo(new byte[] {'#', ' ', (byte) 0xff, '\n'});
        assertThat(Files.getLastModifiedTime(include)).isEqualTo(FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));

        Path absent = dir.resolve("new.conf");
        Optional<UpstreamInclude.Snapshot> none = UpstreamInclude.read(absent);
        assertThat(none).isEmpty();
        UpstreamInclude.writeAtomically(absent, "server a:1;\n".getBytes(), Optional.empty());
        UpstreamInclude.restore(absent, none);
        assertThat(absent).doesNotExist();
    }
}
