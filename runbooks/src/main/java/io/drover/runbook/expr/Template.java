package io.drover.runbook.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${params.NAME}}, {@code ${steps.ID.outputs.NAME}} and {@code ${steps.ID.status}}
 * in a string. {@code ${env:NAME}} and {@code ${file:/path}} are left for the config binder, which
 * expands them like drover.yaml: {@code ${file:...}} only in secret settings (an action's private key
 * or password), so a secret is read when the step runs and never enters the runbook's text or journal.
 */
public final class Template {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private Template() {
    }

    private static boolean forTheBinder(String body) {
        return body.startsWith("env:") || body.startsWith("file:");
    }

    /** The runbook references in {@code text}, in order. */
    public static List<Reference> references(String text) {
        List<Reference> found = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String body = m.group(1).strip();
            if (!forTheBinder(body)) {
                found.add(Reference.parse(body, m.start()));
            }
        }
        return found;
    }

    /**
     * {@code text} with every runbook reference replaced by its value.
     *
     * @throws ExpressionException if a referenced value does not exist
     */
    public static String render(String text, Scope scope) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = m.group(1).strip();
            String replacement;
            if (forTheBinder(body)) {
                replacement = m.group();
            } else {
                Reference reference = Reference.parse(body, m.start());
                replacement = scope.resolve(reference).orElseThrow(() -> new ExpressionException(
                        "${" + reference.text() + "} has no value" + (reference.stepId().isPresent()
                                ? " (step '" + reference.stepId().get() + "' did not produce it)" : ""), m.start()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
