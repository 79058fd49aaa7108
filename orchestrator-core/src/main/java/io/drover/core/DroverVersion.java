package io.drover.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** drover's version, as built; recorded in every manifest. */
public final class DroverVersion {
    private static final String VERSION = load();

    private DroverVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = DroverVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
