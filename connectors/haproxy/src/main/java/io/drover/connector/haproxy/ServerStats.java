package io.drover.connector.haproxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One server's line of {@code show stat BACKEND 4 -1} (the CSV statistics of a backend's servers):
 * the status HAProxy shows for it ({@code UP}, {@code DRAIN}, {@code MAINT}, {@code no check}...),
 * its current sessions ({@code scur}) and its effective weight.
 */
record ServerStats(String name, String status, int sessions, int weight) {

    /** The command whose answer {@link #parse} reads: statistics of type 4 (servers) of every server ({@code -1}). */
    static String command(String backend) {
        return "show stat " + backend + " 4 -1";
    }

    /**
     * The line of {@code server} in the answer to {@link #command}.
     *
     * @throws IOException when the answer is an error, not in the expected format, or has no such server
     */
    static ServerStats parse(String backend, String server, String answer) throws IOException {
        List<String> lines = answer.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
            throw new IOException("HAProxy refused '" + command(backend) + "': " + ServerState.firstLine(answer));
        }
        List<String> header = split(lines.getFirst().substring(2));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i), i);
        }
        List<String> names = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = split(line);
            if (!field(fields, columns, "pxname", line).equals(backend)) {
                continue;
            }
            String name = field(fields, columns, "svname", line);
            names.add(name);
            if (name.equals(server)) {
                try {
                    return new ServerStats(name, field(fields, columns, "status", line),
                            Integer.parseInt(field(fields, columns, "scur", line)),
                            Integer.parseInt(field(fields, columns, "weight", line)));
                } catch (NumberFormatException e) {
                    throw new IOException("unexpected line in '" + command(backend) + "': " + line, e);
                }
            }
        }
        throw new IOException("'" + command(backend) + "' lists no server " + server + "; its servers: " + names);
    }

    private static String field(List<String> fields, Map<String, Integer> columns, String name, String line) throws IOException {
        Integer index = columns.get(name);
        if (index == null || index >= fields.size()) {
            throw new IOException("'show stat' has no " + name + " in: " + line);
        }
        return fields.get(index);
    }

    /** Splits one CSV line; HAProxy quotes a field (doubling its quotes) when it holds a comma or a quote. */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
