package io.drover.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.RetentionConfig;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    /** Builds a point at {@code at}; an incremental names {@code parent}. */
    private static RetentionPoint point(String at, Optional<RetentionPoint> parent, VerificationState state) {
        Instant instant = Instant.parse(at);
        BackupId id = new BackupId(instant.toString().replaceAll("[-:]", "").replace("Z", "") + "Z-0000000a");
        return new RetentionPoint(id, instant, state, parent.map(RetentionPoint::id));
    }

    private static RetentionPoint full(String at) {
        return point(at, Optional.empty(), VerificationState.UNVERIFIED);
    }

    private static RetentionConfig rules(int keepLast, int hourly, int daily, int weekly, int monthly, int yearly,
                                         Optional<Duration> within) {
        return new RetentionConfig(keepLast, hourly, daily, weekly, monthly, yearly, within);
    }

    private static RetentionPolicy policy(RetentionConfig config, ZoneId zone, String now) {
        return new RetentionPolicy(config, zone, Clock.fixed(Instant.parse(now), UTC));
    }

    private static Map<BackupId, RetentionDecision> byId(List<RetentionDecision> decisions) {
        Map<BackupId, RetentionDecision> map = new HashMap<>();
        decisions.forEach(d -> map.put(d.point().id(), d));
        return map;
    }

    /** A year of daily backups at 02:00 UTC, a full one every 7th day, the rest incrementals of the day before. */
    private static List<RetentionPoint> year(Predicate<LocalDate> verified) {
        List<RetentionPoint> points = new ArrayList<>();
        LocalDate day = LocalDate.of(2026, 1, 1);
        for (int i = 0; i < 365; i++, day = day.plusDays(1)) {
            Optional<RetentionPoint> parent = i % 7 == 0 ? Optional.empty() : Optional.of(points.get(i - 1));
            points.add(point(day + "T02:00:00Z", parent,
                    verified.test(day) ? VerificationState.VERIFIED_DEEP : VerificationState.UNVERIFIED));
        }
        return points;
    }

    @Test
    void aYearOfDailyBackupsKeepsExactlyWhatThePolicySaysWithCompleteChains() {
        LocalDate newestVerified = LocalDate.of(2026, 11, 1);
        List<RetentionPoint> points = year(d -> !d.isAfter(newestVerified));
        List<RetentionDecision> decisions = policy(rules(0, 0, 7, 4, 12, 0, Optional.empty()), UTC, "2026-12-31T03:00:00Z")
                .decide(points);

        Set<LocalDate> byPolicy = new TreeSet<>();
        for (int d = 25; d <= 31; d++) {
            byPolicy.add(LocalDate.of(2026, 12, d));
        }
        // ISO weeks 2026-W53 (Dec 28-31), W52, W51, W50 end on these days
        byPolicy.addAll(List.of(LocalDate.of(2026, 12, 27), LocalDate.of(2026, 12, 20), LocalDate.of(2026, 12, 13)));
        for (int month = 1; month <= 12; month++) {
            byPolicy.add(LocalDate.of(2026, month, 1).plusMonths(1).minusDays(1));
        }
        byPolicy.add(newestVerified);
        // a chain starts on every 7th day from Jan 1; a kept day needs every day back to its chain's start
        Set<LocalDate> expected = new TreeSet<>();
        LocalDate start = LocalDate.of(2026, 1, 1);
        for (LocalDate kept : byPolicy) {
            long index = kept.toEpochDay() - start.toEpochDay();
            for (long i = index - index % 7; i <= index; i++) {
                expected.add(start.plusDays(i));
            }
        }

        Set<LocalDate> actual = decisions.stream().filter(RetentionDecision::keep)
                .map(d -> LocalDate.ofInstant(d.point().capturedAt(), UTC)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(actual).containsExactlyElementsOf(expected);

        Map<BackupId, RetentionDecision> byId = byId(decisions);
        for (RetentionDecision kept : decisions.stream().filter(RetentionDecision::keep).toList()) {
            Optional<BackupId> parent = kept.point().parent();
            while (parent.isPresent()) {
                assertThat(byId.get(parent.get()).keep()).as("parent %s of kept %s", parent.get(), kept.point().id()).isTrue();
                parent = byId.get(parent.get()).point().parent();
            }
        }
        assertThat(byId.get(points.get(364).id()).reasons()).containsExactly("daily 2026-12-31", "weekly 2026-W53", "monthly 2026-12");
        assertThat(byId.get(points.get(304).id()).reasons()).contains("newest verified recovery point");
        assertThat(decisions.stream().filter(d -> !d.keep())).allSatisfy(d -> assertThat(d.reasons()).isEmpty());
        assertThat(decisions.get(0).point()).isEqualTo(points.get(364));
    }

    @Test
    void keepLastKeepsTheNewestN() {
        List<RetentionPoint> points = List.of(full("2026-11-20T01:00:00Z"), full("2026-11-20T02:00:00Z"),
                full("2026-11-20T03:00:00Z"), full("2026-11-20T04:00:00Z"));
        List<RetentionDecision> decisions = policy(rules(3, 0, 0, 0, 0, 0, Optional.empty()), UTC, "2026-11-21T00:00:00Z")
                .decide(points);
        assertThat(decisions).extracting(RetentionDecision::keep).containsExactly(true, true, true, false);
        assertThat(decisions.get(0).reasons()).containsExactly("keep-last 3");
    }

    @Test
    void hourlyKeepsTheNewestPointOfEachHour() {
        List<RetentionPoint> points = List.of(full("2026-11-20T01:10:00Z"), full("2026-11-20T01:50:00Z"),
                full("2026-11-20T02:05:00Z"), full("2026-11-20T02:40:00Z"), full("2026-11-20T03:00:00Z"));
        List<RetentionDecision> decisions = policy(rules(0, 2, 0, 0, 0, 0, Optional.empty()), UTC, "2026-11-21T00:00:00Z")
                .decide(points);
        assertThat(decisions).extracting(RetentionDecision::keep).containsExactly(true, true, false, false, false);
        assertThat(decisions.get(1).reasons()).containsExactly("hourly 2026-11-20 02:00");
    }

    @Test
    void periodsAreCountedInTheInjectedTimeZone() {
        // 23:30 UTC is already the next day in Berlin (UTC+1 in November)
        List<RetentionPoint> points = List.of(full("2026-11-20T20:00:00Z"), full("2026-11-20T23:30:00Z"));
        RetentionConfig daily2 = rules(0, 0, 2, 0, 0, 0, Optional.empty());
        assertThat(policy(daily2, UTC, "2026-11-21T00:00:00Z").decide(points))
                .extracting(RetentionDecision::keep).containsExactly(true, false);
        List<RetentionDecision> berlin = policy(daily2, ZoneId.of("Europe/Berlin"), "2026-11-21T00:00:00Z").decide(points);
        assertThat(berlin).extracting(RetentionDecision::keep).containsExactly(true, true);
        assertThat(berlin.get(0).reasons()).containsExactly("daily 2026-11-21");
        assertThat(berlin.get(1).reasons()).containsExactly("daily 2026-11-20");
    }

    @Test
    void weeklyMonthlyAndYearlyCountPeriodsThatHavePoints() {
        List<RetentionPoint> points = List.of(full("2024-03-01T00:00:00Z"), full("2025-06-01T00:00:00Z"),
                full("2025-06-20T00:00:00Z"), full("2026-11-02T00:00:00Z"), full("2026-11-20T00:00:00Z"));
        var yearly = policy(rules(0, 0, 0, 0, 0, 2, Optional.empty()), UTC, "2026-12-01T00:00:00Z").decide(points);
        assertThat(yearly).extracting(RetentionDecision::keep).containsExactly(true, false, true, false, false);
        assertThat(yearly.get(2).reasons()).containsExactly("yearly 2025");
        var monthly = policy(rules(0, 0, 0, 0, 3, 0, Optional.empty()), UTC, "2026-12-01T00:00:00Z").decide(points);
        assertThat(monthly).extracting(RetentionDecision::keep).containsExactly(true, false, true, false, true);
        assertThat(monthly.get(4).reasons()).containsExactly("monthly 2024-03");
        var weekly = policy(rules(0, 0, 0, 2, 0, 0, Optional.empty()), UTC, "2026-12-01T00:00:00Z").decide(points);
        assertThat(weekly).extracting(RetentionDecision::keep).containsExactly(true, true, false, false, false);
        assertThat(weekly.get(1).reasons()).containsExactly("weekly 2026-W45");
    }

    @Test
    void keepWithinKeepsEverythingInTheWindowBeforeNow() {
        List<RetentionPoint> points = List.of(full("2026-11-10T00:00:00Z"), full("2026-11-14T00:00:00Z"),
                full("2026-11-20T00:00:00Z"));
        var decisions = policy(rules(0, 0, 0, 0, 0, 0, Optional.of(Duration.ofDays(7))), UTC, "2026-11-21T00:00:00Z")
                .decide(points);
        assertThat(decisions).extracting(RetentionDecision::keep).containsExactly(true, true, false);
        assertThat(decisions.get(1).reasons()).containsExactly("within 7d");
    }

    @Test
    void theNewestVerifiedPointIsKeptWhateverThePolicySays() {
        RetentionPoint old = point("2026-01-01T00:00:00Z", Optional.empty(), VerificationState.RESTORE_TESTED);
        RetentionPoint verified = point("2026-06-01T00:00:00Z", Optional.empty(), VerificationState.VERIFIED_QUICK);
        RetentionPoint corrupt = point("2026-11-01T00:00:00Z", Optional.empty(), VerificationState.CORRUPT);
        RetentionPoint newest = full("2026-11-20T00:00:00Z");
        var decisions = policy(rules(1, 0, 0, 0, 0, 0, Optional.empty()), UTC, "2026-11-21T00:00:00Z")
                .decide(List.of(old, verified, corrupt, newest));
        assertThat(decisions).extracting(RetentionDecision::keep).containsExactly(true, false, true, false);
        assertThat(decisions.get(2).reasons()).containsExactly("newest verified recovery point");
    }

    @Test
    void everyAncestorOfAKeptIncrementalIsKept() {
        RetentionPoint base = full("2026-11-01T00:00:00Z");
        RetentionPoint inc1 = point("2026-11-02T00:00:00Z", Optional.of(base), VerificationState.UNVERIFIED);
        RetentionPoint inc2 = point("2026-11-03T00:00:00Z", Optional.of(inc1), VerificationState.UNVERIFIED);
        RetentionPoint other = full("2026-10-01T00:00:00Z");
        var decisions = byId(policy(rules(1, 0, 0, 0, 0, 0, Optional.empty()), UTC, "2026-11-21T00:00:00Z")
                .decide(List.of(other, base, inc1, inc2)));
        assertThat(decisions.get(inc2.id()).reasons()).containsExactly("keep-last 1");
        assertThat(decisions.get(inc1.id()).reasons()).containsExactly("parent of kept " + inc2.id());
        assertThat(decisions.get(base.id()).reasons()).containsExactly("parent of kept " + inc1.id());
        assertThat(decisions.get(other.id()).keep()).isFalse();
    }

    @Test
    void pinnedPointsAndTheirChainsAreKept() {
        RetentionPoint base = full("2026-11-01T00:00:00Z");
        RetentionPoint inc = point("2026-11-02T00:00:00Z", Optional.of(base), VerificationState.UNVERIFIED);
        RetentionPoint newest = full("2026-11-20T00:00:00Z");
        var decisions = byId(policy(rules(1, 0, 0, 0, 0, 0, Optional.empty()), UTC, "2026-11-21T00:00:00Z")
                .decide(List.of(base, inc, newest), Map.of(inc.id(), "object lock")));
        assertThat(decisions.get(inc.id()).reasons()).containsExactly("object lock");
        assertThat(decisions.get(base.id()).keep()).isTrue();
    }
}
