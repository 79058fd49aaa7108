package io.drover.runbook.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    private static final Map<String, String> VALUES = Map.of("params.force", "false", "params.max-lag", "10s",
            "params.count", "3", "params.site", "dr1", "steps.lag.outputs.bytes", "0", "steps.lag.outputs.delay", "2s",
            "steps.fence.status", "succeeded");
    private static final Scope SCOPE = r -> Optional.ofNullable(VALUES.get(r.text()));

    private static boolean eval(String text) {
        return Expression.parse(text).test(SCOPE);
    }

    @Test
    void comparesNumbersDurationsAndText() {
        assertThat(eval("params.count > 2")).isTrue();
        assertThat(eval("params.count >= 10")).isFalse(); // numerically, not as text ("3" > "10")
        assertThat(eval("steps.lag.outputs.delay < params.max-lag")).isTrue();
        assertThat(eval("steps.lag.outputs.delay <= 1500ms")).isFalse();
        assertThat(eval("params.site == 'dr1'")).isTrue();
        assertThat(eval("params.site != \"dr1\"")).isFalse();
        assertThat(eval("steps.lag.outputs.bytes == 0.0")).isTrue();
    }

    @Test
    void combinesWithPrecedenceAndParentheses() {
        assertThat(eval("params.force || steps.lag.outputs.bytes == 0 && steps.fence.status == 'succeeded'")).isTrue();
        assertThat(eval("(params.force || steps.lag.outputs.bytes == 1) && true")).isFalse();
        assertThat(eval("!params.force")).isTrue();
        assertThat(eval("!(params.site == 'dr1')")).isFalse();
        assertThat(eval("${params.site} == 'dr1'")).isTrue();
    }

    @Test
    void missingValuesAreEmptyAndFalse() {
        assertThat(eval("steps.skipped.outputs.x == ''")).isTrue();
        assertThat(eval("steps.skipped.outputs.x")).isFalse();
    }

    @Test
    void listsItsReferences() {
        assertThat(Expression.parse("params.a == steps.b.outputs.c || steps.d.status == 'skipped'").references())
                .containsExactly(new Reference.Param("a"), new Reference.Output("b", "c"), new Reference.Status("d"));
    }

    @Test
    void reportsSyntaxErrorsWithTheirOffset() {
        assertThatThrownBy(() -> Expression.parse("params.a == 'x"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("unterminated string")
                .extracting(e -> ((ExpressionException) e).offset()).isEqualTo(12);
        assertThatThrownBy(() -> Expression.parse("(params.a"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> Expression.parse("env.HOME == 'x'"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("unknown reference 'env.HOME'");
        assertThatThrownBy(() -> Expression.parse("params.a = 1"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("unexpected");
        assertThatThrownBy(() -> Expression.parse("params.a == 1 junk"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("unexpected 'junk'");
    }

    @Test
    void refusesNonBooleansAndUnorderedValues() {
        assertThatThrownBy(() -> eval("params.site")).hasMessageContaining("not true or false");
        assertThatThrownBy(() -> eval("params.site < 3")).hasMessageContaining("cannot order 'dr1' and '3'");
    }

    @Test
    void templatesSubstituteReferencesAndLeaveEnvAndFileToTheBinder() {
        assertThat(Template.render("to ${params.site} (${ steps.fence.status }) ${env:HOME}", SCOPE))
                .isEqualTo("to dr1 (succeeded) ${env:HOME}");
        assertThat(Template.render("${file:/etc/drover/ssh_key}", SCOPE)).isEqualTo("${file:/etc/drover/ssh_key}");
        assertThat(Template.references("${file:/etc/drover/ssh_key}")).isEmpty();
        assertThatThrownBy(() -> Template.render("${steps.x.outputs.y}", SCOPE))
                .hasMessageContaining("${steps.x.outputs.y} has no value (step 'x' did not produce it)");
        assertThat(Template.references("a ${params.x} b ${env:Y}")).containsExactly(new Reference.Param("x"));
    }
}
