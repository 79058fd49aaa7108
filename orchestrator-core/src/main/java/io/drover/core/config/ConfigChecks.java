package io.drover.core.config;

import io.drover.core.model.DataSize;
import io.drover.core.spi.ConfigProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Value rules of drover's own config records that a type check cannot see. They live here rather
 * than in the records' constructors so that code building records directly (tests, tools) is not
 * bound by limits that exist to protect operators from typos.
 */
final class ConfigChecks {
    /** age X25519 recipient: "age1" + 58 characters of the lowercase bech32 alphabet. */
    private static final Pattern AGE_RECIPIENT = Pattern.compile("age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}");
    private static final DataSize MIN_PART_SIZE = DataSize.ofMebibytes(1);

    private ConfigChecks() {
    }

    static ConfigBinder register(ConfigBinder binder) {
        return binder.withCheck(EncryptionConfig.class, ConfigChecks::encryption)
                .withCheck(CompressionConfig.class, ConfigChecks::compression)
                .withCheck(JobConfig.class, ConfigChecks::job)
                .withCheck(RetentionConfig.class, ConfigChecks::retention)
                .withCheck(PruneConfig.class, ConfigChecks::prune)
                .withCheck(TargetLimits.class, ConfigChecks::limits)
                .withCheck(ScheduleConfig.class, ConfigChecks::schedule)
                .withCheck(RestoreVerifyConfig.class, ConfigChecks::restoreVerify)
                .withCheck(RestoreVerifyConfig.Check.class, ConfigChecks::restoreCheck)
                .withCheck(ServiceConfig.class, ConfigChecks::service)
                .withCheck(RpoTrackingConfig.class, ConfigChecks::rpoTracking)
                .withCheck(AlertsConfig.class, ConfigChecks::alerts)
                .withCheck(AlertsConfig.Webhook.class, ConfigChecks::webhook)
                .withCheck(AlertsConfig.Slack.class, ConfigChecks::slack)
                .withCheck(AlertsConfig.Email.class, ConfigChecks::email)
                .withCheck(AlertsConfig.Smtp.class, ConfigChecks::smtp)
                .withCheck(BlackoutConfig.class, ConfigChecks::blackout)
                .withCheck(ServeConfig.class, ConfigChecks::serve);
    }

