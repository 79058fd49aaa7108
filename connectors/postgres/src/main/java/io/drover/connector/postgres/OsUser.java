package io.drover.connector.postgres;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Running PostgreSQL's server programs as the operating-system user that owns a data directory:
 * PostgreSQL refuses to run as root, and its files must keep their owner.
 */
final class OsUser {
    private OsUser() {
    }

    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * {@code command}, run as {@code user} when drover runs as root ({@code runuser}, else
     * {@code setpriv}); as it is otherwise, since only root may switch users. The environment is
     * kept, so a {@code PGPASSFILE} reaches the program.
     */
    static List<String> command(String user, List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        Optional<Path> runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        if (runuser.isPresent()) {
            wrapped.addAll(List.of(runuser.get().toString(), "-u", user, "--"));
        } else {
            wrapped.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /** The user named {@code user}; the message says what is missing. */
    static UserPrincipal principal(String user) throws IOException {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("there is no operating-system user '" + user + "' to run the PostgreSQL server"
                    + " programs as; install the PostgreSQL server package or set os-user", e);
        }
    }

    /** Gives {@code path} to {@code user} when drover runs as root; files drover creates otherwise stay its own. */
    static void handOver(Path path, String user) throws IOException {
        if (runningAsRoot()) {
            Files.setOwner(path, principal(user));
        }
    }
}
