package io.drover.core.config;

import io.drover.core.config.ConfigNode.Entry;
import io.drover.core.config.ConfigNode.ListNode;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.ConfigNode.NullNode;
import io.drover.core.config.ConfigNode.ScalarNode;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loads {@code drover.yaml} into a {@link DroverConfig}: parses it, binds every section strictly,
 * binds connector sections to their factories' records, checks every cross reference, and reports
 * all problems at once as one {@link DroverErrors#CONFIG_INVALID} exception.
 */
public final class ConfigLoader {
    /** The variable consulted when neither {@code --config} nor {@code ./drover.yaml} is there. */
    public static final String CONFIG_ENV = "DROVER_CONFIG";
    public static final String DEFAULT_FILE_NAME = "drover.yaml";

    private static final String LIMITS_KEY = "limits";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final List<String> TOP_LEVEL_KEYS =
            List.of("state-dir", "catalog", "encryption", "targets", "sources", "databases", "traffic", "jobs", "services",
                    "prune", "rpo-tracking", "alerts", "blackouts", "serve", "runbooks", "roles");

    private static final java.lang.reflect.Type RUNBOOK_PATHS = typeOf("runbookPaths");
    private static final java.lang.reflect.Type ROLE_USERS = typeOf("roleUsers");

    // Generic types for the binder, taken from these fields' declarations.
    @SuppressWarnings("unused")
    private static List<Path> runbookPaths;
    @SuppressWarnings("unused")
    private static List<String> roleUsers;

    private static java.lang.reflect.Type typeOf(String field) {
        try {
            return ConfigLoader.class.getDeclaredField(field).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private final ConnectorRegistry registry;
    private final Function<String, String> env;

    /**
     * @param env environment lookup for {@code ${env:NAME}} references, e.g. {@code System::getenv}
     */
    public ConfigLoader(ConnectorRegistry registry, Function<String, String> env) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Which config file to use: {@code explicit} (from {@code --config}), else {@code ./drover.yaml}
     * if it exists, else {@code $DROVER_CONFIG}, else {@code ./drover.yaml} (which then fails to load
     * with {@link DroverErrors#CONFIG_NOT_FOUND}).
     */
    public static Path locate(Optional<Path> explicit, Function<String, String> env, Path workingDir) {
        if (explicit.isPresent()) {
            return explicit.get();
        }
        Path local = workingDir.resolve(DEFAULT_FILE_NAME);
        if (Files.exists(local)) {
            return local;
        }
        String fromEnv = env.apply(CONFIG_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return workingDir.resolve(fromEnv.trim());
        }
        return local;
    }

    /**
     * Loads and validates {@code file}.
     *
     * @throws DroverException {@code CONFIG_NOT_FOUND} if the file does not exist,
     *                         {@code CONFIG_INVALID} with every problem as a detail line
     */
    public DroverConfig load(Path file) {
        return load(file, read(file));
    }

    /** Parses and binds {@code text} as if read from {@code file}; for tests and {@code config validate --stdin}. */
    public DroverConfig load(Path file, String text) {
        ConfigTree tree = YamlTreeReader.read(file, text);
        List<ConfigProblemReport> problems = new ArrayList<>(tree.problems());
        DroverConfig config = tree.root() == null ? null : new Loading(file, problems).load(tree.root());
        if (!problems.isEmpty()) {
            throw invalid(file, problems);
        }
        return config;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new DroverException(DroverErrors.CONFIG_NOT_FOUND, "config file " + file.toAbsolutePath().normalize()
                    + " not found", "create one (see README) or pass --config FILE", List.of(), null);
        } catch (CharacterCodingException e) {
            throw invalid(file, List.of(ConfigProblemReport.at(file, ConfigLocation.START, "",
                    "the file is not UTF-8 text")));
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot read config file " + file.toAbsolutePath().normalize()
                    + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    "check that it is a readable file", List.of(), null);
        }
    }

    private static DroverException invalid(Path file, List<ConfigProblemReport> problems) {
        Path name = file.getFileName() == null ? file : file.getFileName();
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        // File order reads best: the user fixes the problems top to bottom.
        List<String> details = problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblemReport::line).thenComparingInt(ConfigProblemReport::column))
                .map(ConfigProblemReport::toString)
                .toList();
        return new DroverException(DroverErrors.CONFIG_INVALID, name + " has " + count,
                "fix them and run 'drover config validate'", details, null);
    }

    /** One load: the file, its binder and the problems found so far. */
    private final class Loading {
        private final Path file;
        private final ConfigBinder binder;
        private final List<ConfigProblemReport> problems;

        Loading(Path file, List<ConfigProblemReport> problems) {
            this.file = file;
            this.binder = ConfigChecks.register(new ConfigBinder(file, env));
            this.problems = problems;
        }

        DroverConfig load(ConfigNode rootNode) {
            MapNode root = switch (rootNode) {
                case MapNode map -> map;
                case NullNode empty -> new MapNode(Map.of(), empty.location());
                default -> {
                    add(rootNode.location(), "", "a config file must be a map of keys (" + String.join(", ", TOP_LEVEL_KEYS)
                            + "), got " + rootNode.describe());
                    yield null;
                }
            };
            if (root == null) {
                return null;
            }
            problems.addAll(binder.unknownKeys(root, "", TOP_LEVEL_KEYS));
            Optional<Path> stateDir = optional(root, "state-dir", Path.class);
            Optional<CatalogConfig> catalog = optional(root, "catalog", CatalogConfig.class);
            PruneConfig prune = optional(root, "prune", PruneConfig.class).orElseGet(PruneConfig::defaults);
            RpoTrackingConfig rpoTracking = optional(root, "rpo-tracking", RpoTrackingConfig.class)
                    .orElseGet(RpoTrackingConfig::defaults);
            AlertsConfig alerts = optional(root, "alerts", AlertsConfig.class).orElseGet(AlertsConfig::none);
            ServeConfig serve = optional(root, "serve", ServeConfig.class).orElseGet(ServeConfig::defaults);
            MapNode blackoutNodes = section(root, "blackouts");
            Map<String, BlackoutConfig> blackouts = named(blackoutNodes, "blackouts", BlackoutConfig.class);
            EncryptionConfig encryption = required(root, "encryption", EncryptionConfig.class);
            List<Path> runbooks = root.get("runbooks").map(node -> binder.bind(node, RUNBOOK_PATHS, "runbooks"))
                    .map(this::<List<Path>>collect).orElse(List.of());
            MapNode roleNodes = section(root, "roles");
            Map<String, List<String>> roles = new LinkedHashMap<>();
            for (Entry role : roleNodes.entries().values()) {
                if (checkName(role, "roles")) {
                    List<String> users = collect(binder.bind(role.value(), ROLE_USERS, ConfigPaths.child("roles", role.key())));
                    if (users != null) {
                        roles.put(role.key(), users);
                    }
                }
            }

            MapNode targetNodes = section(root, "targets");
            MapNode sourceNodes = section(root, "sources");
            MapNode jobNodes = section(root, "jobs");
            MapNode serviceNodes = section(root, "services");
            Map<String, ConnectorDefinition> targets = connectors(targetNodes, "targets", "target",
                    registry::storageTarget, registry.storageTargetTypes());
            Map<String, ConnectorDefinition> sources = connectors(sourceNodes, "sources", "source",
                    registry::source, registry.sourceTypes());
            MapNode databaseNodes = section(root, "databases");
            Map<String, ConnectorDefinition> databases = connectors(databaseNodes, "databases", "database",
                    registry::database, registry.databaseTypes());
            MapNode trafficNodes = section(root, "traffic");
            Map<String, ConnectorDefinition> traffic = connectors(trafficNodes, "traffic", "traffic switch",
                    registry::traffic, registry.trafficTypes());
            Map<String, JobConfig> jobs = named(jobNodes, "jobs", JobConfig.class);
            Map<String, ServiceConfig> services = named(serviceNodes, "services", ServiceConfig.class);

            new ReferenceCheck(targetNodes, sourceNodes, jobNodes, serviceNodes, blackoutNodes, root, databaseNodes,
                    trafficNodes).run();
            if (!problems.isEmpty()) {
                return null;
            }
            return new DroverConfig(file, stateDir, catalog, encryption, targets, sources, jobs, services, prune, rpoTracking,
                    alerts, blackouts, serve, databases, runbooks == null ? List.of() : runbooks, roles, traffic);
        }

        @SuppressWarnings("unchecked") // bound for exactly the type asked for
        private <T> T collect(BindResult<?> result) {
            problems.addAll(result.problems());
            return (T) result.value();
        }

        private <T> Optional<T> optional(MapNode root, String key, Class<T> type) {
            return root.get(key).map(node -> bind(node, type, key));
        }

        private <T> T required(MapNode root, String key, Class<T> type) {
            Optional<ConfigNode> node = root.get(key);
            if (node.isEmpty()) {
                add(root.location(), key, "missing required key '" + key + "'");
                return null;
            }
            return bind(node.get(), type, key);
        }

        private <T> T bind(ConfigNode node, Class<T> type, String path) {
            BindResult<T> result = binder.bind(node, type, path);
            problems.addAll(result.problems());
            return result.value();
        }

        /** The map under {@code key}; absent or null is an empty section. */
        private MapNode section(MapNode root, String key) {
            ConfigNode node = root.get(key).orElse(null);
            if (node instanceof MapNode map) {
                return map;
            }
            if (node != null) {
                add(node.location(), key, "expected a map of named entries for '" + key + "', got " + node.describe());
            }
            return new MapNode(Map.of(), root.location());
        }

        private <T> Map<String, T> named(MapNode section, String path, Class<T> type) {
            Map<String, T> out = new LinkedHashMap<>();
            for (Entry entry : section.entries().values()) {
                if (checkName(entry, path)) {
                    T value = bind(entry.value(), type, ConfigPaths.child(path, entry.key()));
                    if (value != null) {
                        out.put(entry.key(), value);
                    }
                }
            }
            return out;
        }

        private boolean checkName(Entry entry, String path) {
            if (NAME.matcher(entry.key()).matches()) {
                return true;
            }
            add(entry.keyLocation(), ConfigPaths.child(path, entry.key()), "name '" + entry.key() + "' is not allowed:"
                    + " use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
            return false;
        }

        private Map<String, ConnectorDefinition> connectors(MapNode section, String path, String role,
                                                             Function<String, Optional<? extends ConnectorFactory<?, ?>>> lookup,
                                                             List<String> available) {
            Map<String, ConnectorDefinition> out = new LinkedHashMap<>();
            for (Entry entry : section.entries().values()) {
                if (checkName(entry, path)) {
                    connector(entry, ConfigPaths.child(path, entry.key()), role, lookup, available)
                            .ifPresent(definition -> out.put(entry.key(), definition));
                }
            }
            return out;
        }

        private Optional<ConnectorDefinition> connector(Entry entry, String path, String role,
                                                        Function<String, Optional<? extends ConnectorFactory<?, ?>>> lookup,
                                                        List<String> available) {
            String types = available.isEmpty() ? "none are installed" : String.join(", ", available);
            if (!(entry.value() instanceof MapNode section)) {
                add(entry.value().location(), path, "expected a map with a 'type' key for " + role + " '" + entry.key()
                        + "', got " + entry.value().describe());
                return Optional.empty();
            }
            Optional<ConfigNode> typeNode = section.get("type");
            if (typeNode.isEmpty() || !(typeNode.get() instanceof ScalarNode typeScalar)) {
                ConfigLocation at = typeNode.map(ConfigNode::location).orElse(section.location());
                add(at, ConfigPaths.child(path, "type"), "every " + role + " needs a 'type'; available types: " + types);
                return Optional.empty();
            }
            String type = typeScalar.text();
            Optional<? extends ConnectorFactory<?, ?>> factory = lookup.apply(type);
            if (factory.isEmpty()) {
                add(typeScalar.location(), ConfigPaths.child(path, "type"), "unknown " + role + " type '" + type
                        + "'; available types: " + types
                        + ConfigBinder.suggestion(type, available).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                return Optional.empty();
            }
            // limits: is core's, common to every target; the connector never sees it.
            boolean hasLimits = role.equals("target");
            TargetLimits limits = hasLimits ? section.get(LIMITS_KEY)
                    .map(node -> bind(node, TargetLimits.class, ConfigPaths.child(path, LIMITS_KEY)))
                    .orElse(TargetLimits.DEFAULT) : TargetLimits.DEFAULT;
            MapNode settingsNode = hasLimits ? section.without("type").without(LIMITS_KEY) : section.without("type");
            Record settings = bind(settingsNode, factory.get().configType(), path);
            if (settings == null || limits == null) {
                return Optional.empty();
            }
            List<ConfigProblem> found = validate(factory.get(), settings, role, entry.key());
            problems.addAll(binder.locate(settingsNode, path, found));
            return found.isEmpty() ? Optional.of(new ConnectorDefinition(entry.key(), type, settings, limits)) : Optional.empty();
        }

        private <C extends Record> List<ConfigProblem> validate(ConnectorFactory<C, ?> factory, Record settings,
                                                                 String role, String name) {
            try {
                return List.copyOf(factory.validate(factory.configType().cast(settings)));
            } catch (RuntimeException e) {
                // A connector bug must still come out as a readable config problem, not a stack trace.
                return List.of(new ConfigProblem("", "the " + factory.type() + " connector failed to check " + role + " '"
                        + name + "': " + e.getClass().getSimpleName()));
            }
        }

        private void add(ConfigLocation at, String path, String message) {
            problems.add(ConfigProblemReport.at(file, at, path, message));
        }

        /** Checks names used across sections on the tree, so a typo elsewhere in a job hides nothing. */
        private final class ReferenceCheck {
            private final Set<String> targets;
            private final Set<String> sources;
            private final Set<String> jobs;
            private final Set<String> services;
            private final MapNode jobNodes;
            private final MapNode serviceNodes;
            private final Set<String> blackouts;
            private final MapNode root;
            private final Set<String> databases;
            private final Set<String> trafficSwitches;

            ReferenceCheck(MapNode targetNodes, MapNode sourceNodes, MapNode jobNodes, MapNode serviceNodes,
                           MapNode blackoutNodes, MapNode root, MapNode databaseNodes, MapNode trafficNodes) {
                this.databases = databaseNodes.entries().keySet();
                this.trafficSwitches = trafficNodes.entries().keySet();
                this.blackouts = blackoutNodes.entries().keySet();
                this.root = root;
                this.targets = targetNodes.entries().keySet();
                this.sources = sourceNodes.entries().keySet();
                this.jobs = jobNodes.entries().keySet();
                this.services = serviceNodes.entries().keySet();
                this.jobNodes = jobNodes;
                this.serviceNodes = serviceNodes;
            }

            void run() {
                for (Entry job : jobNodes.entries().values()) {
                    if (job.value() instanceof MapNode node) {
                        String path = ConfigPaths.child("jobs", job.key());
                        node.get("source").ifPresent(s -> reference(s, ConfigPaths.child(path, "source"), "source", sources));
                        node.entry("targets").ifPresent(t -> jobTargets(t, ConfigPaths.child(path, "targets")));
                        blackout(node, ConfigPaths.child(path, "schedule"), "schedule");
                        node.get("retention").ifPresent(retention -> {
                            if (retention instanceof MapNode retentionNode) {
                                retentionNode.get("keep-for").ifPresent(j -> reference(j, ConfigPaths.child(
                                        ConfigPaths.child(path, "retention"), "keep-for"), "job", jobs));
                            }
                        });
                        node.get("verify").ifPresent(verify -> {
                            if (verify instanceof MapNode verifyNode) {
                                blackout(verifyNode, ConfigPaths.child(ConfigPaths.child(path, "verify"), "deep"), "deep");
                                blackout(verifyNode, ConfigPaths.child(ConfigPaths.child(path, "verify"), "restore"), "restore");
                                verifyNode.get("restore").ifPresent(restore -> {
                                    if (restore instanceof MapNode restoreNode) {
                                        restoreNode.get("verify-server").ifPresent(s -> reference(s, ConfigPaths.child(
                                                ConfigPaths.child(ConfigPaths.child(path, "verify"), "restore"), "verify-server"),
                                                "source", sources));
                                    }
                                });
                            }
                        });
                    }
                }
                root.get("prune").ifPresent(prune -> {
                    if (prune instanceof MapNode pruneNode) {
                        blackout(pruneNode, ConfigPaths.child("prune", "schedule"), "schedule");
                    }
                });
                for (Entry service : serviceNodes.entries().values()) {
                    if (service.value() instanceof MapNode node) {
                        String path = ConfigPaths.child("services", service.key());
                        node.get("protected-by").ifPresent(l -> references(l, ConfigPaths.child(path, "protected-by"), "job", jobs));
                        node.get("depends-on").ifPresent(l -> references(l, ConfigPaths.child(path, "depends-on"), "service", services));
                        node.get("replicated-by").ifPresent(l -> references(l, ConfigPaths.child(path, "replicated-by"),
                                "database", databases));
                        node.get("traffic").ifPresent(l -> references(l, ConfigPaths.child(path, "traffic"),
                                "traffic switch", trafficSwitches));
                    }
                }
            }

            /** The {@code blackout:} of the schedule under {@code key} of {@code parent}, if any, must be defined. */
            private void blackout(MapNode parent, String schedulePath, String key) {
                parent.get(key).ifPresent(schedule -> {
                    if (schedule instanceof MapNode scheduleNode) {
                        scheduleNode.get("blackout").ifPresent(b -> reference(b, ConfigPaths.child(schedulePath, "blackout"),
                                "blackout", blackouts));
                    }
                });
            }

            private void jobTargets(Entry targetsEntry, String path) {
                if (targetsEntry.value() instanceof ListNode list && list.items().isEmpty()
                        || targetsEntry.value() instanceof NullNode) {
                    add(targetsEntry.value() instanceof NullNode ? targetsEntry.keyLocation() : targetsEntry.value().location(),
                            path, "a job needs at least one target; defined targets: " + names(targets));
                    return;
                }
                references(targetsEntry.value(), path, "target", targets);
            }

            private void references(ConfigNode node, String path, String kind, Collection<String> defined) {
                if (node instanceof ListNode list) {
                    for (int i = 0; i < list.items().size(); i++) {
                        reference(list.items().get(i), ConfigPaths.index(path, i), kind, defined);
                    }
                }
            }

            // Wrong node types are left to the binder, which reports them already.
            private void reference(ConfigNode node, String path, String kind, Collection<String> defined) {
                if (node instanceof ScalarNode scalar && !defined.contains(scalar.text())) {
                    // "traffic switch" needs "es", every other kind an "s"
                    add(scalar.location(), path, "unknown " + kind + " '" + scalar.text() + "'; defined " + kind
                            + (kind.endsWith("ch") ? "es" : "s") + ": "
                            + names(defined) + ConfigBinder.suggestion(scalar.text(), defined)
                            .map(s -> " (did you mean '" + s + "'?)").orElse(""));
                }
            }

            private static String names(Collection<String> defined) {
                return defined.isEmpty() ? "none" : String.join(", ", defined.stream().sorted().toList());
            }
        }
    }
}
