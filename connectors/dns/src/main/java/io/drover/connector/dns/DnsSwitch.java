package io.drover.connector.dns;

import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Points a DNS name at one target by replacing its record set on the zone's primary server.
 *
 * <p>{@link #routeTo} sends one dynamic update (RFC 2136) that deletes the record set (name, type)
 * and adds the target's record with the configured TTL. Both are in one message, which the server
 * applies atomically: there is no moment in which the name has no record, or two. The update and
 * every query are signed with the TSIG key, and only answers whose signature verifies count. After a
 * NOERROR answer, {@code routeTo} asks the same server (without recursion) for the record set and
 * fails unless it is exactly the target's record with the configured TTL: a server may answer
 * NOERROR and still ignore part of an update (BIND does for a CNAME added beside other data).
 *
 * <p>The switch talks only to the primary: secondaries and resolvers catch up by NOTIFY/IXFR and
 * TTL expiry, which is the operator's TTL choice, not something a switch can shorten.
 */
final class DnsSwitch implements TrafficSwitch {
    private final DnsConfig config;
    private final ServerAddress server;
    private final Name zone;
    private final Name owner;
    private final int type;
    private final long ttlSeconds;
    /** Per target, the record drover writes for it. */
    private final Map<String, Record> records = new LinkedHashMap<>();
    private final SignedExchange exchange;

    /** @throws IllegalArgumentException when the config did not pass {@link DnsTrafficFactory#validate} */
    DnsSwitch(DnsConfig config, Clock clock) {
        this.config = config;
        this.server = ServerAddress.parse(config.server());
        this.zone = DnsValues.zone(config.zone());
        this.owner = DnsValues.owner(config.name(), zone);
        this.type = DnsValues.type(config.recordType());
        this.ttlSeconds = DnsValues.ttlSeconds(config.ttl());
        config.targets().forEach((target, value) -> records.put(target, DnsValues.record(config.recordType(), owner, ttlSeconds, value)));
        this.exchange = new SignedExchange(server, config.tsig(), config.timeout(), clock);
    }

    @Override
    public String describe() {
        return "DNS " + config.recordType() + " " + owner + " on " + server;
    }

    @Override
    public Map<String, String> targets() {
        return config.targets();
    }

    @Override
    public TrafficState state() throws IOException {
        RecordSet now = query();
        List<String> active = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        records.forEach((target, record) -> {
            if (now.contains(record)) {
                active.add(target);
                details.put(target, "in the " + setName() + " (TTL " + now.ttl() + ")" + now.strangers(records.values()));
            } else {
                details.put(target, "not in the " + setName() + ", which " + now.summary(records.values()));
            }
        });
        return new TrafficState(active, details);
    }

    @Override
    public void routeTo(String target) throws IOException {
        Record wanted = records.get(target);
        if (wanted == null) {
            throw new IOException(describe() + " has no target '" + target + "'; its targets: " + String.join(", ", records.keySet()));
        }
        Update update = new Update(zone);
        update.delete(owner, type);
        update.add(wanted);
        Message answer = send(update, "update");
        int rcode = answer.getRcode();
        if (rcode != Rcode.NOERROR) {
            throw new IOException(describe() + ": " + updateRefused(rcode) + "; nothing was changed");
        }
        RecordSet now = query();
        if (!now.isExactly(wanted, ttlSeconds)) {
            throw new IOException(describe() + ": the server accepted the update to " + target + " (" + wanted.rdataToString() + ", TTL "
                    + ttlSeconds + ") but its " + setName() + " " + now.summary(records.values()));
        }
    }

    private String setName() {
        return Type.string(type) + " record set of " + owner;
    }

    /** Why the server refused an update, and what to fix. */
    private String updateRefused(int rcode) {
        String key = config.tsig().name();
        return switch (rcode) {
            case Rcode.REFUSED -> "the server does not accept updates of " + owner + " " + Type.string(type) + " signed with key " + key
                    + " (REFUSED): check the allow-update/update-policy of zone " + zone + " and the key";
            case Rcode.NOTAUTH -> "the server is not authoritative for zone " + zone + " (NOTAUTH): server must be the zone's primary,"
                    + " the server that takes updates";
            case Rcode.NOTZONE -> "the server does not count " + owner + " as part of zone " + zone + " (NOTZONE): check zone and name";
            case Rcode.SERVFAIL -> "the server failed to apply the update (SERVFAIL): its log says why (e.g. zone " + zone
                    + " is not loaded, or its zone file or journal is not writable)";
            default -> "the server answered the update with " + Rcode.string(rcode);
        };
    }

    private Message send(Message request, String what) throws IOException {
        try {
            return exchange.send(request, what);
        } catch (IOException e) {
            throw new IOException(describe() + ": " + e.getMessage(), e);
        }
    }

    /** Asks the server, without recursion, for the record set this switch manages. */
    private RecordSet query() throws IOException {
        Message query = Message.newQuery(Record.newRecord(owner, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        String what = "query for " + owner + " " + Type.string(type);
        Message answer = send(query, what);
        int rcode = answer.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new IOException(describe() + ": the server answered the " + what + " with " + Rcode.string(rcode)
                    + (rcode == Rcode.REFUSED ? ": it does not serve zone " + zone + " (or does not answer this host); server must be the"
                    + " zone's primary" : ""));
        }
        if (!answer.getHeader().getFlag(Flags.AA)) {
            throw new IOException(describe() + ": the server's answer to the " + what + " is not authoritative: server must be the primary of"
                    + " zone " + zone + ", not a resolver or a server without the zone");
        }
        List<Record> set = new ArrayList<>();
        List<Record> aliases = new ArrayList<>();
        for (Record record : answer.getSection(Section.ANSWER)) {
            if (!record.getName().equals(owner)) {
                continue; // e.g. the address of a CNAME's target, which the server adds when it has it
            }
            if (record.getType() == type) {
                set.add(record);
            } else if (record.getType() == Type.CNAME) {
                aliases.add(record);
            }
        }
        return new RecordSet(set, aliases);
    }

    /**
     * The record set as the server answered it, and any CNAME at the name (which stands in for every
     * other type, so an A or AAAA set cannot exist beside it).
     */
    private record RecordSet(List<Record> records, List<Record> aliases) {
        boolean contains(Record record) {
            return records.contains(record); // Record.equals compares name, type, class and data, not the TTL
        }

        boolean isExactly(Record record, long ttl) {
            return records.size() == 1 && records.getFirst().equals(record) && records.getFirst().getTTL() == ttl;
        }

        long ttl() {
            return records.isEmpty() ? 0 : records.getFirst().getTTL();
        }

        /** What the set holds, which values are no target's, and the CNAME that keeps it empty, if any. */
        String summary(Collection<Record> known) {
            String content = records.isEmpty() ? "is empty" : "holds " + values(records) + " (TTL " + ttl() + ")";
            return content + strangers(known) + aliasNote();
        }

        /** The values in the set that belong to no target: someone else wrote them. */
        String strangers(Collection<Record> known) {
            List<Record> strangers = records.stream().filter(r -> !known.contains(r)).toList();
            if (strangers.isEmpty()) {
                return "";
            }
            return "; " + values(strangers) + (strangers.size() == 1 ? " is" : " are") + " no target's";
        }

        private String aliasNote() {
            return aliases.isEmpty() ? "" : "; the name is an alias (CNAME) of " + aliases.getFirst().rdataToString()
                    + ", so it has no other record set";
        }

        private static String values(List<Record> records) {
            return records.stream().map(Record::rdataToString).collect(Collectors.joining(", "));
        }
    }
}
