package io.drover.core.repository;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Copies recovery points from one repository to another (e.g. local → S3) byte for byte: sealed
 * objects need no key. Every object is hashed while it streams and must match the source manifest;
 * the manifest is written last, so a copy is either complete and verified or invisible. Parents of
 * incrementals are copied first.
 */
public final class RepositoryCopier {
    private static final int BUFFER = 1 << 20;

    private final Repository from;
    private final Repository to;

    public RepositoryCopier(Repository from, Repository to) {
        if (!from.info().encryption().equals(to.info().encryption())) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "cannot copy from " + from + " (encryption "
                    + from.info().encryption() + ") to " + to + " (encryption " + to.info().encryption()
                    + "): both repositories must use the same encryption",
                    "copy only between repositories created with the same encryption setting", List.of(), null);
        }
        this.from = from;
        this.to = to;
    }

    /** One recovery point: copied now, or found complete in the destination already. */
    public record Copied(BackupId id, boolean alreadyThere, int objects, long bytes) {
    }

    /** Copies {@code ids} and every backup they build on, each parent before its children. */
    public List<Copied> copy(List<BackupId> ids) {
        Set<BackupId> all = new LinkedHashSet<>();
        for (BackupId id : ids) {
            List<BackupId> chain = new ArrayList<>();
            for (Optional<BackupId> next = Optional.of(id); next.isPresent() && !all.contains(next.get());
                    next = from.manifest(next.get()).parent()) {
                chain.add(next.get());
            }
            all.addAll(chain.reversed());
        }
        List<Copied> copied = new ArrayList<>();
        for (BackupId id : all) {
            copied.add(copyOne(id));
        }
        return copied;
    }

    private Copied copyOne(BackupId id) {
        if (to.findManifest(id).isPresent()) {
            return new Copied(id, true, 0, 0);
        }
        Manifest manifest = from.manifest(id);
        long bytes = 0;
        for (StoredObject object : manifest.objects()) {
            bytes += copyObject(object);
        }
        to.commit(manifest);
        return new Copied(id, false, manifest.objects().size(), bytes);
    }

    /** Streams one object, checking it against the manifest; an object left by an interrupted copy is checked and kept. */
    private long copyObject(StoredObject object) {
        if (to.stat(object.key()).isPresent()) {
            checkExisting(object);
            return 0;
        }
        SealedObjectWriter writer = new SealedObjectWriter(List.of(to), object.key());
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.open(object.key())) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                writer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            writer.abort();
            throw StorageErrors.wrap(from.name() + "' → '" + to.name(), "copying " + object.key(), e);
        }
        if (writer.size() != object.size()) {
            writer.abort();
            throw damaged(object, "is " + writer.size() + " bytes, the manifest says " + object.size());
        }
        String digest = writer.digestSoFar();
        if (!digest.equals(object.sha256())) {
            writer.abort();
            throw damaged(object, "has SHA-256 " + digest + ", the manifest says " + object.sha256());
        }
        writer.commit(object.role(), object.number());
        return object.size();
    }

    private void checkExisting(StoredObject object) {
        try (InputStream in = to.open(object.key())) {
            HashingInputStream hashing = new HashingInputStream(in);
            hashing.drain();
            if (hashing.count() != object.size() || !hashing.hexDigest().equals(object.sha256())) {
                throw new DroverException(DroverErrors.REPOSITORY_CORRUPT, "object " + object.key() + " already in "
                        + to + " differs from the one in " + from + "; objects are never overwritten",
                        "remove the stray object from the destination (an interrupted copy left it) and copy again",
                        List.of(), null);
            }
        } catch (IOException e) {
            throw StorageErrors.wrap(to.name(), "checking " + object.key(), e);
        }
    }

    private DroverException damaged(StoredObject object, String what) {
        return new DroverException(DroverErrors.VERIFICATION_FAILED, "object " + object.key() + " in " + from + " " + what
                + "; nothing was committed in " + to, "run 'drover verify --level deep' on the source and copy from a"
                + " healthy copy", List.of(), null);
    }
}
