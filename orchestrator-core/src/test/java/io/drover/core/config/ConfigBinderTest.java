package io.drover.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.DataSize;
import io.drover.core.model.VerificationLevel;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
    private static final Path FILE = Path.of("drover.yaml");
    private static final Function<String, String> ENV = Map.of("HOME_DIR", "/home/drover")::get;

    enum Mode { LOGICAL, AFTER_BACKUP }

    record Scalars(String name, int count, long big, boolean flag, double ratio, Path dir, Duration every,
                   DataSize size, ZoneId zone, Mode mode, Integer boxed) {
    }

    record Inner(@Default("3") int level, Optional<String> note) {
    }

    record Outer(Inner inner, @Default("{}") Inner defaulted, Optional<Inner> maybe, List<String> names,
                 @Default("[]") Set<String> tags, @Default("{}") Map<String, Inner> byName,
                 @Default("256MiB") DataSize partSize) {
    }

    record Checked(int low, int high) {
        Checked {
            if (low > high) {
                throw new IllegalArgumentException("high must not be below low");
            }
        }
    }

    record Job(String source, List<String> targets, @Default("7") int fullEvery, @Default("256MiB") DataSize partSize,
               Optional<String> schedule) {
    }

    private static <T> BindResult<T> bind(String yaml, Class<T> type) {
        ConfigTree tree = YamlTreeReader.read(FILE, yaml);
        assertThat(tree.problems()).isEmpty();
        return new ConfigBinder(FILE, ENV).bind(tree.root(), type);
    }

    private static <T> T ok(String yaml, Class<T> type) {
        BindResult<T> result = bind(yaml, type);
        assertThat(result.problems()).isEmpty();
        return result.value();
    }

    private static List<String> problems(String yaml, Class<?> type) {
        BindResult<?> result = bind(yaml, type);
        assertThat(result.value()).isNull();
        return result.problems().stream().map(ConfigProblemReport::toString).toList();
    }

    @Test
    void bindsEveryScalarType() {
        Scalars s = ok("""
                name: ${env:HOME_DIR}/x
                count: 42
                big: 9000000000
                flag: TRUE
                ratio: 0.5
                dir: ${env:HOME_DIR}/backups
                every: 2h30m
                size: 512MiB
                zone: Europe/Berlin
                mode: after-backup
                boxed: -7
                """, Scalars.class);
        assertThat(s).isEqualTo(new Scalars("/home/drover/x", 42, 9_000_000_000L, true, 0.5, Path.of("/home/drover/backups"),
                Duration.ofMinutes(150), DataSize.ofMebibytes(512), ZoneId.of("Europe/Berlin"), Mode.AFTER_BACKUP, -7));
    }

    @Test
    void parsesDurationsInEveryForm() {
        record D(Duration d) {
        }
        Map<String, Duration> cases = Map.of("90s", Duration.ofSeconds(90), "30m", Duration.ofMinutes(30),
                "1h", Duration.ofHours(1), "1d", Duration.ofDays(1), "1w", Duration.ofDays(7),
                "500ms", Duration.ofMillis(500), "PT1H", Duration.ofHours(1), "1h30m15s", Duration.ofSeconds(5415));
        cases.forEach((text, expected) -> assertThat(ok("d: " + text, D.class).d()).as(text).isEqualTo(expected));
        assertThat(problems("d: soon", D.class)).containsExactly(
                "drover.yaml:1:4: d: expected a duration such as 90s, 30m, 1h, 2h30m, 1d or PT1H for 'd', got 'soon'");
        assertThat(problems("d: 60", D.class)).hasSize(1);
    }

    @Test
    void enumsAcceptAnyCaseAndKebabOrSnake() {
        record E(VerificationLevel level, Mode mode) {
        }
        assertThat(ok("level: Deep\nmode: AFTER_BACKUP", E.class)).isEqualTo(new E(VerificationLevel.DEEP, Mode.AFTER_BACKUP));
        assertThat(problems("level: fast\nmode: logical", E.class))
                .containsExactly("drover.yaml:1:8: level: expected one of quick, deep, restore for 'level', got 'fast'");
    }

    @Test
    void appliesDefaultsRecursivelyAndOptionalsAreEmpty() {
        Outer o = ok("inner: {}\nnames: [a, b]\n", Outer.class);
        assertThat(o.inner()).isEqualTo(new Inner(3, Optional.empty()));
        assertThat(o.defaulted()).isEqualTo(new Inner(3, Optional.empty()));
        assertThat(o.maybe()).isEmpty();
        assertThat(o.tags()).isEmpty();
        assertThat(o.byName()).isEmpty();
        assertThat(o.partSize()).isEqualTo(DataSize.ofMebibytes(256));
    }

    @Test
    void explicitNullCountsAsAbsent() {
        Outer o = ok("inner: {level:}\nnames: [a]\nmaybe: null\npart-size:\n", Outer.class);
        assertThat(o.inner().level()).isEqualTo(3);
        assertThat(problems("inner: null\nnames: [a]\n", Outer.class))
                .containsExactly("drover.yaml:1:1: inner: missing required key 'inner'");
        assertThat(o.maybe()).isEmpty();
        assertThat(o.partSize()).isEqualTo(DataSize.ofMebibytes(256));
    }

    @Test
    void mapsKeepYamlOrderAndAreUnmodifiable() {
        Outer o = ok("inner: {}\nnames: []\nby-name: {z: {level: 1}, a: {level: 2}, m: {}}\ntags: [x, y]\n", Outer.class);
        assertThat(o.byName().keySet()).containsExactly("z", "a", "m");
        assertThat(o.byName().get("a").level()).isEqualTo(2);
        assertThat(o.tags()).containsExactly("x", "y");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.byName().put("q", null))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.names().add("q"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingRequiredKeyIsReportedAtTheParentMap() {
        ConfigTree tree = YamlTreeReader.read(FILE, "nightly:\n  source: db\n");
        BindResult<?> result = new ConfigBinder(FILE, ENV).bind(((ConfigNode.MapNode) tree.root()).get("nightly").orElseThrow(),
                Job.class, "jobs.nightly");
        assertThat(result.problems()).extracting(ConfigProblemReport::toString)
                .containsExactly("drover.yaml:2:3: jobs.nightly.targets: missing required key 'targets' in jobs.nightly");
    }

    @Test
    void unknownKeyListsValidKeysAndSuggestsTheNearest() {
        ConfigTree tree = YamlTreeReader.read(FILE, "nightly:\n  source: db\n  targets: [a]\n  part-sise: 64MiB\n  colour: red\n");
        BindResult<?> result = new ConfigBinder(FILE, ENV).bind(((ConfigNode.MapNode) tree.root()).get("nightly").orElseThrow(),
                Job.class, "jobs.nightly");
        assertThat(result.problems()).extracting(ConfigProblemReport::toString).containsExactly(
                "drover.yaml:4:3: jobs.nightly.part-sise: unknown key 'part-sise' in jobs.nightly; valid keys: full-every,"
                        + " part-size, schedule, source, targets (did you mean 'part-size'?)",
                "drover.yaml:5:3: jobs.nightly.colour: unknown key 'colour' in jobs.nightly; valid keys: full-every,"
                        + " part-size, schedule, source, targets");
    }

    @Test
    void wrongTypesNameTheExpectedTypeAndTheValue() {
        assertThat(problems("source: db\ntargets: [a]\nfull-every: weekly\npart-size: huge\nschedule: [x]\n", Job.class))
                .containsExactly(
                        "drover.yaml:3:13: full-every: expected a whole number for 'full-every', got 'weekly'",
                        "drover.yaml:4:12: part-size: invalid size for 'part-size': 'huge' is not a size;"
                                + " write e.g. 4096, 64KiB, 512MiB or 2GiB",
                        "drover.yaml:5:11: schedule: expected a string for 'schedule', got a list");
        assertThat(problems("flag: yes\ncount: 1.5\nratio: NaN\nzone: Mars/Base\n"
                        + "name: {a: 1}\nbig: 1\ndir: /x\nevery: 1h\nsize: 1\nmode: logical\nboxed: 1\n", Scalars.class))
                .containsExactly(
                        "drover.yaml:1:7: flag: expected true or false for 'flag', got 'yes'",
                        "drover.yaml:2:8: count: expected a whole number for 'count', got '1.5'",
                        "drover.yaml:3:8: ratio: expected a number for 'ratio', got 'NaN'",
                        "drover.yaml:4:7: zone: unknown time zone 'Mars/Base' for 'zone'; use a region such as Europe/Berlin, or UTC",
                        "drover.yaml:5:7: name: expected a string for 'name', got a map");
    }

    @Test
    void numbersOutOfRangeAreProblems() {
        assertThat(problems("source: db\ntargets: [a]\nfull-every: 3000000000\n", Job.class)).containsExactly(
                "drover.yaml:3:13: full-every: number 3000000000 for 'full-every' is out of range;"
                        + " it must be between -2147483648 and 2147483647");
    }

    @Test
    void scalarIsNotWrappedIntoAList() {
        assertThat(problems("source: db\ntargets: nearline\n", Job.class)).containsExactly(
                "drover.yaml:2:10: targets: expected a list for 'targets', got a single value 'nearline';"
                        + " write it as [value] or as '- value' lines");
    }

    @Test
    void listElementsAreLocatedByIndex() {
        assertThat(problems("inner: {}\nnames: [a, [b], null]\n", Outer.class)).containsExactly(
                "drover.yaml:2:12: names[1]: expected a string for 'names[1]', got a list",
                "drover.yaml:2:17: names[2]: expected a string for 'names[2]', got null");
    }

    @Test
    void duplicateSetEntryIsAProblem() {
        assertThat(problems("inner: {}\nnames: []\ntags: [a, b, a]\n", Outer.class))
                .containsExactly("drover.yaml:3:14: tags[2]: duplicate entry in 'tags'; each value may appear only once");
    }

    @Test
    void collectsEveryProblemNotJustTheFirst() {
        assertThat(problems("inner: {level: x, nope: 1}\nnames: 3\nby-name: {a: {level: y}}\n", Outer.class)).hasSize(4);
    }

    @Test
    void compactConstructorFailureBecomesAProblemAtTheNamedKey() {
        assertThat(problems("low: 5\nhigh: 1\n", Checked.class))
                .containsExactly("drover.yaml:2:1: high: high must not be below low");
    }

    @Test
    void checksReportAtTheFieldKey() {
        ConfigBinder binder = new ConfigBinder(FILE, ENV).withCheck(Inner.class,
                i -> i.level() > 9 ? List.of(new ConfigProblem("level", "level too high")) : List.of());
        ConfigTree tree = YamlTreeReader.read(FILE, "x: 1\nlevel: 12\n");
        ConfigTree nested = YamlTreeReader.read(FILE, "\nnote: n\n");
        assertThat(binder.bind(YamlTreeReader.read(FILE, "level: 12\nnote: n\n").root(), Inner.class).problems())
                .extracting(ConfigProblemReport::toString).containsExactly("drover.yaml:1:1: level: level too high");
        assertThat(binder.bind(nested.root(), Inner.class).ok()).isTrue();
        assertThat(binder.bind(tree.root(), Inner.class).problems()).hasSize(1);
    }

    @Test
    void otherReferencesInStringsAreProblems() {
        assertThat(problems("name: ${sys:user.home}\ncount: 1\nbig: 1\nflag: true\nratio: 1\ndir: ${file:/etc/x}\n"
                        + "every: 1h\nsize: 1\nzone: UTC\nmode: logical\nboxed: 1\n", Scalars.class))
                .containsExactly(
                        "drover.yaml:1:7: name: unsupported reference ${sys:user.home}; only ${env:NAME} is expanded here",
                        "drover.yaml:6:6: dir: ${file:/etc/x}: ${file:...} references are allowed only in secret settings;"
                                + " here write the value or use ${env:NAME}");
        assertThat(problems("name: ${env:NOPE}\n", Inner.class)).isNotEmpty();
    }

    @Test
    void emptyDocumentBindsLikeAnEmptyMap() {
        assertThat(ok("", Inner.class)).isEqualTo(new Inner(3, Optional.empty()));
    }
}
