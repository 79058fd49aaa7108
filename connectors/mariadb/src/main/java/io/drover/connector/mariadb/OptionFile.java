package io.drover.connector.mariadb;

import io.drover.connector.support.SecretFile;
import java.io.IOException;

/**
 * A {@code [client]} option file with the account and, if any, the password, for
 * {@code --defaults-extra-file=} (which must be a client's first argument): the password never
 * goes on a command line or into an environment. The file is a {@link SecretFile}: {@code 0600}
 * in a {@code 0700} directory of its own; {@link #close()} deletes both.
 */
final class OptionFile implements AutoCloseable {
    private final SecretFile file;

    private OptionFile(SecretFile file) {
        this.file = file;
    }

    static OptionFile write(Endpoint endpoint) throws IOException {
        StringBuilder text = new StringBuilder("[client]\n");
        text.append("user=").append(quote(endpoint.user())).append('\n');
        endpoint.revealedPassword().ifPresent(p -> text.append("password=").append(quote(p)).append('\n'));
        text.append("host=").append(quote(endpoint.host())).append('\n');
        text.append("port=").append(endpoint.port()).append('\n');
        text.append("protocol=TCP\n");
        return new OptionFile(SecretFile.write("drover-mariadb-", "client.cnf", text));
    }

    /** The argument that must come first on the client's command line. */
    String argument() {
        return "--defaults-extra-file=" + file.path();
    }

    /** A double-quoted option value with the escapes the option file parser understands. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
