package io.drover.connector.mariadb;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A MariaDB or MySQL version, of a server ({@code select version()}) or a client ({@code --version}). */
record ServerVersion(boolean mariadb, int major, int minor, int patch) {
    private static final Pattern MARIADB = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)-MariaDB");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    /** {@code mysqldump  Ver 8.0.36 for Linux}: the version after "Ver", since "Distrib" is absent in MySQL 8. */
    private static final Pattern CLIENT = Pattern.compile("(?:Distrib|Ver|from)\\s+(\\d+)\\.(\\d+)\\.(\\d+)");

    /** From {@code select version()}, e.g. {@code 10.11.19-MariaDB-0+deb12u1} or {@code 8.0.36}. */
    static Optional<ServerVersion> ofServer(String text) {
        Matcher m = MARIADB.matcher(text);
        if (m.find()) {
            return Optional.of(of(true, m));
        }
        m = VERSION.matcher(text);
        return m.find() ? Optional.of(of(text.contains("MariaDB"), m)) : Optional.empty();
    }

    /**
     * From a dump client's {@code --version}: {@code mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, ...},
     * {@code mariadb-dump from 11.4.2-MariaDB, client 10.19 ...}, {@code mysqldump  Ver 8.0.36 for Linux ...}.
     */
    static Optional<ServerVersion> ofClient(String text) {
        Matcher m = MARIADB.matcher(text);
        if (m.find()) {
            return Optional.of(of(true, m));
        }
        m = CLIENT.matcher(text);
        while (m.find()) {
            ServerVersion version = of(false, m);
            // "Ver 10.19 Distrib ..." names the client protocol version first; 8.x and later is MySQL's own scheme.
            if (version.major() >= 5 && !(version.major() == 10 && text.contains("Distrib"))) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    private static ServerVersion of(boolean mariadb, Matcher m) {
        return new ServerVersion(mariadb, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    String product() {
        return mariadb ? "MariaDB" : "MySQL";
    }

    @Override
    public String toString() {
        return product() + " " + major + "." + minor + "." + patch;
    }

    /** {@code 10.11}: how reports name the release. */
    String series() {
        return product() + " " + major + "." + minor;
    }
}
