package io.drover.runbook.expr;

import io.drover.core.config.ConfigBinder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code when:} condition, e.g.
 * {@code params.force || (steps.lag.outputs.bytes <= 0 && steps.fence.status == 'succeeded')}.
 *
 * <p>Grammar: {@code or := and ('||' and)*}, {@code and := not ('&&' not)*}, {@code not := '!' not | cmp},
 * {@code cmp := operand (('=='|'!='|'<'|'<='|'>'|'>=') operand)?}, {@code operand := '(' or ')' | 'text' |
 * "text" | number | true | false | reference | ${reference}}. Values are strings: two numbers compare as
 * numbers, two durations ({@code 10s}, {@code 2m}) as durations, anything else equal or not as text.
 * A referenced value that does not exist (a skipped step's output) is the empty string.
 */
public final class Expression {
    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses {@code text}.
     *
     * @throws ExpressionException with the offset of the problem
     */
    public static Expression parse(String text) {
        Objects.requireNonNull(text, "text");
        Parser parser = new Parser(text);
        Node root = parser.or();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw new ExpressionException("unexpected '" + parser.rest() + "'", parser.pos);
        }
        return new Expression(text, root);
    }

    public String text() {
        return text;
    }

    /** Every reference in the expression, in order. */
    public List<Reference> references() {
        List<Reference> out = new ArrayList<>();
        root.collect(out);
        return out;
    }

    /**
     * Evaluates the condition.
     *
     * @throws ExpressionException if a value is not a boolean where one is needed, or two values
     *                             cannot be ordered
     */
    public boolean test(Scope scope) {
        return truth(root.eval(scope), text);
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean truth(String value, String what) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new ExpressionException("'" + what + "' is '" + value + "', not true or false", -1);
        };
    }

    /** A node of the syntax tree; every value is a string, booleans are "true" and "false". */
    private sealed interface Node {
        String eval(Scope scope);

        void collect(List<Reference> out);
    }

    private record Literal(String value) implements Node {
        public String eval(Scope scope) {
            return value;
        }

        public void collect(List<Reference> out) {
        }
    }

    private record Ref(Reference reference) implements Node {
        public String eval(Scope scope) {
            return scope.resolve(reference).orElse("");
        }

        public void collect(List<Reference> out) {
            out.add(reference);
        }
    }

    private record Not(Node operand, String text) implements Node {
        public String eval(Scope scope) {
            return Boolean.toString(!truth(operand.eval(scope), text));
        }

        public void collect(List<Reference> out) {
            operand.collect(out);
        }
    }

    private record Logical(boolean and, Node left, Node right, String leftText, String rightText) implements Node {
        public String eval(Scope scope) {
            boolean l = truth(left.eval(scope), leftText);
            if (and ? !l : l) {
                return Boolean.toString(l);
            }
            return Boolean.toString(truth(right.eval(scope), rightText));
        }

        public void collect(List<Reference> out) {
            left.collect(out);
            right.collect(out);
        }
    }

    private record Compare(String op, Node left, Node right) implements Node {
        public String eval(Scope scope) {
            String l = left.eval(scope);
            String r = right.eval(scope);
            Integer order = order(l, r);
            boolean result = switch (op) {
                case "==" -> order != null ? order == 0 : l.equals(r);
                case "!=" -> order != null ? order != 0 : !l.equals(r);
                default -> {
                    if (order == null) {
                        throw new ExpressionException("cannot order '" + l + "' and '" + r + "' with " + op
                                + ": both must be numbers or both durations", -1);
                    }
                    yield switch (op) {
                        case "<" -> order < 0;
                        case "<=" -> order <= 0;
                        case ">" -> order > 0;
                        default -> order >= 0;
                    };
                }
            };
            return Boolean.toString(result);
        }

        public void collect(List<Reference> out) {
            left.collect(out);
            right.collect(out);
        }

        /** Numeric or duration order, or null if the two are not both numbers or both durations. */
        private static Integer order(String l, String r) {
            Optional<BigDecimal> ln = number(l);
            Optional<BigDecimal> rn = number(r);
            if (ln.isPresent() && rn.isPresent()) {
                return ln.get().compareTo(rn.get());
            }
            Optional<Duration> ld = duration(l);
            Optional<Duration> rd = duration(r);
            if (ld.isPresent() && rd.isPresent()) {
                return ld.get().compareTo(rd.get());
            }
            return null;
        }

        private static Optional<BigDecimal> number(String s) {
            try {
                return s.isBlank() ? Optional.empty() : Optional.of(new BigDecimal(s.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static Optional<Duration> duration(String s) {
            try {
                return s.isBlank() ? Optional.empty() : Optional.of(ConfigBinder.parseDuration(s.strip()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** Recursive descent over the text. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        String rest() {
            return text.substring(pos);
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean accept(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        Node or() {
            int start = position();
            Node left = and();
            while (accept("||")) {
                String leftText = text.substring(start, pos - 2).strip();
                int rightStart = position();
                Node right = and();
                left = new Logical(false, left, right, leftText, text.substring(rightStart, pos).strip());
            }
            return left;
        }

        Node and() {
            int start = position();
            Node left = not();
            while (accept("&&")) {
                String leftText = text.substring(start, pos - 2).strip();
                int rightStart = position();
                Node right = not();
                left = new Logical(true, left, right, leftText, text.substring(rightStart, pos).strip());
            }
            return left;
        }

        private int position() {
            skipSpace();
            return pos;
        }

        Node not() {
            skipSpace();
            if (!text.startsWith("!=", pos) && accept("!")) {
                int start = position();
                Node operand = not();
                return new Not(operand, text.substring(start, pos).strip());
            }
            return compare();
        }

        Node compare() {
            Node left = operand();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (accept(op)) {
                    return new Compare(op, left, operand());
                }
            }
            return left;
        }

        Node operand() {
            skipSpace();
            if (atEnd()) {
                throw new ExpressionException("the expression ends where a value is expected", pos);
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                if (!accept(")")) {
                    throw new ExpressionException("missing ')'", pos);
                }
                return inner;
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                if (end < 0) {
                    throw new ExpressionException("unterminated string", pos);
                }
                String value = text.substring(pos + 1, end);
                pos = end + 1;
                return new Literal(value);
            }
            if (text.startsWith("${", pos)) {
                int end = text.indexOf('}', pos);
                if (end < 0) {
                    throw new ExpressionException("missing '}'", pos);
                }
                Reference reference = Reference.parse(text.substring(pos + 2, end).strip(), pos);
                pos = end + 1;
                return new Ref(reference);
            }
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || "._-+".indexOf(text.charAt(pos)) >= 0)) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.isEmpty()) {
                throw new ExpressionException("unexpected '" + c + "'; expected a value, a reference or '('", start);
            }
            if (word.equals("true") || word.equals("false")) {
                return new Literal(word);
            }
            if (Character.isDigit(word.charAt(0)) || word.charAt(0) == '-' || word.charAt(0) == '+') {
                return new Literal(word); // a number or a duration such as 30s
            }
            return new Ref(Reference.parse(word, start));
        }
    }
}
