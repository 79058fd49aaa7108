package io.drover.connector.mariadb;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code DEFINER=`user`@`host`} accounts a dump names for its views, routines, triggers and
 * events. A temporary instance has none of them, and a view or function whose definer is missing
 * fails when used, so the instance gets them as locked accounts before the load.
 */
final class Definers {
    private static final byte[] MARK = "DEFINER=`".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_NAME = 300;

    record Account(String user, String host) {
    }

    private Definers() {
    }

    static Set<Account> scan(Path dump) throws IOException {
        Set<Account> accounts = new LinkedHashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dump), 1 << 16)) {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == MARK[matched]) {
                    matched++;
                    if (matched == MARK.length) {
                        matched = 0;
                        String user = quoted(in);
                        if (user != null && in.read() == '@' && in.read() == '`') {
                            String host = quoted(in);
                            if (host != null) {
                                accounts.add(new Account(user, host));
                            }
                        }
                    }
                } else {
                    matched = b == MARK[0] ? 1 : 0;
                }
            }
        }
        return accounts;
    }

    /** The rest of a backtick-quoted name whose opening backtick was read; null if malformed. */
    private static String quoted(InputStream in) throws IOException {
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        while (name.size() <= MAX_NAME) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '`') {
                in.mark(1);
                if (in.read() == '`') {
                    name.write('`');
                    continue;
                }
                in.reset();
                return name.toString(StandardCharsets.UTF_8);
            }
            name.write(b);
        }
        return null;
    }
}
