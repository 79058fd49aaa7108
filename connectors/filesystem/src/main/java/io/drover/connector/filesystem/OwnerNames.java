package io.drover.connector.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * User and group names by id. Resolving a name costs a passwd/group lookup per file, so names are
 * looked up once per id for a whole walk.
 */
final class OwnerNames {
    private final Map<Integer, String> users = new HashMap<>();
    private final Map<Integer, String> groups = new HashMap<>();

    String user(int uid, Path path) {
        return users.computeIfAbsent(uid, id -> lookUp(path, true, id));
    }

    String group(int gid, Path path) {
        return groups.computeIfAbsent(gid, id -> lookUp(path, false, id));
    }

    private static String lookUp(Path path, boolean user, int id) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String name = user ? attributes.owner().getName() : attributes.group().getName();
            // The JDK falls back to the number when the id has no name; the number is recorded anyway.
            return name.equals(Integer.toString(id)) ? "" : name;
        } catch (IOException e) {
            return "";
        }
    }
}
