package io.drover.connector.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether two host names with ports name the same server, e.g. a standby's WAL sender and a
 * member's URL: {@code 127.0.0.1}, {@code localhost} and {@code ::1} are one host, and so are two
 * names that resolve to a common address.
 */
final class Endpoints {
    private Endpoints() {
    }

    static boolean same(String hostA, int portA, String hostB, int portB) {
        return portA == portB && sameHost(hostA, hostB);
    }

    static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        // A Unix socket directory is on the standby's own host: the same as a loopback URL.
        if (a.startsWith("/") || b.startsWith("/")) {
            return isLoopback(a.startsWith("/") ? b : a);
        }
        Set<InetAddress> addressesA = addresses(a);
        Set<InetAddress> addressesB = addresses(b);
        if (!addressesA.isEmpty() && !addressesB.isEmpty()
                && addressesA.stream().allMatch(InetAddress::isLoopbackAddress)
                && addressesB.stream().allMatch(InetAddress::isLoopbackAddress)) {
            return true;
        }
        return addressesA.stream().anyMatch(addressesB::contains);
    }

    private static boolean isLoopback(String host) {
        Set<InetAddress> addresses = addresses(host);
        return !addresses.isEmpty() && addresses.stream().allMatch(InetAddress::isLoopbackAddress);
    }

    private static Set<InetAddress> addresses(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).collect(Collectors.toSet());
        } catch (UnknownHostException | SecurityException e) {
            return Set.of();
        }
    }
}
