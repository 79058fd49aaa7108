package io.drover.connector.mariadb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes a dump through while watching its comment lines for what the dump client wrote about the
 * snapshot: the binary log position of {@code --master-data=2}/{@code --source-data=2}
 * ({@code -- CHANGE MASTER TO MASTER_LOG_FILE='f', MASTER_LOG_POS=n;}), MariaDB's GTID position
 * ({@code -- SET GLOBAL gtid_slave_pos='0-1-5';}) and the closing {@code -- Dump completed} line.
 * Only the first bytes of each line are kept, so long INSERT lines cost nothing but the scan.
 */
final class DumpScanner extends FilterInputStream {
    static final String COMPLETED = "-- Dump completed";
    private static final int KEPT = 512;
    private static final Pattern POSITION = Pattern.compile(
            "(?:MASTER|SOURCE)_LOG_FILE='([^']+)',\\s*(?:MASTER|SOURCE)_LOG_POS=(\\d+)");
    private static final Pattern GTID = Pattern.compile("gtid_slave_pos='([^']*)'");

    private final byte[] line = new byte[KEPT];
    private int length;
    private volatile String binlogFile;
    private volatile String binlogPosition;
    private volatile String gtid;
    private volatile boolean completed;

    DumpScanner(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            scan((byte) b);
        } else {
            endOfLine();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = super.read(buffer, offset, count);
        if (n < 0) {
            endOfLine();
        }
        for (int i = 0; i < n; i++) {
            scan(buffer[offset + i]);
        }
        return n;
    }

    private void scan(byte b) {
        if (b == '\n') {
            endOfLine();
        } else if (length < KEPT) {
            line[length++] = b;
        }
    }

    private void endOfLine() {
        if (length >= 3 && line[0] == '-' && line[1] == '-' && line[2] == ' ') {
            String text = new String(line, 0, length, StandardCharsets.UTF_8);
            Matcher m = POSITION.matcher(text);
            if (m.find()) {
                binlogFile = m.group(1);
                binlogPosition = m.group(2);
            }
            m = GTID.matcher(text);
            if (m.find()) {
                gtid = m.group(1);
            }
            if (text.startsWith(COMPLETED)) {
                completed = true;
            }
        }
        length = 0;
    }

    Optional<String> binlogFile() {
        return Optional.ofNullable(binlogFile);
    }

    Optional<String> binlogPosition() {
        return Optional.ofNullable(binlogPosition);
    }

    Optional<String> gtid() {
        return Optional.ofNullable(gtid).filter(g -> !g.isEmpty());
    }

    boolean completed() {
        return completed;
    }
}
