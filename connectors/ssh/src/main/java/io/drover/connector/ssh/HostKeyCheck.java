package io.drover.connector.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checks the server's host key for one connection attempt against the known_hosts file, and
 * remembers what the server offered so that a refusal can be explained with its fingerprint.
 * With trust on first use, an unknown key (never a changed one) is appended to the file.
 */
final class HostKeyCheck implements HostKeyRepository {
    /** What to do with a host key that is not in the file; a changed key is always refused. */
    enum WhenUnknown {
        REFUSE,
        /** Trust on first use: accept it and append it to the file. */
        RECORD,
        /** Trust on first use in a plan, which must change nothing: accept it for this connection only. */
        ACCEPT_UNRECORDED;

        static WhenUnknown fromConfig(boolean trustOnFirstUse) {
            return trustOnFirstUse ? RECORD : REFUSE;
        }
    }

    private final JSch jsch;
    private final Path file;
    private final WhenUnknown whenUnknown;
    private final String host;
    private final int port;
    private volatile HostKey offered;
    private volatile int result = OK;
    private volatile boolean acceptedUnrecorded;

    HostKeyCheck(JSch jsch, Path file, WhenUnknown whenUnknown, String host, int port) {
        this.jsch = jsch;
        this.file = file;
        this.whenUnknown = whenUnknown;
        this.host = host;
        this.port = port;
    }

    private HostKeyRepository known() {
        return jsch.getHostKeyRepository();
    }

    @Override
    public int check(String hostName, byte[] key) {
        int found = known().check(hostName, key);
        if (found == OK) {
            return OK;
        }
        try {
            offered = new HostKey(hostName, key);
        } catch (JSchException e) {
            result = found;
            return found;
        }
        if (found == NOT_INCLUDED && whenUnknown == WhenUnknown.RECORD) {
            record(offered);
            return OK;
        }
        if (found == NOT_INCLUDED && whenUnknown == WhenUnknown.ACCEPT_UNRECORDED) {
            acceptedUnrecorded = true;
            return OK;
        }
        result = found;
        return found;
    }

    /** Appends the key to the known_hosts file (creating it) and to the in-memory copy. */
    private void record(HostKey key) {
        synchronized (jsch) {
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                String line = key.getHost() + " " + key.getType() + " " + key.getKey() + System.lineSeparator();
                Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the host key of " + key.getHost() + " in " + file, e);
            }
            try {
                jsch.setKnownHosts(file.toString());
            } catch (JSchException e) {
                throw new IllegalStateException("cannot re-read " + file + " after recording a host key", e);
            }
        }
    }

    /**
     * Explains a refused host key, or returns {@code null} if this check refused none (the
     * connection failed for another reason).
     */
    String refusal() {
        HostKey key = offered;
        if (result == OK || key == null) {
            return null;
        }
        String where = port == 22 ? host : "[" + host + "]:" + port;
        String keyscan = "ssh-keyscan -p " + port + " " + host + " >> " + file;
        String fingerprint = key.getType() + " key " + key.getFingerPrint(jsch);
        if (result == CHANGED) {
            return "host key of " + where + " has CHANGED: the server offered " + fingerprint
                    + ", which is not the key recorded in " + file + ". Someone may be intercepting the connection, "
                    + "or the server was reinstalled. Confirm the new fingerprint with the server's administrator, then "
                    + "remove the old key with 'ssh-keygen -R \"" + where + "\" -f " + file + "' and add the new one with '"
                    + keyscan + "'";
        }
        return "host key of " + where + " is unknown: the server offered " + fingerprint + ", which is not in " + file
                + ". Confirm the fingerprint with the server's administrator, then add it with '" + keyscan
                + "', or set trust-on-first-use: true to record it on the first connection";
    }

    /** The unknown host key accepted without recording it ({@link WhenUnknown#ACCEPT_UNRECORDED}), described for the operator. */
    Optional<String> acceptedUnrecorded() {
        HostKey key = offered;
        return acceptedUnrecorded && key != null
                ? Optional.of(key.getType() + " key " + key.getFingerPrint(jsch))
                : Optional.empty();
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        record(hostkey);
    }

    @Override
    public void remove(String hostName, String type) {
        known().remove(hostName, type);
    }

    @Override
    public void remove(String hostName, String type, byte[] key) {
        known().remove(hostName, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return known().getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return known().getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String hostName, String type) {
        return known().getHostKey(hostName, type);
    }
}
