package io.drover.runbook.engine;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Run by {@link ResumeAfterKillTest} in a second JVM: runs a runbook against the embedded catalog until killed. */
public final class RunbookChildProcess {
    private RunbookChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path file = Path.of(args[1]);
        String name = file.getFileName().toString().replace(".yaml", "");
        try (Catalog catalog = Catalog.open(CatalogSettings.embedded(stateDir))) {
            var engine = TestEngines.engine(catalog, stateDir, "child", System.out::println, new TestEngines.RecordingServices());
            var result = engine.run(TestEngines.runbook(name, Files.readString(file)), Map.of());
            System.out.println("child: " + result.status());
        }
        System.exit(0);
    }
}
