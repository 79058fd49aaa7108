package io.drover.core.config;

import io.drover.core.config.ConfigNode.Entry;
import io.drover.core.config.ConfigNode.ListNode;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.ConfigNode.NullNode;
import io.drover.core.config.ConfigNode.ScalarNode;
import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds a {@link ConfigNode} tree to Java records, strictly: unknown keys, missing keys, wrong
 * types and out-of-range numbers are all reported, with line and column, and binding never stops
 * at the first problem. Record component {@code partSize} is YAML key {@code part-size}.
 *
 * <p>Supported component types: {@code String}, {@code int}, {@code long}, {@code boolean},
 * {@code double} (and their boxes), {@link Path}, {@link Duration}, {@link DataSize}, {@link ZoneId},
 * enums, {@link Secret}, {@code List}, {@code Set}, {@code Map<String, T>}, {@code Optional},
 * {@link ConfigNode} (left unbound) and nested records. A record's compact constructor may throw
 * {@link IllegalArgumentException}; its message becomes a problem, located at a key if the message
 * starts with that key's YAML name.
 */
public final class ConfigBinder {
    private static final Object FAILED = new Object();
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern FIELD_SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");

    private final Path file;
    private final ReferenceResolver references;
    private final Map<Class<?>, List<Function<Object, List<ConfigProblem>>>> checks;

    /**
     * @param file the config file, to label problems
     * @param env  environment lookup for {@code ${env:NAME}}; returns {@code null} when unset
     */
    public ConfigBinder(Path file, Function<String, String> env) {
        this(file, new ReferenceResolver(env), Map.of());
    }

    private ConfigBinder(Path file, ReferenceResolver references, Map<Class<?>, List<Function<Object, List<ConfigProblem>>>> checks) {
        this.file = Objects.requireNonNull(file, "file");
        this.references = references;
        this.checks = checks;
    }

    /**
     * A binder that also runs {@code check} on every bound {@code type}; each returned problem's
     * field (a kebab-case key, optionally {@code key[index]} or dotted) says where it points.
     */
    public <T extends Record> ConfigBinder withCheck(Class<T> type, Function<? super T, List<ConfigProblem>> check) {
        Map<Class<?>, List<Function<Object, List<ConfigProblem>>>> more = new HashMap<>(checks);
        List<Function<Object, List<ConfigProblem>>> forType = new ArrayList<>(more.getOrDefault(type, List.of()));
        forType.add(value -> check.apply(type.cast(value)));
        more.put(type, List.copyOf(forType));
        return new ConfigBinder(file, references, Map.copyOf(more));
    }

    public Path file() {
        return file;
    }

    /** Binds the whole tree (an empty document counts as an empty map) to {@code type}. */
    public <T> BindResult<T> bind(ConfigNode node, Class<T> type) {
        return bind(node, type, "");
    }

    /** Binds {@code node}, found at key path {@code path}, to {@code type}. */
    @SuppressWarnings("unchecked") // the value was built for exactly this type (boxed if primitive)
    public <T> BindResult<T> bind(ConfigNode node, Class<T> type, String path) {
        BindResult<?> result = bind(node, (Type) type, path);
        return new BindResult<>((T) result.value(), result.problems());
    }

    /** Binds {@code node} to a possibly generic type such as {@code Map<String, JobConfig>}. */
    public BindResult<?> bind(ConfigNode node, Type type, String path) {
        List<ConfigProblemReport> problems = new ArrayList<>();
        Object value = value(node, type, path, problems);
        if (value == FAILED && problems.isEmpty()) {
            throw new IllegalStateException("binding failed without a problem at " + path);
        }
        // File order reads best: the user fixes problems top to bottom.
        problems.sort(Comparator.comparingInt(ConfigProblemReport::line).thenComparingInt(ConfigProblemReport::column));
        return value == FAILED ? new BindResult<>(null, problems) : new BindResult<>(value, List.of());
    }

    /** Reports every key of {@code map} that is not in {@code validKeys}, suggesting the nearest. */
    public List<ConfigProblemReport> unknownKeys(MapNode map, String path, Collection<String> validKeys) {
        List<String> sorted = validKeys.stream().sorted().toList();
        List<ConfigProblemReport> problems = new ArrayList<>();
        for (Entry entry : map.entries().values()) {
            if (!validKeys.contains(entry.key())) {
                String where = path.isEmpty() ? "at the top level" : "in " + path;
                String message = "unknown key '" + entry.key() + "' " + where + "; valid keys: " + String.join(", ", sorted)
                        + suggestion(entry.key(), sorted).map(s -> " (did you mean '" + s + "'?)").orElse("");
                problems.add(problem(entry.keyLocation(), ConfigPaths.child(path, entry.key()), message));
            }
        }
        return problems;
    }

