package io.drover.runbook.parse;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ConfigLocation;
import io.drover.core.config.ConfigNode;
import io.drover.core.config.ConfigNode.Entry;
import io.drover.core.config.ConfigNode.ListNode;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.ConfigNode.NullNode;
import io.drover.core.config.ConfigNode.ScalarNode;
import io.drover.core.config.ConfigPaths;
import io.drover.core.config.ConfigProblemReport;
import io.drover.core.config.ConfigTree;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.action.ActionFactory;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.expr.Expression;
import io.drover.runbook.expr.ExpressionException;
import io.drover.runbook.expr.Reference;
import io.drover.runbook.expr.Template;
import io.drover.runbook.model.ActionCall;
import io.drover.runbook.model.Approval;
import io.drover.runbook.model.ParamType;
import io.drover.runbook.model.Parameter;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.model.Stage;
import io.drover.runbook.model.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and validates one runbook file, reporting every problem with file, line and column (the
 * way drover.yaml is checked), never just the first.
 */
public final class RunbookParser {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);
    private static final int MAX_RETRIES = 100;
    private static final List<String> TOP_KEYS = List.of("name", "description", "parameters", "steps");
    private static final List<String> PARAM_KEYS = List.of("type", "default", "required", "description");
    private static final List<String> STEP_KEYS = List.of("id", "description", "action", "with", "when", "timeout",
            "retries", "retry-delay", "approval", "rollback");
    private static final List<String> APPROVAL_KEYS = List.of("role", "timeout");
    private static final List<String> ROLLBACK_KEYS = List.of("action", "with");

    private final ActionRegistry actions;
    private final Optional<Set<String>> roles;
    private final Function<String, String> env;

    /**
     * @param roles the roles of drover.yaml's {@code roles:}, to check approval gates against; empty
     *              to skip that check
     * @param env   environment lookup for {@code ${env:NAME}} in {@code with:}
     */
    public RunbookParser(ActionRegistry actions, Optional<Set<String>> roles, Function<String, String> env) {
        this.actions = actions;
        this.roles = roles;
        this.env = env;
    }

    /** The runbook, or the problems that keep it from being one. */
    public record Result(Optional<Runbook> runbook, List<ConfigProblemReport> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Parses {@code text}.
     *
     * @param file         names the file in problems
     * @param source       where it was read from, journaled with executions
     * @param expectedName the name the file name implies; the {@code name:} must match it
     */
    public Result parse(Path file, String source, String text, Optional<String> expectedName) {
        ConfigTree tree = YamlTreeReader.read(file, text);
        List<ConfigProblemReport> problems = new ArrayList<>(tree.problems());
        Runbook runbook = tree.root() == null ? null : new Parsing(file, problems).runbook(tree.root(), source, text,
                expectedName);
        problems.sort(Comparator.comparingInt(ConfigProblemReport::line).thenComparingInt(ConfigProblemReport::column));
        return new Result(problems.isEmpty() ? Optional.ofNullable(runbook) : Optional.empty(), problems);
    }

    /** One parse: the file, its binder and the problems found so far. */
    private final class Parsing {
        private final Path file;
        private final ConfigBinder binder;
        private final List<ConfigProblemReport> problems;
        private final Map<String, Parameter> parameters = new LinkedHashMap<>();
        private final Set<String> stepIds = new HashSet<>();
        /** Every parameter and step id written in the file, valid or not, so one mistake does not cascade. */
        private final Set<String> declaredParams = new HashSet<>();
        private final Set<String> declaredSteps = new HashSet<>();

        Parsing(Path file, List<ConfigProblemReport> problems) {
            this.file = file;
            this.binder = new ConfigBinder(file, env);
            this.problems = problems;
        }

        private void add(ConfigLocation at, String path, String message) {
            problems.add(new ConfigProblemReport(file, at.line(), at.column(), path, message));
        }

        Runbook runbook(ConfigNode rootNode, String source, String text, Optional<String> expectedName) {
            if (!(rootNode instanceof MapNode root)) {
                add(rootNode.location(), "", "a runbook must be a map with keys " + String.join(", ", TOP_KEYS) + ", got "
                        + rootNode.describe());
                return null;
            }
            problems.addAll(binder.unknownKeys(root, "", TOP_KEYS));
            String name = root.get("name").map(n -> string(n, "name")).orElse(null);
            if (name == null && root.get("name").isEmpty()) {
                add(root.location(), "name", "missing required key 'name'");
            } else if (name != null && !NAME.matcher(name).matches()) {
                add(root.get("name").get().location(), "name", "runbook name '" + name + "' is not allowed: use lowercase"
                        + " letters, digits, '.', '_' and '-', starting with a letter or digit");
            } else if (name != null && expectedName.isPresent() && !expectedName.get().equals(name)) {
                add(root.get("name").get().location(), "name", "the runbook is named '" + name + "' but its file is "
                        + expectedName.get() + ".yaml; name the file after the runbook");
            }
            String description = root.get("description").map(n -> string(n, "description")).orElse("");
            declare(root);
            root.get("parameters").ifPresent(this::parameters);
            List<Stage> stages = root.get("steps").map(this::stages).orElseGet(() -> {
                add(root.location(), "steps", "missing required key 'steps': a runbook needs at least one step");
                return List.of();
            });
            if (!problems.isEmpty()) {
                return null;
            }
            return new Runbook(name, description == null ? "" : description, parameters, stages, source, file, text);
        }

        private void declare(MapNode root) {
            if (root.get("parameters").orElse(null) instanceof MapNode params) {
                declaredParams.addAll(params.entries().keySet());
            }
            if (root.get("steps").orElse(null) instanceof ListNode steps) {
                for (ConfigNode item : steps.items()) {
                    List<ConfigNode> group = item instanceof MapNode m && m.get("parallel").orElse(null) instanceof ListNode l
                            ? l.items() : List.of(item);
                    for (ConfigNode step : group) {
                        if (step instanceof MapNode m && m.get("id").orElse(null) instanceof ScalarNode id) {
                            declaredSteps.add(id.text());
                        }
                    }
                }
            }
        }

        private String string(ConfigNode node, String path) {
            if (node instanceof ScalarNode scalar) {
                return scalar.text();
            }
            add(node.location(), path, "expected a string for '" + path.substring(path.lastIndexOf('.') + 1) + "', got "
                    + node.describe());
            return null;
        }

        private <T> Optional<T> bind(ConfigNode node, Class<T> type, String path) {
            BindResult<T> result = binder.bind(node, type, path);
            problems.addAll(result.problems());
            return Optional.ofNullable(result.value());
        }

        // ---- parameters ----------------------------------------------------------------------

        private void parameters(ConfigNode node) {
            if (!(node instanceof MapNode map)) {
                add(node.location(), "parameters", "expected a map of named parameters, got " + node.describe());
                return;
            }
            for (Entry entry : map.entries().values()) {
                String path = ConfigPaths.child("parameters", entry.key());
                if (!Reference.NAME.matcher(entry.key()).matches()) {
                    add(entry.keyLocation(), path, "parameter name '" + entry.key() + "' is not allowed: use letters,"
                            + " digits, '_' and '-'");
                    continue;
                }
                parameter(entry, path).ifPresent(p -> parameters.put(p.name(), p));
            }
        }

        private Optional<Parameter> parameter(Entry entry, String path) {
            MapNode map;
            if (entry.value() instanceof MapNode m) {
                map = m;
            } else {
                add(entry.value().location(), path, "expected a map with keys " + String.join(", ", PARAM_KEYS)
                        + ", got " + entry.value().describe());
                return Optional.empty();
            }
            int before = problems.size();
            problems.addAll(binder.unknownKeys(map, path, PARAM_KEYS));
            ParamType type = map.get("type").flatMap(t -> bind(t, ParamType.class, ConfigPaths.child(path, "type")))
                    .orElse(null);
            if (map.get("type").isEmpty()) {
                add(map.location(), ConfigPaths.child(path, "type"), "missing required key 'type'; one of "
                        + String.join(", ", Arrays.stream(ParamType.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList()));
            }
            Optional<String> defaultValue = map.get("default").map(d -> string(d, ConfigPaths.child(path, "default")));
            Optional<Boolean> required = map.get("required").flatMap(r -> bind(r, Boolean.class, ConfigPaths.child(path, "required")));
            String description = map.get("description").map(d -> string(d, ConfigPaths.child(path, "description"))).orElse("");
            if (type != null && defaultValue.isPresent() && defaultValue.get() != null) {
                ParamValues.check(type, defaultValue.get(), Optional.empty()).ifPresent(problem ->
                        add(map.get("default").get().location(), ConfigPaths.child(path, "default"), problem));
            }
            if (required.orElse(false) && defaultValue.isPresent()) {
                add(map.entry("required").get().keyLocation(), ConfigPaths.child(path, "required"),
                        "a required parameter cannot have a default; remove one of them");
            }
            if (problems.size() > before) {
                return Optional.empty();
            }
            boolean isRequired = required.orElse(defaultValue.isEmpty());
            return Optional.of(new Parameter(entry.key(), type, defaultValue, isRequired, description == null ? "" : description,
                    entry.keyLocation()));
        }

        // ---- steps -------------------------------------------------------------------------

        private List<Stage> stages(ConfigNode node) {
            if (!(node instanceof ListNode list) || list.items().isEmpty()) {
                add(node.location(), "steps", "expected a list of steps ('- id: ...' lines), got " + (node instanceof ListNode
                        ? "an empty list" : node.describe()));
                return List.of();
            }
            List<Stage> stages = new ArrayList<>();
            Set<String> earlier = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                ConfigNode item = list.items().get(i);
                String path = ConfigPaths.index("steps", i);
                if (item instanceof MapNode map && map.entry("parallel").isPresent()) {
                    problems.addAll(binder.unknownKeys(map, path, List.of("parallel")));
                    ConfigNode group = map.entry("parallel").get().value();
                    String groupPath = ConfigPaths.child(path, "parallel");
                    if (!(group instanceof ListNode steps) || steps.items().isEmpty()) {
                        add(group.location(), groupPath, "expected a list of steps to run at the same time, got "
                                + (group instanceof ListNode ? "an empty list" : group.describe()));
                        continue;
                    }
                    List<Step> parallel = new ArrayList<>();
                    for (int j = 0; j < steps.items().size(); j++) {
                        step(steps.items().get(j), ConfigPaths.index(groupPath, j), earlier).ifPresent(parallel::add);
                    }
                    parallel.forEach(s -> earlier.add(s.id()));
                    if (parallel.size() == steps.items().size()) {
                        stages.add(new Stage(parallel, true));
                    }
                } else {
                    Optional<Step> step = step(item, path, earlier);
                    step.ifPresent(s -> {
                        earlier.add(s.id());
                        stages.add(new Stage(List.of(s), false));
                    });
                }
            }
            return stages;
        }

        private Optional<Step> step(ConfigNode node, String path, Set<String> earlier) {
            if (!(node instanceof MapNode map)) {
                add(node.location(), path, "expected a step (a map with id and action) or a parallel: group, got "
                        + node.describe());
                return Optional.empty();
            }
            int before = problems.size();
            problems.addAll(binder.unknownKeys(map, path, STEP_KEYS));
            String id = map.get("id").map(n -> string(n, ConfigPaths.child(path, "id"))).orElse(null);
            if (map.get("id").isEmpty()) {
                add(map.location(), ConfigPaths.child(path, "id"), "missing required key 'id'");
            } else if (id != null && !STEP_ID.matcher(id).matches()) {
                add(map.get("id").get().location(), ConfigPaths.child(path, "id"), "step id '" + id + "' is not allowed:"
                        + " use lowercase letters, digits, '_' and '-'");
            } else if (id != null && !stepIds.add(id)) {
                add(map.get("id").get().location(), ConfigPaths.child(path, "id"), "duplicate step id '" + id + "'");
            }
            String stepPath = id == null ? path : "steps." + id;
            String description = map.get("description").map(n -> string(n, ConfigPaths.child(stepPath, "description")))
                    .orElse("");
            Optional<ActionCall> action = actionCall(map, stepPath, earlier, id);
            Optional<Expression> when = map.get("when").flatMap(n -> condition(n, ConfigPaths.child(stepPath, "when"), earlier));
            Duration timeout = map.get("timeout").flatMap(n -> bind(n, Duration.class, ConfigPaths.child(stepPath, "timeout")))
                    .orElse(DEFAULT_TIMEOUT);
            int retries = map.get("retries").flatMap(n -> bind(n, Integer.class, ConfigPaths.child(stepPath, "retries")))
                    .orElse(0);
            if (retries < 0 || retries > MAX_RETRIES) {
                add(map.get("retries").get().location(), ConfigPaths.child(stepPath, "retries"), "retries must be between 0 and "
                        + MAX_RETRIES + ", got " + retries);
            }
            Duration retryDelay = map.get("retry-delay").flatMap(n -> bind(n, Duration.class,
                    ConfigPaths.child(stepPath, "retry-delay"))).orElse(DEFAULT_RETRY_DELAY);
            Optional<Approval> approval = map.get("approval").flatMap(n -> approval(n, ConfigPaths.child(stepPath, "approval")));
            if (action.isPresent() && action.get().action().equals("approval")) {
                Optional<Approval> gate = approvalAction(action.get());
                if (approval.isPresent()) {
                    add(map.entry("approval").get().keyLocation(), ConfigPaths.child(stepPath, "approval"),
                            "an approval step is its own gate; remove 'approval:'");
                }
                approval = gate;
            }
            Optional<ActionCall> rollback = map.get("rollback").flatMap(n -> rollback(n, ConfigPaths.child(stepPath, "rollback"),
                    earlier, id));
            if (problems.size() > before || id == null || action.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Step(id, description == null ? "" : description, action.get(), when, timeout, retries,
                    retryDelay, approval, rollback, map.location()));
        }

        private Optional<ActionCall> actionCall(MapNode map, String path, Set<String> earlier, String self) {
            Optional<ConfigNode> actionNode = map.get("action");
            if (actionNode.isEmpty()) {
                add(map.location(), ConfigPaths.child(path, "action"), "missing required key 'action'; available actions: "
                        + String.join(", ", actions.types()));
                return Optional.empty();
            }
            String name = string(actionNode.get(), ConfigPaths.child(path, "action"));
            if (name == null) {
                return Optional.empty();
            }
            Optional<ActionFactory<?>> factory = actions.find(name);
            if (factory.isEmpty()) {
                add(actionNode.get().location(), ConfigPaths.child(path, "action"), "unknown action '" + name
                        + "'; available actions: " + String.join(", ", actions.types())
                        + ConfigBinder.suggestion(name, actions.types()).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                return Optional.empty();
            }
            String withPath = ConfigPaths.child(path, "with");
            ConfigNode with = map.entry("with").map(Entry::value).orElse(new NullNode(map.location()));
            checkWith(factory.get(), with, withPath, earlier, self);
            return Optional.of(new ActionCall(name, with, withPath, actionNode.get().location()));
        }

        private Optional<ActionCall> rollback(ConfigNode node, String path, Set<String> earlier, String self) {
            if (!(node instanceof MapNode map)) {
                add(node.location(), path, "expected a map with keys action, with; got " + node.describe());
                return Optional.empty();
            }
            problems.addAll(binder.unknownKeys(map, path, ROLLBACK_KEYS));
            // Rollback runs after the step: it may use the step's own outputs.
            Set<String> visible = new HashSet<>(earlier);
            if (self != null) {
                visible.add(self);
            }
            return actionCall(map, path, visible, null);
        }

        /** Checks references in {@code with:} and, when there are none, binds and validates it now. */
        private void checkWith(ActionFactory<?> factory, ConfigNode with, String path, Set<String> earlier, String self) {
            int before = problems.size();
            boolean hasReferences = references(with, path, earlier, self);
            if (problems.size() > before) {
                return;
            }
            if (hasReferences) {
                // Values are known only at run time; keys can be checked now.
                if (with instanceof MapNode map) {
                    List<String> keys = Arrays.stream(factory.configType().getRecordComponents())
                            .map(c -> ConfigPaths.kebab(c.getName())).toList();
                    problems.addAll(binder.unknownKeys(map, path, keys));
                }
                return;
            }
            bindAndValidate(factory, with, path);
        }

        private <C extends Record> void bindAndValidate(ActionFactory<C> factory, ConfigNode with, String path) {
            bind(with, factory.configType(), path).ifPresent(config -> {
                List<ConfigProblem> found = factory.validate(config);
                MapNode section = with instanceof MapNode m ? m : new MapNode(Map.of(), with.location());
                problems.addAll(binder.locate(section, path, found));
            });
        }

        /** Reports bad references under {@code node}; returns whether it has runbook references at all. */
        private boolean references(ConfigNode node, String path, Set<String> earlier, String self) {
            return switch (node) {
                case ScalarNode scalar -> {
                    try {
                        List<Reference> found = Template.references(scalar.text());
                        found.forEach(r -> reference(r, scalar.location(), path, earlier, self));
                        yield !found.isEmpty();
                    } catch (ExpressionException e) {
                        add(at(scalar, e.offset()), path, e.getMessage());
                        yield true;
                    }
                }
                case MapNode map -> {
                    boolean any = false;
                    for (Entry e : map.entries().values()) {
                        any |= references(e.value(), ConfigPaths.child(path, e.key()), earlier, self);
                    }
                    yield any;
                }
                case ListNode list -> {
                    boolean any = false;
                    for (int i = 0; i < list.items().size(); i++) {
                        any |= references(list.items().get(i), ConfigPaths.index(path, i), earlier, self);
                    }
                    yield any;
                }
                case NullNode n -> false;
            };
        }

        private void reference(Reference reference, ConfigLocation at, String path, Set<String> earlier, String self) {
            switch (reference) {
                case Reference.Param p -> {
                    if (!declaredParams.contains(p.name())) {
                        List<String> names = declaredParams.stream().sorted().toList();
                        add(at, path, "${" + p.text() + "}: no parameter '" + p.name() + "'; parameters: "
                                + (names.isEmpty() ? "none" : String.join(", ", names))
                                + ConfigBinder.suggestion(p.name(), names).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                    }
                }
                case Reference.Output o -> stepReference(o.step(), reference, at, path, earlier, self);
                case Reference.Status s -> stepReference(s.step(), reference, at, path, earlier, self);
            }
        }

        private void stepReference(String step, Reference reference, ConfigLocation at, String path, Set<String> earlier,
                                   String self) {
            if (earlier.contains(step)) {
                return;
            }
            String why = step.equals(self) ? "a step cannot use its own outputs"
                    : declaredSteps.contains(step) ? "step '" + step + "' does not run before this one (a later step or the same"
                    + " parallel group)" : "there is no earlier step '" + step + "'";
            add(at, path, "${" + reference.text() + "}: " + why);
        }

        private Optional<Expression> condition(ConfigNode node, String path, Set<String> earlier) {
            String text = string(node, path);
            if (text == null) {
                return Optional.empty();
            }
            try {
                Expression expression = Expression.parse(text);
                expression.references().forEach(r -> reference(r, node.location(), path, earlier, null));
                return Optional.of(expression);
            } catch (ExpressionException e) {
                add(at((ScalarNode) node, e.offset()), path, "invalid condition: " + e.getMessage());
                return Optional.empty();
            }
        }

        /** Where {@code offset} of a one-line scalar is; the scalar's start for anything else. */
        private static ConfigLocation at(ScalarNode scalar, int offset) {
            if (offset < 0 || scalar.text().contains("\n")) {
                return scalar.location();
            }
            return new ConfigLocation(scalar.location().line(), scalar.location().column() + offset);
        }

        private Optional<Approval> approval(ConfigNode node, String path) {
            if (!(node instanceof MapNode map)) {
                add(node.location(), path, "expected a map such as { role: dba }, got " + node.describe());
                return Optional.empty();
            }
            problems.addAll(binder.unknownKeys(map, path, APPROVAL_KEYS));
            Optional<Duration> timeout = map.get("timeout").flatMap(t -> bind(t, Duration.class, ConfigPaths.child(path, "timeout")));
            Optional<ConfigNode> roleNode = map.get("role");
            if (roleNode.isEmpty()) {
                add(map.location(), ConfigPaths.child(path, "role"), "missing required key 'role'");
                return Optional.empty();
            }
            String role = string(roleNode.get(), ConfigPaths.child(path, "role"));
            if (role == null || !knownRole(role, roleNode.get().location(), ConfigPaths.child(path, "role"))) {
                return Optional.empty();
            }
            return Optional.of(new Approval(role, timeout));
        }

        private Optional<Approval> approvalAction(ActionCall call) {
            if (call.with() instanceof MapNode map && map.get("role").orElse(null) instanceof ScalarNode role) {
                if (!knownRole(role.text(), role.location(), ConfigPaths.child(call.path(), "role"))) {
                    return Optional.empty();
                }
                Optional<Duration> timeout = map.get("timeout").flatMap(t -> bind(t, Duration.class,
                        ConfigPaths.child(call.path(), "timeout")));
                return Optional.of(new Approval(role.text(), timeout));
            }
            return Optional.empty(); // binding with: has reported what is missing
        }

        private boolean knownRole(String role, ConfigLocation at, String path) {
            if (roles.isPresent() && !roles.get().contains(role)) {
                add(at, path, "role '" + role + "' is not defined under roles: in drover.yaml; defined roles: "
                        + (roles.get().isEmpty() ? "none" : String.join(", ", roles.get().stream().sorted().toList())));
                return false;
            }
            return true;
        }
    }
}
