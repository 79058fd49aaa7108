package io.drover.runbook.engine;

import io.drover.core.alert.Alert;
import io.drover.core.alert.AlertChannel;
import io.drover.core.alert.AlertDispatcher;
import io.drover.core.spi.action.ActionServices;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Gives actions the alert channels of drover.yaml. */
public final class AlertActionServices implements ActionServices {
    private final AlertDispatcher dispatcher;
    private final Clock clock;

    public AlertActionServices(AlertDispatcher dispatcher, Clock clock) {
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @Override
    public List<String> alertChannels() {
        return dispatcher.channels().stream().map(AlertChannel::name).toList();
    }

    @Override
    public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
        Alert.Severity level = switch (severity) {
            case INFO -> Alert.Severity.INFO;
            case WARNING -> Alert.Severity.WARNING;
            case CRITICAL -> Alert.Severity.CRITICAL;
        };
        return dispatcher.dispatch(new Alert(Alert.Kind.RUNBOOK, level, key, title, text, fields, clock.instant())).stream()
                .map(d -> d.channel() + ": " + d.outcome() + d.detail().map(x -> " (" + x + ")").orElse(""))
                .toList();
    }
}
