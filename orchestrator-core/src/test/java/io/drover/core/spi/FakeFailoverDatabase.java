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
public final class FakeFailoverDatabase implements ReplicatedDatabase, DatabaseFailover {

    /** One member's state. */
    public static final class Member {
        final String site;
        Role role;
        boolean fenced;
        boolean reachable = true;
        long position;
        final List<String> rows = new ArrayList<>();

        Member(String site, Role role) {
            this.site = site;
            this.role = role;
        }
    }

    /** The shared state of one fake cluster; {@code dc1} (site primary) and {@code dr1} (site dr) unless given. */
    public static final class Cluster {
        final Map<String, Member> members = new LinkedHashMap<>();
        volatile boolean paused;
        /** Every promotion that changed a role, by member, for tests that count them. */
        public final List<String> promotions = new ArrayList<>();
        public final List<String> fences = new ArrayList<>();

        public Cluster() {
            members.put("dc1", new Member("primary", Role.PRIMARY));
            members.put("dr1", new Member("dr", Role.STANDBY));
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
            Member primary = primary().orElse(null);
            if (primary == null) {
                return;
            }
            for (Member m : members.values()) {
                if (m.role == Role.STANDBY && m.reachable) {
                    m.rows.clear();
                    m.rows.addAll(primary.rows);
                    m.position = primary.position;
                }
            }
        }

        /** The primary the standbys follow: the first reachable primary whose position is highest. */
        Optional<Member> primary() {
            return members.values().stream().filter(m -> m.role == Role.PRIMARY && m.reachable)
                    .max(java.util.Comparator.comparingLong(m -> m.position));
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
            target = cluster.members.values().stream().filter(p -> p != m && p.role == Role.PRIMARY && p.reachable)
                    .mapToLong(p -> p.position).max().orElseThrow(() -> new IOException("no primary of " + standby
                            + " can be reached"));
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
                cluster.promotions.add(member);
            }
        }
    }
}
