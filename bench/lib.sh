# Shared by bench/run.sh and bench/offsite.sh (sourced, not run): settings, the jar, the cached
# data tree, the age key, and the measurement helpers. Callers set OUT (result directory) and RUN
# (scratch directory of the round) before measuring.

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
RESULTS="$BENCH/results"

BENCH_SIZE_MB="${BENCH_SIZE_MB:-1024}"
BENCH_FILES="${BENCH_FILES:-16384}"
BENCH_SEED="${BENCH_SEED:-42}"
BENCH_DROP_CACHES="${BENCH_DROP_CACHES:-0}"  # 1: drop the page cache before every measurement
BENCH_VERIFY="${BENCH_VERIFY:-1}"            # 1: compare restored trees with the data in round 1
BENCH_BUILD="${BENCH_BUILD:-0}"              # 1: rebuild the drover jar even if it exists
DROVER_XMX="${DROVER_XMX:-256m}"
ZSTD_LEVEL="${ZSTD_LEVEL:-3}"
export JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="${DROVER_JAR:-$ROOT/cli/target/drover.jar}"       # DROVER_JAR: measure a jar built elsewhere (e.g. an older commit)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_tools() {  # require_tools TOOL...
    local tool
    for tool in "$@" python3 /usr/bin/time; do
        command -v "$tool" >/dev/null || die "missing tool: $tool"
    done
    [[ -x "$JAVA" ]] || die "no JDK at $JAVA_HOME (set BENCH_JAVA_HOME)"
    "$JAVA" -version 2>&1 | head -1 | grep -q '"2[5-9]' || log "warning: $JAVA is not a JDK 25+"
}

# start_results: a fresh bench/results/<stamp>/ with an empty raw.csv
start_results() {
    mkdir -p "$WORK" "$RESULTS"
    STAMP="$(date +%Y%m%dT%H%M%S)"
    OUT="$RESULTS/$STAMP"
    mkdir -p "$OUT"
    RAW="$OUT/raw.csv"
    echo "round,metric,value" > "$RAW"
}
record() { echo "$1,$2,$3" >> "$RAW"; }

ensure_jar() {
    local stale=""
    if [[ -z "${DROVER_JAR:-}" && -f "$JAR" ]]; then
        # a jar older than this checkout's sources would measure other code than what is checked out
        stale="$(find "$ROOT" -path "$ROOT/bench" -prune -o \( -name '*.java' -path '*/src/main/*' -o -name pom.xml \) \
            -newer "$JAR" -print -quit)"
    fi
    if [[ "$BENCH_BUILD" == 1 || ! -f "$JAR" || -n "$stale" ]]; then
        log "building $JAR"
        # package, not install: ~/.m2 is shared with other checkouts on the machine, and the reactor
        # builds every module from this checkout anyway
        (cd "$ROOT" && ./mvnw -o -q -B package -DskipTests -pl cli -am)
    fi
}

# ensure_data: the deterministic tree of gen.py in $DATA (generated once, cached in bench/work)
ensure_data() {
    DATA="$WORK/data-${BENCH_SIZE_MB}m-${BENCH_FILES}f-s${BENCH_SEED}"
    if [[ ! -f "$DATA.done" ]]; then
        log "generating $DATA (${BENCH_SIZE_MB} MiB, ${BENCH_FILES} files, seed $BENCH_SEED)"
        rm -rf "$DATA" "$DATA.plan.json" "$DATA.dirty.json"
        python3 "$BENCH/gen.py" gen --dir "$DATA" --size-mb "$BENCH_SIZE_MB" --files "$BENCH_FILES" --seed "$BENCH_SEED"
        touch "$DATA.done"
    fi
    # an interrupted earlier run may have left the tree mutated
    python3 "$BENCH/gen.py" reset --dir "$DATA" >/dev/null
    DATA_BYTES="$(du -sb "$DATA" | cut -f1)"
    DATA_FILES="$(find "$DATA" -type f | wc -l)"
}

ensure_age_key() {
    if [[ ! -f "$WORK/age-key.txt" ]]; then
        age-keygen -o "$WORK/age-key.txt" 2>/dev/null
    fi
    RECIPIENT="$(age-keygen -y "$WORK/age-key.txt")"
}

prepare() {
    sync
    if [[ "$BENCH_DROP_CACHES" == 1 ]]; then
        echo 3 > /proc/sys/vm/drop_caches
    fi
}

# measure ROUND METRIC CMD... : wall time of CMD followed by sync (every tool pays its sync)
measure() {
    local round="$1" metric="$2"; shift 2
    prepare
    local t0="$EPOCHREALTIME"
    if ! "$@" > "$RUN/$metric.out" 2> "$RUN/$metric.err"; then
        cat "$RUN/$metric.out" "$RUN/$metric.err" >&2
        die "$metric failed in round $round"
    fi
    sync
    local t1="$EPOCHREALTIME"
    local secs
    secs="$(python3 -c "print(f'{$t1 - $t0:.3f}')")"
    record "$round" "$metric" "$secs"
    log "round $round  $(printf '%-16s' "$metric") ${secs}s"
}

# drover runs as users run it: through cli/bin/drover (which adds the Java 25 start-up cache;
# DROVER_AOT=sync builds it before the first measured run, DROVER_AOT=0 measures without it).
# One cache per script: the training exercises the connectors of the config it first sees, and a
# cache that holds the S3 SDK (offsite.sh) makes every start about 0.1 s slower for run.sh's
# local-only config, as it would for a user whose config has no S3 target.
export DROVER_JAR="$JAR" DROVER_CACHE_DIR="$WORK/aot-cache-$(basename "$0" .sh)"
export DROVER_AOT="${DROVER_AOT:-sync}"
LAUNCHER="$ROOT/cli/bin/drover"

# drover ROUND METRIC ARGS... : one drover JVM, -Xmx capped, GC log and peak RSS kept
drover() {
    local round="$1" metric="$2"; shift 2
    local gclog="$OUT/gc-r$round-$metric.log"
    DROVER_JAVA_OPTS="-Xmx$DROVER_XMX -Xlog:gc,gc+heap+exit:file=$gclog ${DROVER_JVM_OPTS:-}" \
        /usr/bin/time -v -o "$OUT/time-r$round-$metric.txt" "$LAUNCHER" -c "$RUN/drover.yaml" --quiet "$@"
}
drover_plain() { DROVER_JAVA_OPTS="-Xmx$DROVER_XMX" "$LAUNCHER" -c "$RUN/drover.yaml" --quiet "$@"; }

verify_tree() {  # verify_tree NAME DIR
    if diff -r -q "$DATA" "$2" > "$OUT/verify-$1.txt" 2>&1; then
        log "verify $1: identical to the data"
    else
        head "$OUT/verify-$1.txt" >&2
        die "verify $1: restored tree differs from the data"
    fi
}

# write_env_file KEY=VALUE...: env.txt of the results with what every run records, plus the extras
write_env_file() {
    {
        echo "date=$STAMP"
        echo "host=$(hostname)"
        echo "cpus=$(nproc)"
        echo "git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        echo "java=$("$JAVA" -version 2>&1 | head -1)"
        echo "data=$DATA"
        echo "data_bytes=$DATA_BYTES"
        echo "data_files=$DATA_FILES"
        echo "drop_caches=$BENCH_DROP_CACHES"
        echo "drover_xmx=$DROVER_XMX"
        echo "zstd_level=$ZSTD_LEVEL"
        local kv
        for kv in "$@"; do echo "$kv"; done
    } > "$OUT/env.txt"
}
