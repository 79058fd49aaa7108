package io.drover.core.app;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Where drover keeps its local state: embedded catalog, index cache, locks. */
public final class StateDirectory {
    private StateDirectory() {
    }

    /**
     * {@code state-dir} from the config, else {@code $DROVER_STATE_DIR}, else
     * {@code $XDG_STATE_HOME/drover}, else {@code ~/.local/state/drover}.
     */
    public static Path resolve(Optional<Path> configured, Function<String, String> env) {
        if (configured.isPresent()) {
            return configured.get().toAbsolutePath();
        }
        String explicit = env.apply("DROVER_STATE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = env.apply("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "drover");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "drover");
    }
}
