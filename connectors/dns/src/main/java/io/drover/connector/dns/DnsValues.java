package io.drover.connector.dns;

import io.drover.connector.dns.DnsConfig.RecordType;
import io.drover.connector.dns.DnsConfig.TsigAlgorithm;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Base64;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns the text of a {@link DnsConfig} into DNS names, records and keys. The factory's validation
 * and the switch use the same code, so what validates is exactly what the switch sends. Failures are
 * {@link IllegalArgumentException}s whose message is written for the config's user.
 */
final class DnsValues {
    /** The largest TTL RFC 2181 allows: 2^31 - 1 seconds. */
    static final long MAX_TTL_SECONDS = Integer.MAX_VALUE;

    private DnsValues() {
    }

    /** The zone, absolute whether or not it ends with a dot. */
    static Name zone(String zone) {
        try {
            return Name.fromString(zone.strip(), Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("zone must be a DNS name such as example.test.: " + e.getMessage());
        }
    }

    /**
     * The name whose record set is replaced: absolute when it ends with a dot, else relative to the
     * zone. A relative name that already spells out the zone is refused rather than guessed at:
     * {@code orders.example.test} in zone {@code example.test.} means
     * {@code orders.example.test.example.test.} in zone-file syntax, almost never what was meant.
     */
    static Name owner(String name, Name zone) {
        String text = name.strip();
        Name owner;
        try {
            owner = Name.fromString(text, zone);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("name must be a DNS name such as orders." + zone + " or orders: " + e.getMessage());
        }
        if (!owner.subdomain(zone)) {
            throw new IllegalArgumentException("name " + owner + " is not in zone " + zone);
        }
        if (!text.endsWith(".") && !text.equals("@")) {
            Name asAbsolute;
            try {
                asAbsolute = Name.fromString(text, Name.root);
            } catch (TextParseException e) {
                throw new IllegalArgumentException("name must be a DNS name: " + e.getMessage());
            }
            if (asAbsolute.subdomain(zone)) {
                throw new IllegalArgumentException("name '" + name + "' has no final dot, so it is relative to the zone and means " + owner
                        + "; write '" + asAbsolute + "' (with the final dot) or '" + relativeTo(asAbsolute, zone) + "'");
            }
        }
        return owner;
    }

    private static String relativeTo(Name name, Name zone) {
        return name.equals(zone) ? "@" : name.relativize(zone).toString();
    }

    /** The dnsjava type number of a record type. */
    static int type(RecordType type) {
        return switch (type) {
            case A -> Type.A;
            case AAAA -> Type.AAAA;
            case CNAME -> Type.CNAME;
        };
    }

    /**
     * The record drover writes for a target: an IPv4 address ({@code A}), an IPv6 address
     * ({@code AAAA}) or an absolute host name ({@code CNAME}). Addresses must be literals: a host
     * name here would be looked up once, on drover's host, and pinned.
     */
    static Record record(RecordType type, Name owner, long ttlSeconds, String value) {
        String text = value.strip();
        return switch (type) {
            case A -> new ARecord(owner, DClass.IN, ttlSeconds, address(text, Address.IPv4, "an IPv4 address such as 192.0.2.10", value));
            case AAAA -> new AAAARecord(owner, DClass.IN, ttlSeconds, address(text, Address.IPv6, "an IPv6 address such as 2001:db8::10",
                    value));
            case CNAME -> new CNAMERecord(owner, DClass.IN, ttlSeconds, hostName(text, value));
        };
    }

    private static InetAddress address(String text, int family, String expected, String value) {
        byte[] bytes = Address.toByteArray(text, family);
        if (bytes == null) {
            throw new IllegalArgumentException("must be " + expected + ", got '" + value + "'");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("must be " + expected + ", got '" + value + "'", e);
        }
    }

    private static Name hostName(String text, String value) {
        try {
            Name name = Name.fromString(text, Name.root);
            if (name.equals(Name.root)) {
                throw new IllegalArgumentException("must be a host name such as lb.dr1.example.net., got '" + value + "'");
            }
            return name;
        } catch (TextParseException e) {
            throw new IllegalArgumentException("must be a host name such as lb.dr1.example.net.: " + e.getMessage());
        }
    }

    /** The TTL in seconds: whole seconds, at least one, at most 2^31 - 1. */
    static long ttlSeconds(java.time.Duration ttl) {
        if (ttl.getNano() != 0 || ttl.getSeconds() < 1 || ttl.getSeconds() > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttl must be whole seconds from 1s to " + MAX_TTL_SECONDS + "s, got " + ttl);
        }
        return ttl.getSeconds();
    }

    /** The key's name as a DNS name (TSIG key names are domain names on the wire). */
    static Name keyName(String name) {
        try {
            Name key = Name.fromString(name.strip(), Name.root);
            if (key.equals(Name.root)) {
                throw new IllegalArgumentException("tsig.name must be the key's name such as drover-key, got '" + name + "'");
            }
            return key;
        } catch (TextParseException e) {
            throw new IllegalArgumentException("tsig.name must be the key's name such as drover-key: " + e.getMessage());
        }
    }

    /** The dnsjava algorithm name of a TSIG algorithm. */
    static Name algorithm(TsigAlgorithm algorithm) {
        return switch (algorithm) {
            case HMAC_SHA1 -> TSIG.HMAC_SHA1;
            case HMAC_SHA224 -> TSIG.HMAC_SHA224;
            case HMAC_SHA256 -> TSIG.HMAC_SHA256;
            case HMAC_SHA384 -> TSIG.HMAC_SHA384;
            case HMAC_SHA512 -> TSIG.HMAC_SHA512;
        };
    }

    /**
     * The key's bytes. The message names only where the secret came from ({@code reference}), never
     * the text, which may be the secret itself with a typo.
     */
    static byte[] keyBytes(String base64, String reference) {
        byte[] key;
        try {
            // Line breaks and spaces are allowed (a key file may wrap); anything else outside the alphabet is an error.
            key = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tsig.secret (from " + reference
                    + ") is not base64; give the key's secret as tsig-keygen writes it (the text between the quotes of secret \"...\";)");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("tsig.secret (from " + reference + ") is empty");
        }
        return key;
    }
}
