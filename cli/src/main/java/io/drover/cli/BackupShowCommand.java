package io.drover.cli;

import io.drover.core.app.RestoreService;
import io.drover.core.model.DataSize;
import io.drover.core.repository.IndexEntry;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.ObjectReader;
import io.drover.core.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover backup show ID}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one recovery point: manifest, copies, verifications.")
final class BackupShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Backup id, or 'latest'.")
    String id;

    @Option(names = "--job", description = "With 'latest': the newest backup of this job.")
    String job;

    @Option(names = {"--from", "--target"}, paramLabel = "TARGET", description = "Read the manifest from this target.")
    String target;

    @Option(names = "--files", description = "Also list the files (needs the private key for encrypted repositories).")
    boolean files;

    @picocli.CommandLine.Mixin
    IdentityOption identity;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            identity.applyTo(ctx);
            var backupId = BackupIds.resolve(ctx, id, job);
            String targetName = target != null ? target : new RestoreService(ctx.runtime()).locate(backupId);
            Repository repository = ctx.runtime().repository(targetName);
            Manifest manifest = repository.manifest(backupId);
            var catalog = ctx.runtime().catalog();
            var point = catalog.findRecoveryPoint(backupId);
            var copies = catalog.copies(backupId);
            var verifications = catalog.verifications(backupId);
            List<IndexEntry> entries = files ? List.copyOf(ObjectReader.readIndex(repository, manifest, ctx.runtime().decryption()).values()) : List.of();
            if (ctx.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("recoveryPoint", point.map(p -> RecoveryPointView.of(p, copies)).orElse(null));
                json.put("manifest", manifest);
                json.put("verifications", verifications);
                if (files) {
                    json.put("files", entries);
                }
                ctx.printJson(json);
                return 0;
            }
            var out = ctx.out();
            out.printf("backup     %s%n", manifest.id());
            out.printf("job        %s (source %s, %s)%n", manifest.job(), manifest.sourceName(), manifest.sourceType());
            if (!manifest.services().isEmpty()) {
                out.printf("services   %s%n", String.join(", ", manifest.services()));
            }
            out.printf("kind       %s%s%n", manifest.kind().name().toLowerCase(java.util.Locale.ROOT),
                    manifest.parent().map(p -> " on " + p + " (chain position " + manifest.chainPosition() + ")").orElse(""));
            out.printf("captured   %s%n", BackupListCommand.TIME.format(manifest.capturedAt()));
            out.printf("started    %s, finished %s%n", BackupListCommand.TIME.format(manifest.startedAt()),
                    BackupListCommand.TIME.format(manifest.finishedAt()));
            var s = manifest.stats();
            out.printf("contents   %d files, %d dirs, %d symlinks, %s%n", s.files(), s.directories(), s.symlinks(),
                    DataSize.format(s.plainBytes()));
            out.printf("this run   read %s, stored %s (%d new, %d changed, %d unchanged, %d removed, %d warnings)%n",
                    DataSize.format(s.readBytes()), DataSize.format(s.storedBytes()), s.newFiles(), s.changedFiles(),
                    s.unchangedFiles(), s.removedFiles(), s.warnings());
            out.printf("sealing    zstd level %d, encryption %s%n", manifest.compressionLevel(), manifest.encryption());
            out.println("objects");
            for (var object : manifest.objects()) {
                out.printf("  %-60s %12s  sha256 %s%n", object.key(), DataSize.format(object.size()), object.sha256());
            }
            out.println("copies");
            for (var copy : copies) {
                out.printf("  %-12s %s%s%n", copy.target(), copy.verificationState().name().toLowerCase(java.util.Locale.ROOT),
                        copy.verifiedAt().map(t -> " at " + BackupListCommand.TIME.format(t)).orElse(""));
            }
            if (!verifications.isEmpty()) {
                out.println("verifications");
                for (var v : verifications) {
                    out.printf("  %s %-8s %-12s %s%n", BackupListCommand.TIME.format(v.finishedAt()), v.level().name().toLowerCase(java.util.Locale.ROOT),
                            v.target(), v.outcome());
                    v.findings().forEach(f -> out.println("      " + f));
                }
            }
            if (files) {
                out.println("files");
                for (IndexEntry e : entries) {
                    out.printf("  %s %04o %12d  %s%s%s%n", e.type().substring(0, 1).toLowerCase(java.util.Locale.ROOT), e.mode(), e.size(),
                            e.path(), e.link().isEmpty() ? "" : " -> " + e.link(), e.warning().isEmpty() ? "" : "  [warning: " + e.warning() + "]");
                }
            }
            return 0;
        }
    }
}
