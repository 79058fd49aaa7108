package io.drover.core.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory database server and a source on one of its databases, for unit tests of restore
 * verification: a database is a map of table name to row count plus canary time stamps, a dump
 * is a text file of those, and the "SQL" it understands is {@code select N}, {@code select N = M}
 * and {@code select count(*) from T}.
 */
public final class FakeDatabaseSource implements LoadableSource {
    /** One fake server: database name → its content. */
    public static final class Server {
        final Map<String, FakeDatabase> databases = new ConcurrentHashMap<>();

        public FakeDatabase create(String name) {
            return databases.computeIfAbsent(name, n -> new FakeDatabase());
        }

        public boolean exists(String name) {
            return databases.containsKey(name);
        }

        public void drop(String name) {
            databases.remove(name);
        }

        public Map<String, FakeDatabase> databases() {
            return databases;
        }
    }

    /** A fake database: tables with row counts and the canary table. */
    public static final class FakeDatabase {
        public final Map<String, Long> tables = new ConcurrentHashMap<>();
        public final List<Instant> canaries = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    static final String DUMP = "dump.txt";

    private final Server server;
    private final String database;
    private final boolean canary;

    public FakeDatabaseSource(Server server, String database, boolean canary) {
        this.server = server;
        this.database = database;
        this.canary = canary;
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return Set.of();
    }

    @Override
    public String describe() {
        return "fake database " + database;
    }

    @Override
    public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
        FakeDatabase db = server.databases.get(database);
        if (db == null) {
            throw new IOException("fake database " + database + " does not exist");
        }
        Map<String, String> position = new LinkedHashMap<>();
        Instant capturedAt = context.clock().instant();
        if (canary) {
            Instant written = capturedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as databases store it
            db.canaries.add(written);
            position.put(SourceSnapshot.CANARY_AT, written.toString());
        }
        byte[] dump = dump(db).getBytes(StandardCharsets.UTF_8);
        sink.file(EntryMeta.file(DUMP, 0640, capturedAt, dump.length), () -> new ByteArrayInputStream(dump));
        return new SourceSnapshot(capturedAt, position);
    }

    private static String dump(FakeDatabase db) {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(db.tables).forEach((table, rows) -> text.append("table ").append(table).append(' ')
                .append(rows).append('\n'));
        for (Instant at : List.copyOf(db.canaries)) {
            text.append("canary ").append(at).append('\n');
        }
        return text.append("end\n").toString();
    }

    private static void load(Path files, FakeDatabase into) throws IOException {
        Path dump = files.resolve(DUMP);
        if (!Files.exists(dump)) {
            throw new IOException("fake loader: no " + DUMP + " in the restored files: not a fake database backup");
        }
        List<String> lines = Files.readAllLines(dump);
        if (lines.isEmpty() || !lines.getLast().equals("end")) {
            throw new IOException("fake loader: " + DUMP + " ends early (line " + lines.size() + ")");
        }
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "table" -> into.tables.put(words[1], Long.parseLong(words[2]));
                case "canary" -> into.canaries.add(Instant.parse(words[1]));
                default -> throw new IOException("fake loader: cannot read line '" + line + "'");
            }
        }
    }

    @Override
    public String loadInto(Path files, String name, boolean replace) throws IOException {
        FakeDatabase existing = server.databases.get(name);
        if (existing != null && !existing.tables.isEmpty()) {
            if (!replace) {
                throw new IOException("database " + name + " already holds tables; add --replace to drop and recreate it");
            }
            server.drop(name);
        }
        FakeDatabase db = server.create(name);
        load(files, db);
        return "loaded " + db.tables.size() + " tables into fake database " + name;
    }

    @Override
    public ScratchDatabase openScratch(ScratchContext context) throws IOException {
        Server on = context.server().map(s -> ((FakeDatabaseSource) s).server).orElseGet(Server::new);
        String name = "drover_verify_" + context.label();
        FakeDatabase db = on.create(name);
        return new ScratchDatabase() {
            @Override
            public String describe() {
                return "fake scratch database " + name;
            }

            @Override
            public void load(Path files) throws IOException {
                FakeDatabaseSource.load(files, db);
            }

            @Override
            public CheckResult run(ValidationCheck check) {
                return FakeDatabaseSource.run(db, check);
            }

            @Override
            public void close() {
                on.drop(name);
            }
        };
    }

    private static final Pattern COUNT = Pattern.compile("select count\\(\\*\\) from (\\w+)");
    private static final Pattern EQUALS = Pattern.compile("select (\\d+) = (\\d+)");
    private static final Pattern NUMBER = Pattern.compile("select (\\d+)");

    static CheckResult run(FakeDatabase db, ValidationCheck check) {
        return switch (check) {
            case ValidationCheck.MinRows rows -> {
                Long count = db.tables.get(rows.table());
                if (count == null) {
                    yield CheckResult.failed(check, "table " + rows.table() + " does not exist");
                }
                yield count >= rows.minRows() ? CheckResult.passed(check, count + " rows")
                        : CheckResult.failed(check, "only " + count + " rows");
            }
            case ValidationCheck.Sql sql -> {
                Optional<String> value = evaluate(db, sql.sql());
                if (value.isEmpty()) {
                    yield CheckResult.failed(check, "the fake cannot run this query");
                }
                boolean holds = sql.expect().map(value.get()::equals).orElse(value.get().equals("true"));
                yield holds ? CheckResult.passed(check, "returned " + value.get())
                        : CheckResult.failed(check, "returned " + value.get());
            }
            case ValidationCheck.Canary canary -> {
                Optional<Instant> newest = db.canaries.stream().max(Instant::compareTo);
                if (newest.isEmpty()) {
                    yield CheckResult.failed(check, "the restored copy holds no canary");
                }
                if (canary.written().isEmpty()) {
                    yield new CheckResult(check.name(), false, "the backup recorded no canary; newest restored canary "
                            + newest.get(), newest);
                }
                boolean found = !newest.get().isBefore(canary.written().get());
                yield new CheckResult(check.name(), found, found ? "canary of " + newest.get() + " restored"
                        : "newest restored canary is " + newest.get() + ", the backup wrote " + canary.written().get(), newest);
            }
        };
    }

    private static Optional<String> evaluate(FakeDatabase db, String sql) {
        Matcher count = COUNT.matcher(sql);
        if (count.matches()) {
            return Optional.ofNullable(db.tables.get(count.group(1))).map(String::valueOf);
        }
        Matcher equals = EQUALS.matcher(sql);
        if (equals.matches()) {
            return Optional.of(String.valueOf(equals.group(1).equals(equals.group(2))));
        }
        Matcher number = NUMBER.matcher(sql);
        return number.matches() ? Optional.of(number.group(1)) : Optional.empty();
    }
}
