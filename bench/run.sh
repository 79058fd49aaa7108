#!/usr/bin/env bash
# drover benchmark ("Must show 7"): drover vs tar|zstd and restic on the same ~1 GiB mixed tree,
# interleaved round by round so machine noise hits every tool alike. See bench/README.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
RESULTS="$BENCH/results"

BENCH_SIZE_MB="${BENCH_SIZE_MB:-1024}"
BENCH_FILES="${BENCH_FILES:-16384}"
BENCH_SEED="${BENCH_SEED:-42}"
ROUNDS="${ROUNDS:-4}"
BENCH_CHANGE="${BENCH_CHANGE:-0.05}"          # fraction of files rewritten for the incremental
BENCH_DROP_CACHES="${BENCH_DROP_CACHES:-0}"  # 1: drop the page cache before every measurement
BENCH_VERIFY="${BENCH_VERIFY:-1}"            # 1: compare restored trees with the data in round 1
BENCH_BUILD="${BENCH_BUILD:-0}"              # 1: rebuild the drover jar even if it exists
DROVER_XMX="${DROVER_XMX:-256m}"
ZSTD_LEVEL="${ZSTD_LEVEL:-3}"
export JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/cli/target/drover.jar"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in tar zstd restic age-keygen python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done
[[ -x "$JAVA" ]] || die "no JDK at $JAVA_HOME (set BENCH_JAVA_HOME)"
"$JAVA" -version 2>&1 | head -1 | grep -q '"2[5-9]' || log "warning: $JAVA is not a JDK 25+"

mkdir -p "$WORK" "$RESULTS"
STAMP="$(date +%Y%m%dT%H%M%S)"
OUT="$RESULTS/$STAMP"
mkdir -p "$OUT"
RAW="$OUT/raw.csv"
echo "round,metric,value" > "$RAW"
record() { echo "$1,$2,$3" >> "$RAW"; }

# ---------------------------------------------------------------------------------------------
# build, data, keys

if [[ "$BENCH_BUILD" == 1 || ! -f "$JAR" ]]; then
    log "building $JAR"
    (cd "$ROOT" && ./mvnw -o -q -B install -DskipTests)
fi

DATA="$WORK/data-${BENCH_SIZE_MB}m-${BENCH_FILES}f-s${BENCH_SEED}"
if [[ ! -f "$DATA.done" ]]; then
    log "generating $DATA (${BENCH_SIZE_MB} MiB, ${BENCH_FILES} files, seed $BENCH_SEED)"
    rm -rf "$DATA" "$DATA.plan.json" "$DATA.dirty.json"
    python3 "$BENCH/gen.py" gen --dir "$DATA" --size-mb "$BENCH_SIZE_MB" --files "$BENCH_FILES" --seed "$BENCH_SEED"
    touch "$DATA.done"
fi
# an interrupted earlier run may have left the tree mutated
python3 "$BENCH/gen.py" reset --dir "$DATA" >/dev/null

if [[ ! -f "$WORK/age-key.txt" ]]; then
    age-keygen -o "$WORK/age-key.txt" 2>/dev/null
fi
RECIPIENT="$(age-keygen -y "$WORK/age-key.txt")"
if [[ ! -f "$WORK/restic-password" ]]; then
    (umask 077; head -c 24 /dev/urandom | base64 > "$WORK/restic-password")
fi
export RESTIC_PASSWORD_FILE="$WORK/restic-password"

DATA_BYTES="$(du -sb "$DATA" | cut -f1)"
DATA_FILES="$(find "$DATA" -type f | wc -l)"

# ---------------------------------------------------------------------------------------------
# measurement helpers

RUN="$WORK/run"

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

b1() { tar -cf - -C "$DATA" . | zstd "-$ZSTD_LEVEL" -T2 -q > "$RUN/out.tar.zst"; }
b3() { mkdir -p "$RUN/b3-restore" && zstd -d -c "$RUN/out.tar.zst" | tar -xf - -C "$RUN/b3-restore"; }

# drover runs as users run it: through cli/bin/drover (which adds the Java 25 start-up cache;
# DROVER_AOT=sync builds it before the first measured run, DROVER_AOT=0 measures without it).
export DROVER_JAR="$JAR" DROVER_CACHE_DIR="$WORK/aot-cache"
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

restic_backup() { (cd "$(dirname "$DATA")" && restic -r "$RUN/restic-repo" --cache-dir "$RUN/restic-cache" -q backup "$(basename "$DATA")"); }
restic_restore() { restic -r "$RUN/restic-repo" --cache-dir "$RUN/restic-cache" -q restore latest --target "$RUN/restic-restore"; }

