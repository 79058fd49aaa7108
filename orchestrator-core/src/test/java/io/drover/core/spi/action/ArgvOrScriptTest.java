package io.drover.core.spi.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgvOrScriptTest {
    private static final Optional<String> REQUIRED = Optional.of("a step needs 'command' or 'script'");

    private static List<ConfigProblem> check(Optional<List<String>> argv, Optional<String> script, Optional<String> whenMissing) {
        List<ConfigProblem> problems = new ArrayList<>();
        ArgvOrScript.validate(problems, argv, script, "check", "check-script", whenMissing);
        return problems;
    }

    @Test
    void oneOfTheTwoIsFine() {
        assertThat(check(Optional.of(List.of("true")), Optional.empty(), REQUIRED)).isEmpty();
        assertThat(check(Optional.empty(), Optional.of("test -f /x"), REQUIRED)).isEmpty();
    }

    @Test
    void bothAreRefusedAtTheScriptKey() {
        assertThat(check(Optional.of(List.of("true")), Optional.of("true"), Optional.empty()))
                .containsExactly(new ConfigProblem("check-script", "give either 'check' or 'check-script', not both"));
    }

    @Test
    void neitherIsRefusedOnlyWhenRequired() {
        assertThat(check(Optional.empty(), Optional.empty(), Optional.empty())).isEmpty();
        assertThat(check(Optional.empty(), Optional.empty(), REQUIRED))
                .containsExactly(new ConfigProblem("", "a step needs 'command' or 'script'"));
    }

    @Test
    void anEmptyArgvOrABlankScriptIsRefused() {
        assertThat(check(Optional.of(List.of()), Optional.empty(), Optional.empty()))
                .containsExactly(new ConfigProblem("check", "'check' must name a program: [program, arg...]"));
        assertThat(check(Optional.empty(), Optional.of("  \n"), Optional.empty()))
                .containsExactly(new ConfigProblem("check-script", "'check-script' must not be empty"));
    }
}
