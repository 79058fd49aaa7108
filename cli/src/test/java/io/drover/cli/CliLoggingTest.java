package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CliLoggingTest {
    @Test
    void logbackFindsItInsteadOfAnXmlFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(CliLogging.class);
        LoggerContext used = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(used.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isInstanceOf(ConsoleAppender.class);
    }

    @Test
    void librariesLogErrorsAndDroverWarningsOnStderr() {
        LoggerContext context = new LoggerContext();
        assertThat(new CliLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.ERROR);
        var appender = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(appender.isStarted()).isTrue();
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(CliLogging.PATTERN);
        assertThat(context.getLogger("org.h2").getEffectiveLevel()).isEqualTo(Level.ERROR);
        if (System.getenv("DROVER_LOG_LEVEL") == null && System.getProperty("DROVER_LOG_LEVEL") == null) {
            assertThat(context.getLogger("io.drover.core").getEffectiveLevel()).isEqualTo(Level.WARN);
        }
    }

    @Test
    void droverLogLevelIsReadAsTheXmlConfigurationReadIt() {
        assertThat(CliLogging.droverLevel(null)).isEqualTo(Level.WARN);
        assertThat(CliLogging.droverLevel("")).isEqualTo(Level.WARN);
        assertThat(CliLogging.droverLevel("info")).isEqualTo(Level.INFO);
        assertThat(CliLogging.droverLevel("TRACE")).isEqualTo(Level.TRACE);
        assertThat(CliLogging.droverLevel("inherited")).isNull();
        assertThat(CliLogging.droverLevel("loud")).isEqualTo(Level.DEBUG);
    }
}
