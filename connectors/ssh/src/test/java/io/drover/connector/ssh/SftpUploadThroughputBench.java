package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.Sleeper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What checkpointing costs an upload: the same bytes to the real OpenSSH server on loopback, once
 * the way uploads went before outputs could resume (JSch's stream, close, link) and once through
 * {@link SftpObjectOutput} with several checkpoint sizes, interleaved in rounds so that drift on
 * a shared machine hits all alike. Not part of the build (the name matches no test pattern); run
 * it with {@code ./mvnw -pl connectors/ssh test -Dtest=SftpUploadThroughputBench -Dbench.mib=256}.
 */
class SftpUploadThroughputBench {
    private static final int MIB = 1024 * 1024;
    /** The pipeline writes the age stream in 64 KiB chunks. */
    private static final int WRITE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void uploadThroughput() throws Exception {
        int mib = Integer.getInteger("bench.mib", 256);
        int rounds = Integer.getInteger("bench.rounds", 3);
        byte[] data = new byte[8 * MIB];
        new Random(1).nextBytes(data);
        try (TestingOpenSshServer server = TestingOpenSshServer.start(dir)) {
            Path knownHosts = server.knownHosts();
            SftpTargetConfig config = server.config(server.path("bench"), knownHosts);
            java.nio.file.Files.createDirectories(Path.of(server.path("bench"))); // sshd runs on this machine
            Map<String, SftpStorageTarget> variants = new LinkedHashMap<>();
            variants.put("before (no checkpoints)", null);
            variants.put("before + copy only", null);
            variants.put("before + copy + flush/4M", null);
            for (int checkpoint : new int[] {1, 4, 16}) {
                variants.put("checkpoint " + checkpoint + " MiB", new SftpStorageTarget(config, knownHosts,
                        new SftpStorageTarget.Resilience(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                                Sleeper.SYSTEM, checkpoint * MIB)));
            }
            // One connection for all, as the targets' pools keep theirs: connecting is not measured.
            SftpConnection connection = new SshConnector(config, knownHosts).connectSftp();
            Map<String, List<Double>> results = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            variants.keySet().forEach(name -> results.put(name, new ArrayList<>()));
            variants.keySet().forEach(name -> cpu.put(name, new ArrayList<>()));
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            List<Map.Entry<String, SftpStorageTarget>> order = new ArrayList<>(variants.entrySet());
            int n = 0;
            for (int round = 0; round <= rounds; round++) { // round 0 warms up the JIT and is not counted
                java.util.Collections.rotate(order, 1); // no variant always runs first
                for (Map.Entry<String, SftpStorageTarget> variant : order) {
                    String key = "o" + n++;
                    long cpuStart = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    if (variant.getValue() == null) {
                        boolean copy = variant.getKey().contains("copy");
                        boolean flush = variant.getKey().contains("flush");
                        connection.call(sftp -> { // JSch's channel only on the connection's I/O thread
                            try {
                                uploadAsBefore(sftp, server.path("bench") + "/" + key, data, mib, copy, flush);
                            } catch (IOException e) {
                                throw e;
                            } catch (Exception e) {
                                throw new IOException(e);
                            }
                            return null;
                        });
                    } else {
                        try (ObjectOutput out = variant.getValue().create(key)) {
                            writeAll(out, data, mib);
                            out.commit();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
                    if (round > 0) {
                        results.get(variant.getKey()).add(mib / seconds);
                        cpu.get(variant.getKey()).add(cpuSeconds * 1024 / mib);
                    }
                    java.nio.file.Files.delete(Path.of(server.path("bench"), key)); // keep the disk from filling
                }
            }
            double before = median(results.get("before (no checkpoints)"));
            double beforeCpu = median(cpu.get("before (no checkpoints)"));
            System.out.printf("upload of %d MiB to OpenSSH on loopback, %d rounds: MiB/s (wall) and JVM CPU s/GiB%n", mib, rounds);
            for (Map.Entry<String, List<Double>> result : results.entrySet()) {
                double median = median(result.getValue());
                double cpuMedian = median(cpu.get(result.getKey()));
                System.out.printf("  %-24s median %6.1f MiB/s  ratio %.3f  | cpu %.2f s/GiB ratio %.3f | all %s%n",
                        result.getKey(), median, median / before, cpuMedian, cpuMedian / beforeCpu,
                        result.getValue().stream().map(v -> String.format("%.0f", v)).toList());
            }
            System.out.printf("  flush waits every 4 MiB: median %.1f ms per GiB, all %s%n", median(FLUSH_WAIT_MS_PER_GIB),
                    FLUSH_WAIT_MS_PER_GIB.stream().map(v -> String.format("%.0f", v)).toList());
            variants.values().stream().filter(v -> v != null).forEach(SftpStorageTarget::close);
            connection.close();
        }
    }

    /** What SftpObjectOutput did before it could resume: stream, close (waits for acks), link, remove, look up. */
    /** Time spent waiting in flush() by the "flush" variant: what the checkpoints' waits for acknowledgements cost. */
    private static final List<Double> FLUSH_WAIT_MS_PER_GIB = new ArrayList<>();

    private static void uploadAsBefore(ChannelSftp sftp, String file, byte[] data, int mib, boolean copy, boolean flush)
            throws Exception {
        sftp.lstat(SftpStorageTarget.parentOf(file)); // create() looks up the key and its directory first
        String temp = SftpStorageTarget.parentOf(file) + "/" + SftpObjectOutput.tempName(SftpStorageTarget.nameOf(file));
        try (OutputStream out = sftp.put(temp, ChannelSftp.OVERWRITE)) {
            if (flush) {
                long waited = 0;
                OutputStream copied = copying(out);
                long total = (long) mib * MIB;
                for (long sent = 0; sent < total; sent += WRITE) {
                    copied.write(data, (int) (sent % data.length), WRITE);
                    if ((sent + WRITE) % (4 * MIB) == 0) {
                        long start = System.nanoTime();
                        out.flush();
                        waited += System.nanoTime() - start;
                    }
                }
                FLUSH_WAIT_MS_PER_GIB.add(waited / 1e6 * 1024 / mib);
            } else {
                writeAll(copy ? copying(out) : out, data, mib);
            }
        }
        sftp.hardlink(temp, file);
        sftp.rm(temp);
        sftp.lstat(file);
    }

    /** Copies every write into a 4 MiB buffer as the output keeps it for a replay, without checkpoints: the copy's cost alone. */
    private static OutputStream copying(OutputStream out) {
        byte[] kept = new byte[4 * MIB];
        int[] at = {0};
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (at[0] + len > kept.length) {
                    at[0] = 0;
                }
                System.arraycopy(b, off, kept, at[0], len);
                at[0] += len;
                out.write(b, off, len);
            }
        };
    }

    private static void writeAll(OutputStream out, byte[] data, int mib) throws java.io.IOException {
        long total = (long) mib * MIB;
        for (long sent = 0; sent < total; sent += WRITE) {
            out.write(data, (int) (sent % data.length), WRITE);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
