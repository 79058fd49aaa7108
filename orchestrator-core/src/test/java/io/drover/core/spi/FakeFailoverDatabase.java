package io.drover.core.spi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replicated database in memory that can also fail over: members with a role, a write position
 * (a primary's) and a replayed position (a standby's), fenced or not, reachable or not. Writes on a
 * primary reach every standby unless replay is paused. Tests change its state through {@link Cluster}.
 */
public final class FakeFailoverDatabase implements ReplicatedDatabase, DatabaseFailover, DatabaseRejoin {

    /** One member's state. */
    public static final class Member {
        final String site;
        Role role;
        boolean fenced;
        boolean reachable = true;
        /** The member a standby replicates from; {@code null} for a primary. */
        String upstream;
        long position;
        final List<String> rows = new ArrayList<>();

        Member(String site, Role role, String upstream) {
            this.site = site;
            this.role = role;
            this.upstream = upstream;
        }
    }

    /** The shared state of one fake cluster; {@code dc1} (site primary) and {@code dr1} (site dr) unless given. */
    public static final class Cluster {
        final Map<String, Member> members = new LinkedHashMap<>();
        volatile boolean paused;
        /** Every promotion that changed a role, by member, for tests that count them. */
        public final List<String> promotions = new ArrayList<>();
        public final List<String> fences = new ArrayList<>();
        /** Every rejoin that changed a member, as {@code member->primary}. */
        public final List<String> rejoins = new ArrayList<>();

        public Cluster() {
            members.put("dc1", new Member("primary", Role.PRIMARY, null));
            members.put("dr1", new Member("dr", Role.STANDBY, "dc1"));
        }

        /** Writes {@code row} on {@code member}; refused unless it is a reachable, unfenced primary. */
        public synchronized void write(String member, String row) throws IOException {
            Member m = member(member);
            if (!m.reachable || m.role != Role.PRIMARY || m.fenced) {
                throw new IOException("member " + member + " refuses writes");
            }
            m.rows.add(row);
            m.position += 100;
            if (!paused) {
                replicate();
            }
        }

        /** Whether {@code row} is on {@code member}. */
        public synchronized boolean has(String member, String row) {
            return member(member).rows.contains(row);
        }

        public synchronized void pause() {
            paused = true;
        }

        public synchronized void resume() {
            paused = false;
            replicate();
        }

        public synchronized void reachable(String member, boolean reachable) {
            member(member).reachable = reachable;
        }

        public synchronized Role role(String member) {
            return member(member).role;
        }

        public synchronized boolean fenced(String member) {
            return member(member).fenced;
        }

        private void replicate() {
            for (Member m : members.values()) {
                Member upstream = m.upstream == null ? null : members.get(m.upstream);
                if (m.role == Role.STANDBY && m.reachable && upstream != null && upstream.reachable
                        && upstream.role == Role.PRIMARY) {
                    m.rows.clear();
                    m.rows.addAll(upstream.rows);
                    m.position = upstream.position;
                }
            }
        }

        /** The primary now: a reachable one, unfenced before fenced, then the highest position. */
        Optional<Member> primary() {
            return members.values().stream().filter(m -> m.role == Role.PRIMARY && m.reachable)
                    .max(java.util.Comparator.<Member, Boolean>comparing(m -> !m.fenced)
                            .thenComparingLong(m -> m.position));
        }

        Member member(String name) {
            Member m = members.get(name);
            if (m == null) {
                throw new IllegalArgumentException("no member '" + name + "'; members: " + members.keySet());
            }
            return m;
        }

        String name(Member member) {
            return members.entrySet().stream().filter(e -> e.getValue() == member).findFirst().orElseThrow().getKey();
        }
    }

    private final Cluster cluster;
    private final Clock clock;

