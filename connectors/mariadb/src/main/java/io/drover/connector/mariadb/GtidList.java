package io.drover.connector.mariadb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID list such as {@code @@gtid_binlog_pos} or {@code @@gtid_binlog_state}
 * ({@code 0-1-42,1-3-7}: domain, server id, sequence number). Within a domain sequence numbers only
 * grow, so "has a server applied GTID d-s-n" is "does it have d-s-m with m ≥ n" (in a binlog state,
 * which keeps the newest GTID of every server per domain).
 */
record GtidList(List<Gtid> gtids) {
    GtidList {
        gtids = List.copyOf(gtids);
    }

    /** One GTID. */
    record Gtid(long domain, long serverId, long sequence) {
        @Override
        public String toString() {
            return domain + "-" + serverId + "-" + sequence;
        }
    }

    /** Parses {@code 0-1-42,1-3-7}; an empty or null text is the empty list. */
    static GtidList parse(String text) {
        List<Gtid> gtids = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String[] fields = part.strip().split("-");
                if (fields.length != 3) {
                    throw new IllegalArgumentException("not a GTID: '" + part.strip() + "' in '" + text + "'");
                }
                try {
                    gtids.add(new Gtid(Long.parseUnsignedLong(fields[0]), Long.parseUnsignedLong(fields[1]),
                            Long.parseUnsignedLong(fields[2])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a GTID: '" + part.strip() + "' in '" + text + "'", e);
                }
            }
        }
        return new GtidList(gtids);
    }

    boolean isEmpty() {
        return gtids.isEmpty();
    }

    /**
     * The newest GTID per domain of this list and {@code other}: where a server resumes replication
     * when its binary log ({@code gtid_binlog_pos}) and what it applied as a replica
     * ({@code gtid_slave_pos}, which a binary log without {@code log_slave_updates} lacks) differ.
     */
    GtidList newestPerDomain(GtidList other) {
        Map<Long, Gtid> newest = new LinkedHashMap<>();
        for (Gtid gtid : concat(gtids, other.gtids)) {
            newest.merge(gtid.domain(), gtid, (a, b) -> b.sequence() > a.sequence() ? b : a);
        }
        return new GtidList(new ArrayList<>(newest.values()));
    }

    /**
     * The GTIDs of this list that {@code state} (a {@code gtid_binlog_state}) does not contain:
     * transactions a server with this position wrote or applied that the server with that state
     * never logged.
     */
    List<Gtid> missingFrom(GtidList state) {
        Map<List<Long>, Long> newest = new LinkedHashMap<>();
        for (Gtid gtid : state.gtids) {
            newest.merge(List.of(gtid.domain(), gtid.serverId()), gtid.sequence(), Math::max);
        }
        List<Gtid> missing = new ArrayList<>();
        for (Gtid gtid : gtids) {
            Long have = newest.get(List.of(gtid.domain(), gtid.serverId()));
            if (have == null || have < gtid.sequence()) {
                missing.add(gtid);
            }
        }
        return Collections.unmodifiableList(missing);
    }

    /**
     * How many transactions a server at {@code position} is behind this one, counted by sequence
     * numbers per domain (exact while one server writes each domain).
     */
    long transactionsAhead(GtidList position) {
        Map<Long, Long> at = new LinkedHashMap<>();
        position.gtids.forEach(g -> at.merge(g.domain(), g.sequence(), Math::max));
        long ahead = 0;
        for (Gtid gtid : gtids) {
            ahead += Math.max(0, gtid.sequence() - at.getOrDefault(gtid.domain(), 0L));
        }
        return ahead;
    }

    private static List<Gtid> concat(List<Gtid> first, List<Gtid> second) {
        List<Gtid> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Override
    public String toString() {
        return gtids.stream().map(Gtid::toString).collect(Collectors.joining(","));
    }
}
