package io.drover.core.verify;

import io.drover.core.crypto.Decryption;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.ChainScanner;
import io.drover.core.repository.IndexEntry;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.ObjectReader;
import io.drover.core.repository.Repository;
import io.drover.core.repository.StoredObject;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.spi.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks recovery points at three levels: {@code quick} (objects exist with their sizes),
 * {@code deep} (every stored byte hashed; no key needed) and {@code restore} (decrypt, decompress and
 * hash every file of the final state, across the incremental chain).
 */
public final class Verifier {
    private final Clock clock;

    public Verifier(Clock clock) {
        this.clock = clock;
    }

    public VerificationReport verify(Repository repository, BackupId id, VerificationLevel level, Decryption decryption) {
        Instant started = clock.instant();
        List<String> findings = new ArrayList<>();
        long[] counts = new long[2];
        Optional<Manifest> manifest;
        try {
            manifest = repository.findManifest(id);
        } catch (DroverException e) {
            manifest = Optional.empty();
            findings.add(e.getMessage());
        }
        if (manifest.isEmpty()) {
            if (findings.isEmpty()) {
                findings.add("manifest of backup " + id + " is missing");
            }
        } else {
            switch (level) {
                case QUICK -> quick(repository, manifest.get(), findings, counts);
                case DEEP -> deep(repository, manifest.get(), findings, counts);
                case RESTORE -> restore(repository, manifest.get(), decryption, findings, counts);
            }
        }
        return new VerificationReport(id, repository.name(), level, started, clock.instant(), findings, counts[0], counts[1]);
    }

    private void quick(Repository repository, Manifest manifest, List<String> findings, long[] counts) {
        for (StoredObject object : manifest.objects()) {
            counts[0]++;
            Optional<ObjectInfo> info = repository.stat(object.key());
            if (info.isEmpty()) {
                findings.add("object " + object.key() + " is missing");
            } else if (info.get().size() != object.size()) {
                findings.add("object " + object.key() + " is " + info.get().size() + " bytes, the manifest says "
                        + object.size() + (info.get().size() < object.size() ? " (truncated)" : " (damaged)"));
            } else {
                counts[1] += object.size();
            }
        }
        checkParents(repository, manifest, findings);
    }

    private void deep(Repository repository, Manifest manifest, List<String> findings, long[] counts) {
        for (StoredObject object : manifest.objects()) {
            counts[0]++;
            if (repository.stat(object.key()).isEmpty()) {
                findings.add("object " + object.key() + " is missing");
                continue;
            }
            try (InputStream in = repository.open(object.key())) {
                String problem = DeepHash.check(in, object);
                counts[1] += object.size();
                if (problem != null) {
                    findings.add("object " + object.key() + " " + problem);
                }
            } catch (IOException e) {
                findings.add("object " + object.key() + " cannot be read: " + e.getMessage());
            } catch (DroverException e) {
                findings.add(e.getMessage());
            }
        }
        checkParents(repository, manifest, findings);
    }

    private void restore(Repository repository, Manifest manifest, Decryption decryption, List<String> findings, long[] counts) {
        Map<String, IndexEntry> index;
        try {
            index = ObjectReader.readIndex(repository, manifest, decryption);
        } catch (DroverException e) {
            if (e.code().type() != io.drover.core.error.ErrorType.INTEGRITY) {
                throw e; // a missing key is the operator's problem, not the backup's
            }
            findings.add(e.getMessage());
            return;
        }
        List<IndexEntry> files = index.values().stream().filter(IndexEntry::isFile).toList();
        ChainScanner scanner = new ChainScanner(repository, decryption, RestoreOptions.DEFAULT_MAX_RATIO);
        scanner.scan(files, new ChainScanner.Handler() {
            @Override
            public void segment(IndexEntry entry, boolean first, InputStream data) throws IOException {
                data.transferTo(java.io.OutputStream.nullOutputStream());
            }

            @Override
            public void fileDone(IndexEntry entry, boolean intact) {
                counts[0]++;
            }
        });
        counts[1] = scanner.plainBytesRead();
        findings.addAll(scanner.findings());
    }

    /** An incremental is only restorable while every backup it builds on is there. */
    private static void checkParents(Repository repository, Manifest manifest, List<String> findings) {
        Optional<BackupId> parent = manifest.parent();
        while (parent.isPresent()) {
            Optional<Manifest> parentManifest = repository.findManifest(parent.get());
            if (parentManifest.isEmpty()) {
                findings.add("parent backup " + parent.get() + " is missing; this incremental cannot be restored");
                return;
            }
            parent = parentManifest.get().parent();
        }
    }
}
