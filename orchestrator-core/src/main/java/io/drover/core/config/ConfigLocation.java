package io.drover.core.config;

/** A 1-based line and column in a YAML file. */
public record ConfigLocation(int line, int column) {
    /** The start of a file; used where nothing more precise is known. */
    public static final ConfigLocation START = new ConfigLocation(1, 1);

    public ConfigLocation {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