# pair ROUND A_METRIC A_CMD B_METRIC B_CMD: run both, the order alternating with the round
pair() {
    local round="$1"
    if (( round % 2 == 1 )); then
        measure "$round" "$2" $3
        measure "$round" "$4" $5
    else
        measure "$round" "$4" $5
        measure "$round" "$2" $3
    fi
}

write_config() {
    cat > "$RUN/drover.yaml" <<EOF
# generated by bench/run.sh
state-dir: $RUN/drover-state
encryption:
  recipients: [$RECIPIENT]
  identity: "\${file:$WORK/age-key.txt}"
targets:
  bench: { type: local, path: $RUN/drover-repo, fsync: true }
sources:
  data: { type: files, paths: [$DATA] }
jobs:
  bench:
    source: data
    targets: [bench]
    compression: { level: $ZSTD_LEVEL }
    full-every: 100
EOF
}

verify_tree() {  # verify_tree NAME DIR
    if diff -r -q "$DATA" "$2" > "$OUT/verify-$1.txt" 2>&1; then
        log "verify $1: identical to the data"
    else
        head "$OUT/verify-$1.txt" >&2
        die "verify $1: restored tree differs from the data"
    fi
}

# ---------------------------------------------------------------------------------------------
# rounds

cat > "$OUT/env.txt" <<EOF
date=$STAMP
host=$(hostname)
cpus=$(nproc)
git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
java=$("$JAVA" -version 2>&1 | head -1)
zstd=$(zstd --version)
restic=$(restic version)
tar=$(tar --version | head -1)
data=$DATA
data_bytes=$DATA_BYTES
data_files=$DATA_FILES
rounds=$ROUNDS
change_fraction=$BENCH_CHANGE
drop_caches=$BENCH_DROP_CACHES
drover_xmx=$DROVER_XMX
zstd_level=$ZSTD_LEVEL
EOF
log "data: $DATA_FILES files, $((DATA_BYTES / 1048576)) MiB; $ROUNDS rounds; results in $OUT"

T_START="$EPOCHREALTIME"
for ((round = 1; round <= ROUNDS; round++)); do
    rm -rf "$RUN"
    mkdir -p "$RUN"
    python3 "$BENCH/gen.py" reset --dir "$DATA" >/dev/null
    write_config
    drover_plain init >/dev/null
    # warm: read the tree once so every tool starts from the same (cached) state
    [[ "$BENCH_DROP_CACHES" == 1 ]] || tar -cf - -C "$DATA" . > /dev/null

    # full backups and restores
    pair "$round" b1_tar_zstd b1 drover_full "drover $round drover_full backup run bench"
    pair "$round" b3_unzstd_untar b3 drover_restore "drover $round drover_restore restore latest --to $RUN/drover-restore"
    restic -r "$RUN/restic-repo" --cache-dir "$RUN/restic-cache" -q init >/dev/null
    measure "$round" restic_full restic_backup
    measure "$round" restic_restore restic_restore
    record "$round" size_tar_zst "$(stat -c %s "$RUN/out.tar.zst")"
    record "$round" size_drover_repo "$(du -sb "$RUN/drover-repo" | cut -f1)"
    record "$round" size_restic_repo "$(du -sb "$RUN/restic-repo" | cut -f1)"
    if [[ "$BENCH_VERIFY" == 1 && "$round" == 1 ]]; then
        verify_tree b3 "$RUN/b3-restore"
        verify_tree drover "$RUN/drover-restore$DATA"
        verify_tree restic "$RUN/restic-restore/$(basename "$DATA")"
    fi
    rm -rf "$RUN/b3-restore" "$RUN/drover-restore" "$RUN/restic-restore" "$RUN/out.tar.zst"

    # incremental: the same 5% of files rewritten for both tools, then a backup without changes
    read -r nchanged bchanged < <(python3 "$BENCH/gen.py" mutate --dir "$DATA" --fraction "$BENCH_CHANGE")
    record "$round" changed_files "$nchanged"
    record "$round" changed_bytes "$bchanged"
    pair "$round" drover_incr "drover $round drover_incr backup run bench" restic_incr restic_backup
    pair "$round" drover_nochange "drover $round drover_nochange backup run bench" restic_nochange restic_backup
done
python3 "$BENCH/gen.py" reset --dir "$DATA" >/dev/null
rm -rf "$RUN"
T_END="$EPOCHREALTIME"
python3 -c "print(f'total_seconds={$T_END - $T_START:.0f}')" >> "$OUT/env.txt"

python3 "$BENCH/report.py" "$OUT"
ln -sfn "$STAMP" "$RESULTS/latest"
log "done in $(python3 -c "print(f'{($T_END - $T_START) / 60:.1f}')") min; results in $OUT"
