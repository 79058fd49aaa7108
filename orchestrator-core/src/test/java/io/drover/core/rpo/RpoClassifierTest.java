package io.drover.core.rpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.RpoState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpoClassifierTest {
    private static final Optional<Duration> HOUR = Optional.of(Duration.ofHours(1));
    private final RpoClassifier classifier = new RpoClassifier(0.75);

    private RpoState at(Duration achieved) {
        return classifier.classify(Optional.of(achieved), HOUR);
    }

    @Test
    void statesFollowTheThresholdsExactly() {
        assertThat(at(Duration.ZERO)).isEqualTo(RpoState.OK);
        assertThat(at(Duration.ofMinutes(45))).isEqualTo(RpoState.OK);
        assertThat(at(Duration.ofMinutes(45).plusSeconds(1))).isEqualTo(RpoState.AT_RISK);
        assertThat(at(Duration.ofHours(1))).isEqualTo(RpoState.AT_RISK);
        assertThat(at(Duration.ofHours(1).plusNanos(1))).isEqualTo(RpoState.BREACHED);
        assertThat(classifier.classify(Optional.empty(), HOUR)).as("no usable point at all").isEqualTo(RpoState.BREACHED);
        assertThat(classifier.classify(Optional.of(Duration.ofDays(9)), Optional.empty())).isEqualTo(RpoState.UNTRACKED);
    }

    @Test
    void nextWorseningIsTheNextThresholdCrossing() {
        Instant captured = Instant.parse("2026-11-27T10:00:00Z");
        Instant atRisk = captured.plus(Duration.ofMinutes(45));
        Instant breached = captured.plus(Duration.ofHours(1));
        assertThat(classifier.nextWorsening(captured, HOUR, captured.plusSeconds(60))).contains(atRisk.plusNanos(1));
        assertThat(classifier.nextWorsening(captured, HOUR, atRisk.plusSeconds(1))).contains(breached.plusNanos(1));
        assertThat(classifier.nextWorsening(captured, HOUR, breached.plusSeconds(1))).isEmpty();
        assertThat(classifier.nextWorsening(captured, Optional.empty(), captured)).isEmpty();
        // The state at the moment returned is the worse one.
        Instant next = classifier.nextWorsening(captured, HOUR, captured).orElseThrow();
        assertThat(classifier.classify(Optional.of(Duration.between(captured, next)), HOUR)).isEqualTo(RpoState.AT_RISK);
    }

    @Test
    void aFractionOfOneHasNoAtRiskPhase() {
        RpoClassifier strict = new RpoClassifier(1.0);
        assertThat(strict.classify(Optional.of(Duration.ofHours(1)), HOUR)).isEqualTo(RpoState.OK);
        assertThat(strict.classify(Optional.of(Duration.ofHours(1).plusSeconds(1)), HOUR)).isEqualTo(RpoState.BREACHED);
        assertThatThrownBy(() -> new RpoClassifier(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RpoClassifier(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
