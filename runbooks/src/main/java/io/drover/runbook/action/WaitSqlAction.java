package io.drover.runbook.action;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code action: wait-sql}: waits until a query's first column of its first row meets an
 * expectation. The password goes only into the driver's connection properties; URLs and driver
 * messages are redacted before they are shown. Outputs: {@code value} (the last value read) and
 * {@code attempts}.
 */
public final class WaitSqlAction implements Action {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:password|passwd|pwd)\\s*=)[^&;#\\s]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/@\\s]+@");

    private final Config config;
    private final Expectation expectation;

    WaitSqlAction(Config config) {
        this.config = config;
        this.expectation = config.expect().map(Expectation::parse).orElse(Expectation.TRUTHY);
    }

    /**
     * The {@code with:} of a wait-sql step.
     *
     * @param url          a JDBC URL whose driver is on the class path
     * @param user         the user, if the URL does not name one
     * @param password     a secret reference ({@code ${env:NAME}} or {@code ${file:/path}})
     * @param query        a query whose first row's first column is compared
     * @param expect       a value to equal, or a comparison with a number ({@code > 0}, {@code != 3});
     *                     absent: the value must be true, a non-zero number or a non-empty text
     * @param timeout      how long to wait (the step's timeout still applies)
     * @param interval     pause between attempts
     * @param queryTimeout how long one query may run
     */
    public record Config(String url, Optional<String> user, Optional<Secret> password, String query,
                         Optional<String> expect, @Default("60s") Duration timeout, @Default("1s") Duration interval,
                         @Default("10s") Duration queryTimeout) {
    }

    /** Finds {@code action: wait-sql}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "wait-sql";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "wait until a SQL query returns the expected value";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (!config.url().startsWith("jdbc:")) {
                problems.add(new ConfigProblem("url", "url must be a JDBC URL (jdbc:postgresql://host/db, jdbc:mariadb://...)"));
            }
            if (config.query().isBlank()) {
                problems.add(new ConfigProblem("query", "query must not be empty"));
            }
            config.expect().ifPresent(text -> {
                try {
                    Expectation.parse(text);
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem("expect", e.getMessage()));
                }
            });
            positive(problems, "timeout", config.timeout());
            positive(problems, "interval", config.interval());
            positive(problems, "query-timeout", config.queryTimeout());
            return problems;
        }

        private static void positive(List<ConfigProblem> problems, String key, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(new ConfigProblem(key, key + " must be positive, got " + value));
            }
        }

        @Override
        public Action create(Config config) {
            return new WaitSqlAction(config);
        }
    }

    /**
     * What the query's value must be: true/non-zero/non-empty, equal to a text, or compared with a
     * number. A comparison with a number treats a value that is not a number as not (yet) matching.
     */
    record Expectation(Optional<String> operator, String operand) {
        static final Expectation TRUTHY = new Expectation(Optional.empty(), "");
        private static final Pattern COMPARISON = Pattern.compile("^(>=|<=|!=|=|>|<)\\s*(\\S.*)$");

        static Expectation parse(String text) {
            String trimmed = text.strip();
            Matcher m = COMPARISON.matcher(trimmed);
            if (!m.matches()) {
                return new Expectation(Optional.of("equals"), trimmed);
            }
            String number = m.group(2).strip();
            try {
                new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expect '" + text + "' compares with '" + number
                        + "', which is not a number; write e.g. '> 0', '= 3' or a plain value to equal");
            }
            return new Expectation(Optional.of(m.group(1)), number);
        }

        /** Why {@code value} (null for SQL NULL) does not match, or empty when it does. */
        Optional<String> mismatch(String value) {
            if (value == null) {
                return Optional.of("value is NULL");
            }
            if (operator.isEmpty()) {
                boolean truthy = switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                    case "", "false", "f", "0" -> false;
                    default -> !isZero(value);
                };
                return truthy ? Optional.empty() : Optional.of("value '" + value + "' is not true, non-zero or non-empty");
            }
            if (operator.get().equals("equals")) {
                return value.equals(operand) ? Optional.empty()
                        : Optional.of("value '" + value + "', expected '" + operand + "'");
            }
            BigDecimal actual;
            try {
                actual = new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                return Optional.of("value '" + value + "' is not a number, expected " + describe());
            }
            int c = actual.compareTo(new BigDecimal(operand));
            boolean holds = switch (operator.get()) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case "=" -> c == 0;
                case "!=" -> c != 0;
                default -> throw new IllegalStateException("operator " + operator.get() + " passed parse()");
            };
            return holds ? Optional.empty() : Optional.of("value " + value + ", expected " + describe());
        }

        String describe() {
            return operator.map(op -> op.equals("equals") ? "'" + operand + "'" : op + " " + operand)
                    .orElse("true, non-zero or non-empty");
        }

        private static boolean isZero(String value) {
            try {
                return new BigDecimal(value.strip()).signum() == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /** The URL without user info, password parameters, or the rest after {@code ?}; safe to show. */
    static String shownUrl(String url) {
        String withoutPassword = URL_PASSWORD.matcher(url).replaceAll("$1***");
        String withoutUser = URL_USER_INFO.matcher(withoutPassword).replaceAll("//");
        int query = withoutUser.indexOf('?');
        return query < 0 ? withoutUser : withoutUser.substring(0, query);
    }

    /** A driver message with the password (should a driver echo it) and URL credentials masked. */
    private String redact(String text) {
        if (text == null) {
            return "";
        }
        String result = URL_PASSWORD.matcher(text).replaceAll("$1***");
        result = URL_USER_INFO.matcher(result).replaceAll("//");
        if (config.password().isPresent() && !config.password().get().reveal().isEmpty()) {
            result = result.replace(config.password().get().reveal(), "***");
        }
        return result;
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    /** One read of the value; {@code value} receives it (null for NULL or no row) when the query ran. */
    private Waits.Probe probe(AtomicReference<String> value) {
        Properties properties = new Properties();
        config.user().ifPresent(u -> properties.setProperty("user", u));
        config.password().ifPresent(p -> properties.setProperty("password", p.reveal()));
        try (Connection connection = DriverManager.getConnection(config.url(), properties);
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, config.queryTimeout().toSeconds()));
            try (ResultSet rows = statement.executeQuery(config.query())) {
                if (!rows.next()) {
                    value.set(null);
                    return new Waits.Probe(false, "the query returned no row");
                }
                String read = text(rows.getObject(1));
                value.set(read);
                return expectation.mismatch(read).map(why -> new Waits.Probe(false, why))
                        .orElseGet(() -> new Waits.Probe(true, "value " + read));
            }
        } catch (SQLException e) {
            return new Waits.Probe(false, "SQL error" + (e.getSQLState() == null ? "" : " " + e.getSQLState()) + ": "
                    + redact(e.getMessage()));
        }
    }

    /** Booleans as true/false and numbers without exponent, so that expect compares what people write. */
    private static String text(Object value) {
        return switch (value) {
            case null -> null;
            case Boolean b -> b.toString();
            case BigDecimal d -> d.toPlainString();
            case Double d when d.isNaN() || d.isInfinite() -> d.toString();
            case Float f when f.isNaN() || f.isInfinite() -> f.toString();
            case Number n -> new BigDecimal(n.toString()).toPlainString();
            default -> value.toString();
        };
    }

    private String what() {
        return "query on " + shownUrl(config.url());
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        List<Precondition> preconditions = new ArrayList<>();
        String driverCheck = "a JDBC driver for " + shownUrl(config.url()) + " is on the class path";
        try {
            Driver driver = DriverManager.getDriver(config.url());
            preconditions.add(Precondition.passed(driverCheck, driver.getClass().getName()));
            // Whether it holds now is information, not a requirement: earlier steps may make it hold.
            Waits.Probe now = probe(new AtomicReference<>());
            preconditions.add(Precondition.passed("the value is " + expectation.describe() + " now",
                    now.ok() ? "yes, " + now.detail() : "not yet: " + now.detail()));
        } catch (SQLException e) {
            preconditions.add(Precondition.failed(driverCheck, "no driver accepts this URL; drover ships PostgreSQL,"
                    + " MariaDB and H2 drivers"));
        }
        return new ActionPlan("wait up to " + config.timeout().toSeconds() + "s for the " + what() + " to return "
                + expectation.describe(), preconditions, Optional.empty());
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        AtomicReference<String> value = new AtomicReference<>();
        Waits.Probe now = probe(value);
        return now.ok() ? CheckOutcome.done(what() + ": " + now.detail(), outputs(value.get(), 1))
                : CheckOutcome.notDone(now.detail());
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        AtomicReference<String> value = new AtomicReference<>();
        Waits.Waited waited = Waits.until(context, config.timeout(), config.interval(), what(), () -> probe(value));
        return outputs(value.get(), waited.attempts());
    }

    private static ActionOutputs outputs(String value, int attempts) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("value", value == null ? "" : value);
        values.put("attempts", Integer.toString(attempts));
        return ActionOutputs.of(values);
    }
}
