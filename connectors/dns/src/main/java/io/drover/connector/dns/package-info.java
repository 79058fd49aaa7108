/**
 * The {@code dns} traffic switch (under {@code traffic:}): points a DNS name at one site by
 * replacing its record set on the zone's primary server with an RFC 2136 dynamic update signed
 * with TSIG (RFC 8945), and reads the record set back from the same server. dnsjava speaks the
 * protocol.
 */
package io.drover.connector.dns;
