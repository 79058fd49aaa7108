package io.drover.connector.haproxy;

import java.util.Locale;

/** The administrative state of a HAProxy server, as {@code set server BACKEND/SERVER state ...} sets it. */
public enum ServerAdminState {
    /** Takes new connections (if up and weighted). */
    READY,
    /** Takes no new connections but keeps the established ones and its health checks. */
    DRAIN,
    /** Takes no new connections and is reported down; established connections stay until they end. */
    MAINT;

    /** The word the Runtime API and {@code with: state:} use, e.g. {@code drain}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state named by {@code keyword} ({@code ready}, {@code drain} or {@code maint}).
     *
     * @throws IllegalArgumentException naming the valid keywords otherwise
     */
    static ServerAdminState ofKeyword(String keyword) {
        for (ServerAdminState state : values()) {
            if (state.keyword().equals(keyword)) {
                return state;
            }
        }
        throw new IllegalArgumentException("'" + keyword + "' is not a server state; valid: ready, drain, maint");
    }
}
