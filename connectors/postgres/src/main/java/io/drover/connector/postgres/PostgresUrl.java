package io.drover.connector.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code postgresql://user@host:port/dbname} URL. Holds no password: a URL with one is
 * refused, so that it can never be printed.
 */
record PostgresUrl(String user, String host, int port, String database) {
    static final int DEFAULT_PORT = 5432;

    /** Parses {@code url}; the message of the exception says what is wrong and never repeats a password. */
    static PostgresUrl parse(String url) {
        String text = url.strip();
        String rest;
        if (text.startsWith("postgresql://")) {
            rest = text.substring("postgresql://".length());
        } else if (text.startsWith("postgres://")) {
            rest = text.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("must start with postgresql:// (e.g. postgresql://backup@db.example.com:5432/app)");
        }
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        String userInfo = at < 0 ? "" : rest.substring(0, at);
        if (userInfo.contains(":")) {
            throw new IllegalArgumentException("must not contain a password; put the password in password: \"${env:...}\"");
        }
        if (userInfo.isEmpty()) {
            throw new IllegalArgumentException("names no user; write postgresql://user@host:port/dbname");
        }
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (" + e.getReason() + "); write postgresql://user@host:port/dbname");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("must not have ?parameters or a #fragment; write postgresql://user@host:port/dbname");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("names no host; write postgresql://user@host:port/dbname");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("has an invalid port " + port);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = URLDecoder.decode(path.startsWith("/") ? path.substring(1) : path, StandardCharsets.UTF_8);
        if (database.isEmpty()) {
            throw new IllegalArgumentException("names no database; write postgresql://user@host:port/dbname");
        }
        if (database.contains("/")) {
            throw new IllegalArgumentException("has more than one path segment; name one database after the port");
        }
        String user = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return new PostgresUrl(user, host, port, database);
    }

    /** {@code host:port}, for messages. */
    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same server and user, another database. */
    PostgresUrl withDatabase(String other) {
        return new PostgresUrl(user, host, port, other);
    }

    /** The JDBC URL, without user or password (those go in the connection properties). */
    String jdbcUrl() {
        return "jdbc:postgresql://" + hostPort() + "/" + URLEncoderHolder.encode(database);
    }

    /**
     * A libpq connection string for the client tools' {@code -d}; no password (the pass file has it).
     */
    String conninfo() {
        return "host=" + Conninfo.quote(host) + " port=" + port + " user=" + Conninfo.quote(user) + " dbname="
                + Conninfo.quote(database) + " connect_timeout=30";
    }

    private static final class URLEncoderHolder {
        static String encode(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
