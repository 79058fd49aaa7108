package io.drover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * drover's default logging: drover talks to people through its own output, so libraries log only
 * errors and drover's own loggers log at {@code DROVER_LOG_LEVEL} (default WARN), on stderr. Logback
 * finds this configurator through {@code META-INF/services} before it looks for a {@code logback.xml};
 * reading that file with Joran (an XML parser, a configuration model, their class loading and JIT)
 * cost every command more CPU than the rest of its logging put together. {@code drover serve}
 * replaces it with {@code logback-json.xml} when it logs JSON lines.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss} %-5level %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        context.getStatusManager().add(new NopStatusListener()); // no status lines about the configuration itself

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.ERROR);
        root.addAppender(stderr);
        context.getLogger("io.drover").setLevel(droverLevel(System.getProperty("DROVER_LOG_LEVEL", System.getenv("DROVER_LOG_LEVEL"))));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level of drover's loggers as the XML's {@code level="${DROVER_LOG_LEVEL:-WARN}"} read it. */
    static Level droverLevel(String configured) {
        if (configured == null || configured.isEmpty()) {
            return Level.WARN;
        }
        if (configured.equalsIgnoreCase("INHERITED") || configured.equalsIgnoreCase("NULL")) {
            return null; // the root's level
        }
        return Level.toLevel(configured); // like Joran: an unknown name means DEBUG
    }
}
