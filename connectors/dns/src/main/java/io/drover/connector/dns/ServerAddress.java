package io.drover.connector.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The {@code server:} of a dns switch: a host (name or address) and a port. */
record ServerAddress(String host, int port) {
    static final int DNS_PORT = 53;

    /**
     * Parses {@code host}, {@code host:port}, an IPv6 address, or {@code [IPv6 address]:port}.
     *
     * @throws IllegalArgumentException with a message for the config's user
     */
    static ServerAddress parse(String text) {
        String trimmed = text.strip();
        String host = trimmed;
        String port = null;
        if (trimmed.startsWith("[")) {
            int end = trimmed.indexOf(']');
            if (end < 0 || (end + 1 < trimmed.length() && trimmed.charAt(end + 1) != ':')) {
                throw invalid(text);
            }
            host = trimmed.substring(1, end);
            port = end + 1 < trimmed.length() ? trimmed.substring(end + 2) : null;
        } else if (trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':')) {
            // One colon separates a port; more than one is an IPv6 address without a port.
            host = trimmed.substring(0, trimmed.indexOf(':'));
            port = trimmed.substring(trimmed.indexOf(':') + 1);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_')) {
            throw invalid(text);
        }
        return new ServerAddress(host, port == null ? DNS_PORT : port(port, text));
    }

    private static int port(String port, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the whole value
        }
        throw new IllegalArgumentException("server must be host[:port] with a port from 1 to 65535, got '" + text + "'");
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("server must be host[:port] (e.g. ns1.example.net, 192.0.2.53:53 or [2001:db8::53]:53), got '"
                + text + "'");
    }

    /** Looks the host up (when it is a name) with the platform's resolver. */
    InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