    public FakeFailoverDatabase(Cluster cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    @Override
    public String describe() {
        return "fake failover database";
    }

    @Override
    public Map<String, String> sites() {
        synchronized (cluster) {
            Map<String, String> sites = new LinkedHashMap<>();
            cluster.members.forEach((name, m) -> sites.put(name, m.site));
            return sites;
        }
    }

    @Override
    public void writeHeartbeat() throws IOException {
        synchronized (cluster) {
            Member primary = cluster.primary().orElseThrow(() -> new IOException("no primary"));
            cluster.write(cluster.name(primary), "heartbeat " + clock.instant());
        }
    }

    @Override
    public ReplicationSample sample() throws IOException {
        synchronized (cluster) {
            Member primary = cluster.primary().orElseThrow(() -> new IOException("no primary can be reached"));
            List<ReplicationSample.Standby> standbys = new ArrayList<>();
            cluster.members.forEach((name, m) -> {
                if (m != primary) {
                    standbys.add(m.reachable
                            ? new ReplicationSample.Standby(name, m.site, true, Optional.empty(),
                            Optional.of(Math.max(0, primary.position - m.position)),
                            m.role == Role.PRIMARY ? "not in recovery (promoted?)" : cluster.paused ? "replay paused" : "streaming")
                            : new ReplicationSample.Standby(name, m.site, false, Optional.empty(), Optional.empty(),
                            "connection refused"));
                }
            });
            return new ReplicationSample(cluster.name(primary), clock.instant(), Optional.<Instant>empty(), standbys);
        }
    }

    @Override
    public MemberStatus status(String member) {
        synchronized (cluster) {
            Member m = cluster.member(member);
            if (!m.reachable) {
                return MemberStatus.unreachable(member, "member " + member + ": connection refused");
            }
            String lsn = "0/" + Long.toHexString(m.position).toUpperCase(java.util.Locale.ROOT);
            boolean primary = m.role == Role.PRIMARY;
            return new MemberStatus(member, true, m.role, primary && !m.fenced, m.fenced,
                    primary ? Optional.of(lsn) : Optional.empty(), Optional.of(lsn),
                    primary ? (m.fenced ? "primary, fenced (read-only)" : "primary") : cluster.paused ? "standby, replay paused" : "standby, streaming");
        }
    }

    @Override
    public void fence(String member) throws IOException {
        synchronized (cluster) {
            Member m = cluster.member(member);
            if (!m.reachable) {
                throw new IOException("member " + member + ": connection refused");
            }
            if (!m.fenced) {
                m.fenced = true;
                cluster.fences.add(member);
            }
        }
    }

    @Override
    public boolean fenced(String member) throws IOException {
        synchronized (cluster) {
            Member m = cluster.member(member);
            if (!m.reachable) {
                throw new IOException("member " + member + ": connection refused");
            }
            return m.fenced;
        }
    }

    @Override
    public void waitForReplay(String standby, Duration timeout) throws IOException, InterruptedException {
        long target;
        synchronized (cluster) {
            Member m = cluster.member(standby);
            if (!m.reachable) {
                throw new IOException("member " + standby + ": connection refused");
            }
            if (m.role != Role.STANDBY) {
                throw new IOException("member " + standby + " is not a standby (promoted already?)");
            }
            Member upstream = cluster.members.get(m.upstream);
            if (upstream == null || !upstream.reachable || upstream.role != Role.PRIMARY) {
                throw new IOException("no primary of " + standby + " can be reached");
            }
            target = upstream.position;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left;
            synchronized (cluster) {
                left = target - cluster.member(standby).position;
            }
            if (left <= 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("member " + standby + " did not replay the primary's position within " + timeout
                        + ": " + left + " bytes left");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void promote(String member) throws IOException {
        synchronized (cluster) {
            Member m = cluster.member(member);
            if (!m.reachable) {
                throw new IOException("member " + member + ": connection refused");
            }
            if (m.role != Role.PRIMARY) {
                m.role = Role.PRIMARY;
                m.fenced = false;
                m.upstream = null;
                cluster.promotions.add(member);
            }
        }
    }

    @Override
    public void unfence(String member) throws IOException {
        synchronized (cluster) {
            Member m = cluster.member(member);
            if (!m.reachable) {
                throw new IOException("member " + member + ": connection refused");
            }
            m.fenced = false;
        }
    }

    @Override
    public String planRejoin(String member, String primary) throws IOException {
        synchronized (cluster) {
            requireRejoinable(member, primary);
            return replicatesFrom(member, primary) ? member + " already replicates from " + primary
                    : "copy " + primary + "'s data to " + member + " (discarding what only " + member
                    + " has), then replicate from " + primary;
        }
    }

    @Override
    public boolean replicatesFrom(String member, String primary) throws IOException {
        synchronized (cluster) {
            Member m = cluster.member(member);
            cluster.member(primary);
            if (!m.reachable) {
                throw new IOException("member " + member + ": connection refused");
            }
            return m.role == Role.STANDBY && primary.equals(m.upstream);
        }
    }

    /** The fake discards a diverged member's own writes, as {@code pg_rewind} does. */
    @Override
    public String rejoin(String member, String primary, Duration timeout) throws IOException {
        synchronized (cluster) {
            requireRejoinable(member, primary);
            if (replicatesFrom(member, primary)) {
                return member + " already replicates from " + primary;
            }
            Member m = cluster.member(member);
            m.role = Role.STANDBY;
            m.fenced = false;
            m.upstream = primary;
            cluster.rejoins.add(member + "->" + primary);
            cluster.replicate();
            return member + " copied from " + primary + " and replicating from it";
        }
    }

    private void requireRejoinable(String member, String primary) throws IOException {
        Member m = cluster.member(member);
        Member p = cluster.member(primary);
        if (member.equals(primary)) {
            throw new IllegalArgumentException("a member cannot rejoin as a standby of itself: " + member);
        }
        if (!p.reachable || p.role != Role.PRIMARY || p.fenced) {
            throw new IOException(primary + " is not a writable primary to rejoin " + member + " to");
        }
        if (!m.reachable) {
            throw new IOException("member " + member + ": connection refused");
        }
    }
}