    /** The valid name nearest to {@code given}, if it is within edit distance 2. */
    /** A duration as the config accepts it ({@code 90s}, {@code 10m}, {@code 2h30m}, ISO-8601), for CLI options. */
    public static java.time.Duration parseDuration(String text) {
        return ConfigDurations.parse(text);
    }

    public static Optional<String> suggestion(String given, Collection<String> valid) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : valid) {
            int distance = ConfigPaths.editDistance(given, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Locates problems reported against a map section (a connector's {@code validate}, a check):
     * at the named field's key when it is present, else at the section.
     */
    public List<ConfigProblemReport> locate(MapNode section, String sectionPath, List<ConfigProblem> found) {
        return found.stream().map(p -> locate(section, sectionPath, p)).toList();
    }

    private ConfigProblemReport locate(MapNode section, String sectionPath, ConfigProblem found) {
        if (found.field().isEmpty()) {
            return problem(section.location(), sectionPath, found.message());
        }
        String path = sectionPath;
        ConfigLocation at = section.location();
        ConfigNode node = section;
        for (String segment : found.field().split("\\.")) {
            var m = FIELD_SEGMENT.matcher(segment);
            if (!(node instanceof MapNode map) || !m.matches() || map.entry(m.group(1)).isEmpty()) {
                break;
            }
            Entry entry = map.entry(m.group(1)).orElseThrow();
            path = ConfigPaths.child(path, entry.key());
            at = entry.keyLocation();
            node = entry.value();
            String indexes = m.group(2);
            for (String index : indexes.isEmpty() ? new String[0] : indexes.substring(1).split("\\[")) {
                int i = Integer.parseInt(index.substring(0, index.length() - 1));
                if (!(node instanceof ListNode list) || i >= list.items().size()) {
                    break;
                }
                node = list.items().get(i);
                path = ConfigPaths.index(path, i);
                at = node.location();
            }
        }
        // Whatever part of the field could not be found in the tree is still named in the path.
        String wanted = ConfigPaths.child(sectionPath, found.field());
        return problem(at, wanted.startsWith(path) ? wanted : path, found.message());
    }

    private ConfigProblemReport problem(ConfigLocation at, String path, String message) {
        return ConfigProblemReport.at(file, at, path, message);
    }

    // ---- dispatch -------------------------------------------------------------------------------

    private Object value(ConfigNode node, Type type, String path, List<ConfigProblemReport> problems) {
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            Type[] args = generic.getActualTypeArguments();
            if (raw == List.class) {
                return list(node, args[0], path, problems);
            }
            if (raw == Set.class) {
                return set(node, args[0], path, problems);
            }
            if (raw == Map.class && args[0] == String.class) {
                return map(node, args[1], path, problems);
            }
            if (raw == Optional.class) {
                if (node instanceof NullNode) {
                    return Optional.empty();
                }
                Object inner = value(node, args[0], path, problems);
                return inner == FAILED ? FAILED : Optional.of(inner);
            }
        } else if (type instanceof Class<?> c) {
            if (c == ConfigNode.class) {
                return node;
            }
            // Scalars first: some value types (DataSize) are records themselves.
            if (isSupportedScalar(c)) {
                String text = scalar(node, describe(c), path, problems);
                return text == null ? FAILED : scalarValue(text, c, node, path, problems);
            }
            if (c == Secret.class) {
                return secret(node, path, problems);
            }
            if (c.isEnum()) {
                return enumValue(node, c, path, problems);
            }
            if (c.isRecord()) {
                return record(node, c, path, problems);
            }
        }
        problems.add(problem(node.location(), path, "cannot bind '" + ConfigPaths.leaf(path) + "': type "
                + type.getTypeName() + " is not supported by drover's config binder (a bug in the config record)"));
        return FAILED;
    }

    private static boolean isSupportedScalar(Class<?> c) {
        return c == String.class || c == int.class || c == Integer.class || c == long.class || c == Long.class
                || c == boolean.class || c == Boolean.class || c == double.class || c == Double.class
                || c == Path.class || c == Duration.class || c == DataSize.class || c == ZoneId.class;
    }

    private static String describe(Type type) {
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            if (raw == List.class || raw == Set.class) {
                return "a list";
            }
            if (raw == Map.class) {
                return "a map";
            }
            if (raw == Optional.class) {
                return describe(generic.getActualTypeArguments()[0]);
            }
        }
        if (!(type instanceof Class<?> c)) {
            return type.getTypeName();
        }
        if (c == String.class) {
            return "a string";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "a whole number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == double.class || c == Double.class) {
            return "a number";
        }
        if (c == Path.class) {
            return "a path";
        }
        if (c == Duration.class) {
            return "a duration such as " + ConfigDurations.EXAMPLES;
        }
        if (c == DataSize.class) {
            return "a size such as 64KiB, 512MiB or 2GiB";
        }
        if (c == ZoneId.class) {
            return "a time zone such as Europe/Berlin or UTC";
        }
        if (c == Secret.class) {
            return "a secret reference (" + ReferenceResolver.SECRET_FORMS + ")";
        }
        if (c.isEnum()) {
            return "one of " + enumNames(c);
        }
        if (c.isRecord()) {
            return "a map with keys " + String.join(", ", keysOf(c).stream().sorted().toList());
        }
        return c.getSimpleName();
    }

    // ---- scalars --------------------------------------------------------------------------------

    /** The scalar's text, or {@code null} after reporting what was expected instead. */
    private String scalar(ConfigNode node, String expected, String path, List<ConfigProblemReport> problems) {
        if (node instanceof ScalarNode scalar) {
            return scalar.text();
        }
        problems.add(expected(node, expected, path, node.describe()));
        return null;
    }

    private ConfigProblemReport expected(ConfigNode node, String expected, String path, String got) {
        return problem(node.location(), path, "expected " + expected + " for '" + ConfigPaths.leaf(path) + "', got " + got);
    }

    private Object scalarValue(String text, Class<?> c, ConfigNode node, String path, List<ConfigProblemReport> problems) {
        if (c == String.class || c == Path.class) {
            ReferenceResolver.Resolution<String> expanded = references.expand(text);
            if (!expanded.ok()) {
                expanded.problems().forEach(p -> problems.add(problem(node.location(), path, p)));
                return FAILED;
            }
            return c == String.class ? expanded.value() : path(expanded.value(), node, path, problems);
        }
        String trimmed = text.trim();
        if (c == int.class || c == Integer.class) {
            return wholeNumber(trimmed, Integer.MIN_VALUE, Integer.MAX_VALUE, node, path, problems, Long::intValue);
        }
        if (c == long.class || c == Long.class) {
            return wholeNumber(trimmed, Long.MIN_VALUE, Long.MAX_VALUE, node, path, problems, n -> n);
        }
        if (c == boolean.class || c == Boolean.class) {
            if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(trimmed);
            }
            return fail(problems, expected(node, "true or false", path, node.describe()));
        }
        if (c == double.class || c == Double.class) {
            return DECIMAL.matcher(trimmed).matches() ? (Object) Double.parseDouble(trimmed)
                    : fail(problems, expected(node, "a number", path, node.describe()));
        }
        if (c == Duration.class) {
            try {
                return ConfigDurations.parse(trimmed);
            } catch (IllegalArgumentException e) {
                return fail(problems, expected(node, describe(c), path, node.describe()));
            }
        }
        if (c == DataSize.class) {
            try {
                return DataSize.parse(trimmed);
            } catch (IllegalArgumentException e) {
                return fail(problems, problem(node.location(), path, "invalid size for '" + ConfigPaths.leaf(path) + "': " + e.getMessage()));
            } catch (ArithmeticException e) {
                return fail(problems, problem(node.location(), path, "size " + node.describe() + " is too large"));
            }
        }
        if (c == ZoneId.class) {
            try {
                return ZoneId.of(trimmed);
            } catch (DateTimeException e) {
                return fail(problems, problem(node.location(), path, "unknown time zone " + node.describe() + " for '"
                        + ConfigPaths.leaf(path) + "'; use a region such as Europe/Berlin, or UTC"));
            }
        }
        throw new IllegalStateException("unhandled scalar type " + c);
    }

    private Object wholeNumber(String text, long min, long max, ConfigNode node, String path,
                               List<ConfigProblemReport> problems, Function<Long, Object> narrow) {
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            return fail(problems, expected(node, "a whole number", path, node.describe()));
        }
        BigInteger number = new BigInteger(text);
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            return fail(problems, problem(node.location(), path, "number " + text + " for '" + ConfigPaths.leaf(path)
                    + "' is out of range; it must be between " + min + " and " + max));
        }
        return narrow.apply(number.longValue());
    }

    private Object path(String text, ConfigNode node, String path, List<ConfigProblemReport> problems) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return fail(problems, problem(node.location(), path, "invalid path for '" + ConfigPaths.leaf(path) + "': " + e.getReason()));
        }
    }

    private Object enumValue(ConfigNode node, Class<?> type, String path, List<ConfigProblemReport> problems) {
        String text = scalar(node, describe(type), path, problems);
        if (text == null) {
            return FAILED;
        }
        String wanted = ConfigPaths.constant(text);
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(wanted)) {
                return constant;
            }
        }
        return fail(problems, expected(node, describe(type), path, node.describe()));
    }

    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> ConfigPaths.kebabConstant(((Enum<?>) c).name()))
                .collect(Collectors.joining(", "));
    }

    private Object secret(ConfigNode node, String path, List<ConfigProblemReport> problems) {
        if (!(node instanceof ScalarNode scalar)) {
            // describe() of a map or list shows no content, so no secret can leak here.
            return fail(problems, expected(node, describe(Secret.class), path, node.describe()));
        }
        ReferenceResolver.Resolution<Secret> resolved = references.secret(scalar.text());
        if (!resolved.ok()) {
            resolved.problems().forEach(p -> problems.add(problem(node.location(), path, p)));
            return FAILED;
        }
        return resolved.value();
    }

    // ---- collections ----------------------------------------------------------------------------

    private Object list(ConfigNode node, Type element, String path, List<ConfigProblemReport> problems) {
        List<Object> items = elements(node, element, path, problems);
        return items == null ? FAILED : Collections.unmodifiableList(items);
    }

    private Object set(ConfigNode node, Type element, String path, List<ConfigProblemReport> problems) {
        List<Object> items = elements(node, element, path, problems);
        if (items == null) {
            return FAILED;
        }
        Set<Object> set = new LinkedHashSet<>();
        List<ConfigNode> nodes = ((ListNode) node).items();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            if (!set.add(items.get(i))) {
                ok = false;
                problems.add(problem(nodes.get(i).location(), ConfigPaths.index(path, i),
                        "duplicate entry in '" + ConfigPaths.leaf(path) + "'; each value may appear only once"));
            }
        }
        return ok ? Collections.unmodifiableSet(set) : FAILED;
    }

    /** Binds every element; {@code null} if the node is no list or any element failed. */
    private List<Object> elements(ConfigNode node, Type element, String path, List<ConfigProblemReport> problems) {
        if (!(node instanceof ListNode list)) {
            // A single value is not wrapped into a list: silently accepting `targets: a, b` would
            // hide a mistake.
            String got = node instanceof ScalarNode ? "a single value" + (mentionsSecret(element) ? "" : " " + node.describe())
                    : node.describe();
            problems.add(problem(node.location(), path, "expected a list for '" + ConfigPaths.leaf(path) + "', got " + got
                    + (node instanceof ScalarNode ? "; write it as [value] or as '- value' lines" : "")));
            return null;
        }
        List<Object> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            ConfigNode item = list.items().get(i);
            String itemPath = ConfigPaths.index(path, i);
            Object value = item instanceof NullNode
                    ? fail(problems, expected(item, describe(element), itemPath, "null"))
                    : value(item, element, itemPath, problems);
            ok &= value != FAILED;
            out.add(value);
        }
        return ok ? out : null;
    }

    private Object map(ConfigNode node, Type valueType, String path, List<ConfigProblemReport> problems) {
        if (node instanceof NullNode) {
            return Map.of();
        }
        if (!(node instanceof MapNode map)) {
            String got = node instanceof ScalarNode && mentionsSecret(valueType) ? "a single value" : node.describe();
            return fail(problems, expected(node, "a map", path, got));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Entry entry : map.entries().values()) {
            String entryPath = ConfigPaths.child(path, entry.key());
            Object value = entry.value() instanceof NullNode && !isRecordOrOptional(valueType)
                    ? fail(problems, expected(entry.value(), describe(valueType), entryPath, "null"))
                    : value(entry.value(), valueType, entryPath, problems);
            ok &= value != FAILED;
            out.put(entry.key(), value);
        }
        return ok ? Collections.unmodifiableMap(out) : FAILED;
    }

    private static boolean isRecordOrOptional(Type type) {
        return (type instanceof Class<?> c && c.isRecord())
                || (type instanceof ParameterizedType p && p.getRawType() == Optional.class);
    }

    private static boolean mentionsSecret(Type type) {
        if (type == Secret.class) {
            return true;
        }
        return type instanceof ParameterizedType p && Arrays.stream(p.getActualTypeArguments()).anyMatch(ConfigBinder::mentionsSecret);
    }

    // ---- records --------------------------------------------------------------------------------

    private static List<String> keysOf(Class<?> recordType) {
        return Arrays.stream(recordType.getRecordComponents()).map(c -> ConfigPaths.kebab(c.getName())).toList();
    }

    private Object record(ConfigNode node, Class<?> type, String path, List<ConfigProblemReport> problems) {
        MapNode map;
        if (node instanceof MapNode m) {
            map = m;
        } else if (node instanceof NullNode) {
            // `compression:` with nothing after it means "all defaults", like `compression: {}`.
            map = new MapNode(Map.of(), node.location());
        } else {
            return fail(problems, expected(node, describe(type), path, node.describe()));
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = keysOf(type);
        int before = problems.size();
        problems.addAll(unknownKeys(map, path, keys));
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = component(map, components[i], keys.get(i), path, problems);
        }
        if (problems.size() > before) {
            return FAILED;
        }
        Object value = construct(type, components, args, map, path, problems);
        if (value == FAILED) {
            return FAILED;
        }
        List<ConfigProblem> found = new ArrayList<>();
        checks.getOrDefault(type, List.of()).forEach(check -> found.addAll(check.apply(value)));
        problems.addAll(locate(map, path, found));
        return found.isEmpty() ? value : FAILED;
    }

    private Object component(MapNode map, RecordComponent component, String key, String path, List<ConfigProblemReport> problems) {
        String keyPath = ConfigPaths.child(path, key);
        Optional<ConfigNode> given = map.get(key);
        if (given.isPresent()) {
            return value(given.get(), component.getGenericType(), keyPath, problems);
        }
        // Absent and explicit null are the same: a YAML user writes `key:` to mean "not set".
        if (component.getType() == Optional.class) {
            return Optional.empty();
        }
        Default fallback = component.getAnnotation(Default.class);
        if (fallback != null) {
            return defaultValue(fallback.value(), component, map.location(), keyPath, problems);
        }
        return fail(problems, problem(map.location(), keyPath, "missing required key '" + key + "'"
                + (path.isEmpty() ? "" : " in " + path)));
    }

    private Object defaultValue(String text, RecordComponent component, ConfigLocation at, String path,
                                List<ConfigProblemReport> problems) {
        if (text.isEmpty() && component.getType() == String.class) {
            return ""; // an empty YAML document is no value, but @Default("") on a String means the empty string
        }
        ConfigTree tree = YamlTreeReader.read(file, text);
        List<ConfigProblemReport> inner = new ArrayList<>(tree.problems());
        Object value = tree.root() == null ? FAILED : value(tree.root(), component.getGenericType(), path, inner);
        if (inner.isEmpty() && value != FAILED) {
            return value;
        }
        String reason = inner.isEmpty() ? "" : ": " + inner.getFirst().message();
        return fail(problems, problem(at, path, "invalid @Default(\"" + text + "\") on "
                + component.getDeclaringRecord().getSimpleName() + "." + component.getName() + reason + " (a bug in drover)"));
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] args, MapNode map, String path,
                             List<ConfigProblemReport> problems) {
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            return fail(problems, locate(map, path, new ConfigProblem(keyNamedIn(message, keysOf(type)), message)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return fail(problems, problem(map.location(), path, "cannot create " + type.getSimpleName() + ": " + e
                    + " (a bug in the config record)"));
        }
    }

    // Lets a compact constructor point at a key by starting its message with it ("level must be...").
    private static String keyNamedIn(String message, List<String> keys) {
        return keys.stream()
                .filter(k -> message.startsWith(k + " ") || message.startsWith(k + ":") || message.startsWith("'" + k + "'"))
                .findFirst()
                .orElse("");
    }

    private static Object fail(List<ConfigProblemReport> problems, ConfigProblemReport problem) {
        problems.add(problem);
        return FAILED;
    }
}
