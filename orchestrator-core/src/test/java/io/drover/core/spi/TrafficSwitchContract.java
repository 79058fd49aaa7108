package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link TrafficSwitch} as tests. The fixture is a switch with at least two targets
 * that the test may route freely, and one that cannot be reached.
 */
public abstract class TrafficSwitchContract {

    /** A reachable switch with at least two targets; each call may return a new connection to the same switch. */
    protected abstract TrafficSwitch trafficSwitch() throws Exception;

    /** A switch of the same kind that cannot be reached (nothing listening, wrong address). */
    protected abstract TrafficSwitch unreachableSwitch() throws Exception;

    private static List<String> names(TrafficSwitch sw) {
        List<String> names = new ArrayList<>(sw.targets().keySet());
        assertThat(names).as("a switch in these tests has at least two targets").hasSizeGreaterThanOrEqualTo(2);
        return names;
    }

    @Test
    void stateReportsTheActiveTargetsAndDetailsForEveryTarget() throws Exception {
        try (TrafficSwitch sw = trafficSwitch()) {
            List<String> names = names(sw);
            assertThat(sw.describe()).isNotBlank();
            TrafficState state = sw.state();
            assertThat(names).containsAll(state.active());
            assertThat(state.details().keySet()).containsExactlyInAnyOrderElementsOf(names);
            state.details().values().forEach(detail -> assertThat(detail).isNotBlank());
            sw.routeTo(names.getFirst());
            assertThat(sw.state().active()).containsExactly(names.getFirst());
        }
    }

    @Test
    void routeToLeavesExactlyThatTargetActiveAndTwiceIsHarmless() throws Exception {
        try (TrafficSwitch sw = trafficSwitch()) {
            List<String> names = names(sw);
            for (String target : List.of(names.get(1), names.get(1), names.getFirst(), names.get(1))) {
                sw.routeTo(target);
                TrafficState state = sw.state();
                assertThat(state.active()).as("after routeTo(%s): %s", target, state.details()).containsExactly(target);
            }
        }
        try (TrafficSwitch again = trafficSwitch()) {
            List<String> names = names(again);
            assertThat(again.state().active()).as("a new connection sees the same").containsExactly(names.get(1));
        }
    }

    @Test
    void anUnknownTargetIsRefusedNamingTheValidOnesAndChangesNothing() throws Exception {
        try (TrafficSwitch sw = trafficSwitch()) {
            List<String> names = names(sw);
            sw.routeTo(names.getFirst());
            assertThatThrownBy(() -> sw.routeTo("nowhere")).isInstanceOf(IOException.class)
                    .hasMessageContaining("nowhere")
                    .satisfies(e -> names.forEach(name -> assertThat(e.getMessage()).contains(name)));
            assertThat(sw.state().active()).containsExactly(names.getFirst());
        }
    }

    @Test
    void aSwitchThatCannotBeReachedFailsWithAMessageNamingIt() throws Exception {
        try (TrafficSwitch sw = unreachableSwitch()) {
            List<String> names = names(sw);
            assertThatThrownBy(sw::state).isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank().contains(sw.describe()));
            assertThatThrownBy(() -> sw.routeTo(names.getFirst())).isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank().contains(sw.describe()));
        }
    }
}
