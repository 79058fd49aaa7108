package io.drover.connector.mariadb;

/** Quoting of identifiers and literals for the statements drover builds itself. */
final class Sql {
    private Sql() {
    }

    /** {@code name} as a backtick-quoted identifier. */
    static String id(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return "`" + name.replace("`", "``") + "`";
    }

    /** {@code db.table} or {@code table}, each part quoted. */
    static String qualified(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? id(name) : id(name.substring(0, dot)) + "." + id(name.substring(dot + 1));
    }
}
