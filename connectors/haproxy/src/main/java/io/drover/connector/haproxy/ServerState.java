package io.drover.connector.haproxy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server of {@code show servers state BACKEND} (format version 1): its operational state
 * ({@code srv_op_state}: 0 stopped, 1 starting, 2 running, 3 stopping), its administrative state
 * ({@code srv_admin_state}, a bit set: 0x01 forced maintenance, 0x02 inherited, 0x04 from the
 * config, 0x20 resolution, 0x08/0x10 drain) and its user weight.
 */
record ServerState(String name, int opState, int adminState, int weight) {
    private static final int CONFIG_MAINT = 0x04;
    private static final int MAINT_BITS = 0x01 | 0x02 | CONFIG_MAINT | 0x20 | 0x40;
    private static final int DRAIN_BITS = 0x08 | 0x10;

    /** Whether new connections may go to it: not in maintenance or drain, weight above 0, not down. */
    boolean takesTraffic() {
        return !maint() && !drain() && weight > 0 && opState != 0;
    }

    boolean maint() {
        return (adminState & MAINT_BITS) != 0;
    }

    /** Disabled in haproxy.cfg ({@code disabled}): the Runtime API cannot make it ready. */
    boolean configMaint() {
        return (adminState & CONFIG_MAINT) != 0;
    }

    boolean drain() {
        return (adminState & DRAIN_BITS) != 0;
    }

    /** The admin state as {@code set server ... state} names it. */
    ServerAdminState admin() {
        return maint() ? ServerAdminState.MAINT : drain() ? ServerAdminState.DRAIN : ServerAdminState.READY;
    }

    String op() {
        return switch (opState) {
            case 0 -> "DOWN";
            case 1 -> "STARTING";
            case 2 -> "UP";
            case 3 -> "STOPPING";
            default -> "op state " + opState;
        };
    }

    String detail() {
        return admin() + ", " + op() + ", weight " + weight;
    }

    /**
     * Parses the answer to {@code show servers state BACKEND}.
     *
     * @throws IOException when the answer is an error or not in the expected format
     */
    static Map<String, ServerState> parse(String backend, String answer) throws IOException {
        List<String> lines = answer.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.getFirst().strip().equals("1")) {
            throw new IOException("HAProxy refused 'show servers state " + backend + "': " + firstLine(answer));
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        Map<String, ServerState> servers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.strip().split("\\s+");
            if (line.startsWith("#")) {
                for (int i = 1; i < fields.length; i++) {
                    columns.put(fields[i], i - 1);
                }
                continue;
            }
            if (columns.isEmpty()) {
                throw new IOException("unexpected answer to 'show servers state " + backend + "' (no header): " + firstLine(answer));
            }
            String be = field(fields, columns, "be_name", line);
            if (!be.equals(backend)) {
                continue;
            }
            try {
                servers.put(field(fields, columns, "srv_name", line), new ServerState(field(fields, columns, "srv_name", line),
                        Integer.parseInt(field(fields, columns, "srv_op_state", line)),
                        Integer.parseInt(field(fields, columns, "srv_admin_state", line)),
                        Integer.parseInt(field(fields, columns, "srv_uweight", line))));
            } catch (NumberFormatException e) {
                throw new IOException("unexpected line in 'show servers state " + backend + "': " + line, e);
            }
        }
        return servers;
    }

    private static String field(String[] fields, Map<String, Integer> columns, String name, String line) throws IOException {
        Integer index = columns.get(name);
        if (index == null || index >= fields.length) {
            throw new IOException("'show servers state' has no " + name + " in: " + line);
        }
        return fields[index];
    }

    static String firstLine(String answer) {
        String first = answer.lines().filter(l -> !l.isBlank()).findFirst().orElse("(empty answer)").strip();
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
