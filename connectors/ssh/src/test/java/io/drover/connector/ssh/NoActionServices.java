package io.drover.connector.ssh;

import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.ActionServices;
import java.util.List;
import java.util.Map;

/** Core's services for actions that use none of them, like {@code ssh}: no alert channels, databases or switches. */
final class NoActionServices implements ActionServices {
    @Override
    public List<String> alertChannels() {
        return List.of();
    }

    @Override
    public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
        return List.of();
    }

    @Override
    public ReplicatedDatabase database(String name) {
        throw new IllegalArgumentException("no database '" + name + "'; none are defined here");
    }

    @Override
    public TrafficSwitch traffic(String name) {
        throw new IllegalArgumentException("no traffic switch '" + name + "'; none are defined here");
    }
}
