package io.drover.runbook.parse;

import io.drover.core.config.ConfigProblemReport;
import io.drover.runbook.engine.RunbookErrors;
import io.drover.core.error.DroverException;
import io.drover.runbook.model.Runbook;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where runbooks are found. First the entries of {@code runbooks:} in drover.yaml, in order: a
 * directory contributes its {@code *.yaml} and {@code *.yml} files (not its subdirectories), a file
 * itself. Then the runbooks shipped on the class path: every {@code runbooks/INDEX} resource lists
 * names, one per line, of {@code runbooks/NAME.yaml} resources next to it. A runbook's name is its
 * file name without the extension, and must equal its {@code name:}; a configured runbook replaces
 * a shipped one of the same name, and two configured runbooks with one name are an error.
 *
 * <p>Last the {@link RunbookGenerator}s: a runbook they write (site-failover, site-failback) is
 * generated from drover.yaml when it is planned or run, with the parameters given. A configured
 * file of the same name replaces it; it replaces a shipped file of the same name.
 */
public final class RunbookLibrary {
    public static final String INDEX = "runbooks/INDEX";

    private final List<Path> configured;
    private final ClassLoader loader;
    private final RunbookParser parser;
    private final List<RunbookGenerator> generators;

    /** @param configured the {@code runbooks:} entries, already resolved against the config file's directory */
    public RunbookLibrary(List<Path> configured, ClassLoader loader, RunbookParser parser) {
        this(configured, loader, parser, List.of());
    }

    /**
     * @param configured the {@code runbooks:} entries, already resolved against the config file's directory
     * @param generators what writes runbooks from drover.yaml when they are planned or run
     */
    public RunbookLibrary(List<Path> configured, ClassLoader loader, RunbookParser parser,
                          List<RunbookGenerator> generators) {
        this.configured = List.copyOf(configured);
        this.loader = loader;
        this.parser = parser;
        this.generators = List.copyOf(generators);
    }

    /** A runbook a generator writes when it is planned or run, for {@code drover runbook list}. */
    public record Generatable(String name, String description, String origin) {
    }

    /** A runbook found, with its text (not yet parsed). */
    public record Found(String name, String source, Path file, String text, boolean shipped) {
    }

    /** Every runbook found, by name; a configured one replaces a shipped one. */
    public Map<String, Found> find() {
        Map<String, Found> found = new TreeMap<>();
        shipped().forEach(f -> found.put(f.name(), f));
        Map<String, Found> fromConfig = new TreeMap<>();
        for (Path entry : configured) {
            for (Path file : files(entry)) {
                String name = stem(file);
                Found previous = fromConfig.get(name);
                if (previous != null) {
                    throw new DroverException(RunbookErrors.RUNBOOK_INVALID, "two runbooks are named '" + name + "': "
                            + previous.source() + " and " + file, "rename one of them (the name is the file name)",
                            List.of(), null);
                }
                fromConfig.put(name, new Found(name, file.toString(), file, read(file), false));
            }
        }
        found.putAll(fromConfig);
        return Collections.unmodifiableMap(found);
    }

    /**
     * The runbook {@code name}, parsed and validated; a generated one needs its parameters, see
     * {@link #load(String, Map)}.
     *
     * @throws DroverException {@code RUNBOOK_NOT_FOUND}, or {@code RUNBOOK_INVALID} with every problem
     */
    public Runbook load(String name) {
        return load(name, Map.of());
    }

    /**
     * The runbook {@code name}, parsed and validated: a configured file, else one a generator
     * writes for {@code params} (the values given to plan or run), else a shipped file.
     *
     * @throws DroverException {@code RUNBOOK_NOT_FOUND}, {@code RUNBOOK_INVALID} with every problem, or
     *                         what the generator throws when {@code params} do not say what to generate
     */
    public Runbook load(String name, Map<String, String> params) {
        Map<String, Found> all = find();
        Found found = all.get(name);
        if (found != null && !found.shipped()) {
            return parse(found);
        }
        Optional<RunbookGenerator> generator = generators.stream().filter(g -> g.runbooks().containsKey(name)).findFirst();
        if (generator.isPresent()) {
            RunbookGenerator.Generated generated = generator.get().generate(name, params);
            return parse(new Found(generated.name(), generated.source(), Path.of(generated.source()), generated.text(),
                    false));
        }
        if (found == null) {
            TreeMap<String, Object> names = new TreeMap<>(all);
            generatable().forEach(g -> names.put(g.name(), g));
            throw new DroverException(RunbookErrors.RUNBOOK_NOT_FOUND, "no runbook '" + name + "'",
                    names.isEmpty() ? "add a runbooks: entry (directories or files) to drover.yaml"
                            : "runbooks: " + String.join(", ", names.keySet()), List.of(), null);
        }
        return parse(found);
    }

    /** The runbooks the generators write, except those a configured file of the same name replaces. */
    public List<Generatable> generatable() {
        Map<String, Found> files = find();
        List<Generatable> out = new ArrayList<>();
        for (RunbookGenerator generator : generators) {
            generator.runbooks().forEach((name, description) -> {
                if (files.get(name) == null || files.get(name).shipped()) {
                    out.add(new Generatable(name, description, generator.origin()));
                }
            });
        }
        return out;
    }

    /** Parses a found runbook; {@code RUNBOOK_INVALID} with every problem if it is not valid. */
    public Runbook parse(Found found) {
        RunbookParser.Result result = parser.parse(found.file(), found.source(), found.text(), Optional.of(found.name()));
        return result.runbook().orElseThrow(() -> invalid(found.name(), result.problems()));
    }

    /** The problems of a found runbook; empty if it is valid. */
    public List<ConfigProblemReport> validate(Found found) {
        return parser.parse(found.file(), found.source(), found.text(), Optional.of(found.name())).problems();
    }

    static DroverException invalid(String name, List<ConfigProblemReport> problems) {
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return new DroverException(RunbookErrors.RUNBOOK_INVALID, "runbook '" + name + "' has " + count,
                "fix them; 'drover runbook list' shows every runbook's state",
                problems.stream().map(ConfigProblemReport::toString).toList(), null);
    }

    private List<Found> shipped() {
        List<Found> found = new ArrayList<>();
        try {
            for (URL index : Collections.list(loader.getResources(INDEX))) {
                String text;
                try (InputStream in = index.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
                    URL resource = new URL(index, line + ".yaml");
                    try (InputStream in = resource.openStream()) {
                        found.add(new Found(line, "classpath:runbooks/" + line + ".yaml", Path.of("runbooks", line + ".yaml"),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8), true));
                    }
                }
            }
        } catch (IOException e) {
            throw new DroverException(io.drover.core.error.DroverErrors.INTERNAL_ERROR,
                    "cannot read the runbooks shipped with drover: " + e.getMessage(), e);
        }
        return found;
    }

    private static List<Path> files(Path entry) {
        if (Files.isDirectory(entry)) {
            try (Stream<Path> list = Files.list(entry)) {
                return list.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")))
                        .sorted().toList();
            } catch (IOException e) {
                throw io(entry, e);
            }
        }
        if (Files.isRegularFile(entry)) {
            return List.of(entry);
        }
        throw new DroverException(RunbookErrors.RUNBOOK_NOT_FOUND, "runbooks: entry " + entry + " does not exist",
                "fix the runbooks: list in drover.yaml", List.of(), null);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw io(file, e);
        }
    }

    private static DroverException io(Path path, IOException e) {
        return new DroverException(io.drover.core.error.DroverErrors.IO_FAILED, "cannot read " + path + ": "
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
