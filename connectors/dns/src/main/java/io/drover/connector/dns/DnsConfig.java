package io.drover.connector.dns;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Config of a {@code dns} traffic switch under {@code traffic:}.
 *
 * <pre>
 * traffic:
 *   orders-dns:
 *     type: dns
 *     server: 192.0.2.53:53
 *     zone: example.test.
 *     name: orders.example.test.
 *     record-type: A
 *     ttl: 60s
 *     tsig: { name: drover-key, algorithm: hmac-sha256, secret: "${file:/etc/drover/tsig.secret}" }
 *     targets: { dc1: 192.0.2.10, dr1: 198.51.100.10 }
 *     timeout: 5s
 * </pre>
 *
 * @param server     the zone's primary server, the one that takes updates: {@code host[:port]}
 *                   ({@code [v6-address]:port} for an IPv6 address with a port), port 53 by default
 * @param zone       the zone the name belongs to, e.g. {@code example.test.} (always absolute)
 * @param name       the name whose record set drover replaces: absolute with a final dot
 *                   ({@code orders.example.test.}) or relative to the zone ({@code orders})
 * @param recordType the type of the record set: {@code A}, {@code AAAA} or {@code CNAME}
 * @param ttl        the TTL of the records drover writes, in whole seconds; clients may keep the
 *                   old answer this long after a switch
 * @param tsig       the key the updates and queries are signed with
 * @param targets    member name (as under {@code databases:}) → its IPv4 address ({@code A}), IPv6
 *                   address ({@code AAAA}) or host name ({@code CNAME}, always absolute)
 * @param timeout    how long one exchange with the server may take, connecting included
 */
public record DnsConfig(String server, String zone, String name, @Default("A") RecordType recordType,
        @Default("60s") Duration ttl, Tsig tsig, Map<String, String> targets, @Default("5s") Duration timeout) {
    public DnsConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(recordType, "recordType");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(tsig, "tsig");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(timeout, "timeout");
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    /** The record types a switch can manage: an address record set, or an alias. */
    public enum RecordType {
        A, AAAA, CNAME
    }

    /**
     * A TSIG key as the server knows it ({@code key "drover-key" { algorithm hmac-sha256; secret "..."; };}).
     *
     * @param name      the key's name, e.g. {@code drover-key}
     * @param algorithm its HMAC algorithm
     * @param secret    its secret, base64 as {@code tsig-keygen} writes it
     */
    public record Tsig(String name, @Default("hmac-sha256") TsigAlgorithm algorithm, Secret secret) {
        public Tsig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(secret, "secret");
        }
    }

    /**
     * The HMAC algorithms of RFC 8945 that are still safe to sign with; {@code hmac-md5} is left
     * out on purpose (MD5 is broken; {@code tsig-keygen} defaults to {@code hmac-sha256}).
     */
    public enum TsigAlgorithm {
        HMAC_SHA1, HMAC_SHA224, HMAC_SHA256, HMAC_SHA384, HMAC_SHA512;

        /** The name BIND and RFC 8945 use, e.g. {@code hmac-sha256}. */
        public String dnsName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