    static List<ConfigProblem> encryption(EncryptionConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.insecureNoEncryption() && !config.recipients().isEmpty()) {
            problems.add(new ConfigProblem("insecure-no-encryption",
                    "insecure-no-encryption: true cannot be combined with recipients; remove one of them"));
        }
        if (!config.insecureNoEncryption() && config.recipients().isEmpty()) {
            problems.add(new ConfigProblem("recipients", "at least one age recipient is required"
                    + " (age-keygen prints one); insecure-no-encryption: true is for tests only"));
        }
        for (int i = 0; i < config.recipients().size(); i++) {
            String recipient = config.recipients().get(i);
            if (!AGE_RECIPIENT.matcher(recipient).matches()) {
                problems.add(new ConfigProblem("recipients[" + i + "]", "'" + recipient + "' is not an age X25519 public key"
                        + " (age1 followed by 58 lowercase bech32 characters, as printed by age-keygen)"));
            }
        }
        return problems;
    }

    static List<ConfigProblem> compression(CompressionConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.level() < 1 || config.level() > 19) {
            problems.add(new ConfigProblem("level", "level must be between 1 and 19, got " + config.level()));
        }
        if (config.workers() < 0 || config.workers() > 64) {
            problems.add(new ConfigProblem("workers", "workers must be between 0 (one per core) and 64, got " + config.workers()));
        }
        return problems;
    }

    static List<ConfigProblem> job(JobConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.fullEvery() < 1) {
            problems.add(new ConfigProblem("full-every", "full-every must be at least 1 (1 means every backup is full), got "
                    + config.fullEvery()));
        }
        if (config.partSize().compareTo(MIN_PART_SIZE) < 0) {
            problems.add(new ConfigProblem("part-size", "part-size must be at least 1MiB, got " + config.partSize()));
        }
        return problems;
    }

    static List<ConfigProblem> retention(RetentionConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        nonNegative(problems, "keep-last", config.keepLast());
        nonNegative(problems, "hourly", config.hourly());
        nonNegative(problems, "daily", config.daily());
        nonNegative(problems, "weekly", config.weekly());
        nonNegative(problems, "monthly", config.monthly());
        nonNegative(problems, "yearly", config.yearly());
        if (config.keepWithin().filter(Duration::isNegative).isPresent()) {
            problems.add(new ConfigProblem("keep-within", "keep-within must not be negative, got " + config.keepWithin().get()));
        }
        if (problems.isEmpty() && !config.hasRule()) {
            problems.add(new ConfigProblem("", "retention keeps nothing: set at least one of keep-last, hourly, daily,"
                    + " weekly, monthly, yearly or keep-within (remove retention: to keep every recovery point)"));
        }
        return problems;
    }

    static List<ConfigProblem> prune(PruneConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.gracePeriod().isNegative()) {
            problems.add(new ConfigProblem("grace-period", "grace-period must not be negative, got " + config.gracePeriod()));
        }
        config.objectLockDays().ifPresent(days -> nonNegative(problems, "object-lock-days", days));
        return problems;
    }

    private static void nonNegative(List<ConfigProblem> problems, String field, int value) {
        if (value < 0) {
            problems.add(new ConfigProblem(field, field + " must be 0 or more, got " + value));
        }
    }
    static List<ConfigProblem> limits(TargetLimits limits) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (limits.jobs() < 0) {
            problems.add(new ConfigProblem("jobs", "jobs must be 0 (unlimited) or more, got " + limits.jobs()));
        }
        if (limits.retries() < 1 || limits.retries() > 100) {
            problems.add(new ConfigProblem("retries", "retries must be between 1 (no retry) and 100, got " + limits.retries()));
        }
        if (limits.retryDelay().isNegative()) {
            problems.add(new ConfigProblem("retry-delay", "retry-delay must not be negative, got " + limits.retryDelay()));
        }
        if (limits.maxRetryDelay().compareTo(limits.retryDelay()) < 0) {
            problems.add(new ConfigProblem("max-retry-delay", "max-retry-delay must be at least retry-delay ("
                    + limits.retryDelay().toMillis() + "ms), got " + limits.maxRetryDelay().toMillis() + "ms"));
        }
        limits.upload().filter(size -> size.bytes() == 0).ifPresent(size -> problems.add(new ConfigProblem("upload",
                "upload must be a positive size per second such as 50MiB; leave it out for no limit")));
        limits.download().filter(size -> size.bytes() == 0).ifPresent(size -> problems.add(new ConfigProblem("download",
                "download must be a positive size per second such as 100MiB; leave it out for no limit")));
        // A backup holds its index and its current part open at once: with one permit it would wait forever.
        if (limits.concurrency() < 0 || limits.concurrency() == 1) {
            problems.add(new ConfigProblem("concurrency", "concurrency must be 0 (unlimited) or at least 2 (a backup"
                    + " writes its index and a part at once), got " + limits.concurrency()));
        }
        return problems;
    }

    static List<ConfigProblem> schedule(ScheduleConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            org.quartz.CronExpression.validateExpression(config.cron());
        } catch (java.text.ParseException e) {
            problems.add(new ConfigProblem("cron", "'" + config.cron() + "' is not a Quartz cron expression ("
                    + e.getMessage() + "); it has 6 or 7 fields, seconds first, e.g. \"0 30 2 * * ?\" for 02:30 every day"));
        }
        return problems;
    }

    static List<ConfigProblem> restoreVerify(RestoreVerifyConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        config.schedule().ifPresent(schedule -> problems.addAll(schedule(schedule)));
        positive(problems, "timeout", config.timeout());
        return problems;
    }

    static List<ConfigProblem> restoreCheck(RestoreVerifyConfig.Check check) {
        int kinds = (check.sql().isPresent() ? 1 : 0) + (check.table().isPresent() ? 1 : 0) + (check.canary() ? 1 : 0);
        List<ConfigProblem> problems = new ArrayList<>();
        if (kinds != 1) {
            problems.add(new ConfigProblem("", "a check is exactly one of { sql: \"select ...\" },"
                    + " { table: NAME, min-rows: N } or { canary: true }"));
        }
        if (check.expect().isPresent() && check.sql().isEmpty()) {
            problems.add(new ConfigProblem("expect", "expect belongs to a sql check"));
        }
        if (check.sql().isPresent() && check.sql().get().isBlank()) {
            problems.add(new ConfigProblem("sql", "write the query, e.g. \"select count(*) > 0 from orders\""));
        }
        if (check.minRows() < 0) {
            problems.add(new ConfigProblem("min-rows", "must be 0 or more"));
        }
        return problems;
    }

    static List<ConfigProblem> service(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.tier() < 0 || config.tier() > 9) {
            problems.add(new ConfigProblem("tier", "tier must be between 0 (most critical) and 9, got " + config.tier()));
        }
        config.rpo().filter(d -> d.isNegative() || d.isZero()).ifPresent(d -> problems.add(new ConfigProblem("rpo",
                "rpo must be a positive duration such as 1h, got " + d)));
        config.rto().filter(d -> d.isNegative() || d.isZero()).ifPresent(d -> problems.add(new ConfigProblem("rto",
                "rto must be a positive duration such as 30m, got " + d)));
        return problems;
    }

    static List<ConfigProblem> rpoTracking(RpoTrackingConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!(config.atRiskFraction() > 0 && config.atRiskFraction() <= 1)) {
            problems.add(new ConfigProblem("at-risk-fraction", "at-risk-fraction must be above 0 and at most 1"
                    + " (0.75: at risk once the newest recovery point is 75% of the RPO target old), got "
                    + config.atRiskFraction()));
        }
        if (config.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(new ConfigProblem("interval", "interval must be at least 1s, got " + config.interval()));
        }
        if (config.replicationInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(new ConfigProblem("replication-interval", "replication-interval must be at least 1s, got "
                    + config.replicationInterval()));
        }
        return problems;
    }

    static List<ConfigProblem> alerts(AlertsConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.dedupeWindow().isNegative()) {
            problems.add(new ConfigProblem("dedupe-window", "dedupe-window must not be negative, got " + config.dedupeWindow()));
        }
        if (config.rateLimit() < 1) {
            problems.add(new ConfigProblem("rate-limit", "rate-limit must be at least 1 alert per window, got "
                    + config.rateLimit()));
        }
        if (config.rateLimitWindow().isNegative() || config.rateLimitWindow().isZero()) {
            problems.add(new ConfigProblem("rate-limit-window", "rate-limit-window must be positive, got "
                    + config.rateLimitWindow()));
        }
        return problems;
    }

    static List<ConfigProblem> webhook(AlertsConfig.Webhook config) {
        List<ConfigProblem> problems = new ArrayList<>();
        httpUrl(problems, "url", config.url(), config.url());
        positive(problems, "timeout", config.timeout());
        return problems;
    }

    static List<ConfigProblem> slack(AlertsConfig.Slack config) {
        List<ConfigProblem> problems = new ArrayList<>();
        // The URL is the credential: name its reference, never its value.
        httpUrl(problems, "url", config.url().reveal(), "the URL from " + config.url().reference());
        positive(problems, "timeout", config.timeout());
        return problems;
    }

    static List<ConfigProblem> email(AlertsConfig.Email config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!config.from().contains("@")) {
            problems.add(new ConfigProblem("from", "from must be an e-mail address, got '" + config.from() + "'"));
        }
        if (config.to().isEmpty()) {
            problems.add(new ConfigProblem("to", "to must list at least one e-mail address"));
        }
        for (int i = 0; i < config.to().size(); i++) {
            if (!config.to().get(i).contains("@")) {
                problems.add(new ConfigProblem("to[" + i + "]", "'" + config.to().get(i) + "' is not an e-mail address"));
            }
        }
        return problems;
    }

    static List<ConfigProblem> smtp(AlertsConfig.Smtp config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.port() < 1 || config.port() > 65535) {
            problems.add(new ConfigProblem("port", "port must be between 1 and 65535, got " + config.port()));
        }
        if (!List.of("starttls", "ssl", "none").contains(config.tls())) {
            problems.add(new ConfigProblem("tls", "tls must be starttls, ssl or none, got '" + config.tls() + "'"));
        }
        if (config.password().isPresent() && config.user().isEmpty()) {
            problems.add(new ConfigProblem("user", "a password is set but no user; set user: as well"));
        }
        positive(problems, "timeout", config.timeout());
        return problems;
    }

    private static void httpUrl(List<ConfigProblem> problems, String field, String url, String shown) {
        try {
            java.net.URI uri = new java.net.URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(new ConfigProblem(field, shown + " is not an http:// or https:// URL with a host"));
            }
        } catch (java.net.URISyntaxException e) {
            problems.add(new ConfigProblem(field, shown + " is not a valid URL"));
        }
    }

    private static void positive(List<ConfigProblem> problems, String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(new ConfigProblem(field, field + " must be positive, got " + value));
        }
    }

    /** {@code HH:mm-HH:mm}, both ends valid times of day. */
    private static final Pattern DAILY_WINDOW = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d");

    static List<ConfigProblem> blackout(BlackoutConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.daily().isPresent() == config.cron().isPresent()) {
            problems.add(new ConfigProblem("", "a blackout needs exactly one of daily: \"08:00-18:00\" or cron: \"...\""));
        }
        config.daily().filter(d -> !DAILY_WINDOW.matcher(d).matches() || d.substring(0, 5).equals(d.substring(6)))
                .ifPresent(d -> problems.add(new ConfigProblem("daily", "daily must be a window HH:mm-HH:mm such as"
                        + " \"08:00-18:00\" (it may wrap midnight, e.g. \"22:00-02:00\"), got '" + d + "'")));
        config.cron().ifPresent(cron -> problems.addAll(schedule(new ScheduleConfig(cron, config.timezone()))));
        return problems;
    }

    static List<ConfigProblem> serve(ServeConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        int colon = config.listen().lastIndexOf(':');
        boolean validPort = false;
        if (colon > 0) {
            try {
                int port = Integer.parseInt(config.listen().substring(colon + 1));
                validPort = port >= 0 && port <= 65535;
            } catch (NumberFormatException e) {
                validPort = false;
            }
        }
        if (!validPort) {
            problems.add(new ConfigProblem("listen", "listen must be HOST:PORT such as 127.0.0.1:9464, got '"
                    + config.listen() + "'"));
        }
        if (config.threads() < 1 || config.threads() > 64) {
            problems.add(new ConfigProblem("threads", "threads must be between 1 and 64, got " + config.threads()));
        }
        if (config.shutdownGrace().isNegative()) {
            problems.add(new ConfigProblem("shutdown-grace", "shutdown-grace must not be negative, got "
                    + config.shutdownGrace()));
        }
        if (!List.of("text", "json").contains(config.logFormat())) {
            problems.add(new ConfigProblem("log-format", "log-format must be text or json, got '" + config.logFormat() + "'"));
        }
        return problems;
    }
}
