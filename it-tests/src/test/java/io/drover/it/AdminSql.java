package io.drover.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the database end-to-end tests do to a server as its administrator (a JDBC URL that carries
 * the user, trust or no password), and the leak check over a test's files.
 */
record AdminSql(String url) {

    boolean reachable() {
        try (Connection ignored = DriverManager.getConnection(url)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row of {@code sql}. */
    List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    /** The first value of {@code sql}, or null without rows. */
    String value(String sql) throws SQLException {
        List<String> values = column(sql);
        return values.isEmpty() ? null : values.getFirst();
    }

    /** Every regular file below {@code roots} whose bytes contain {@code secret} (as ISO-8859-1 text). */
    static List<Path> filesContaining(String secret, Path... roots) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret)) {
                        found.add(file);
                    }
                }
            }
        }
        return found;
    }
}
