#!/usr/bin/env bash
# Profiles one drover full backup and one restore of the benchmark data with JFR, and compares
# CPU time (user+sys, all threads and child processes) with the tar|zstd baselines.
# Run bench/run.sh first (it builds the data). Output: bench/results/profile-<stamp>/.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
BENCH_SIZE_MB="${BENCH_SIZE_MB:-1024}"
BENCH_FILES="${BENCH_FILES:-16384}"
BENCH_SEED="${BENCH_SEED:-42}"
export JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/cli/target/drover.jar"
DATA="$WORK/data-${BENCH_SIZE_MB}m-${BENCH_FILES}f-s${BENCH_SEED}"
[[ -f "$DATA.done" ]] || { echo "no data at $DATA: run bench/run.sh first" >&2; exit 1; }
python3 "$BENCH/gen.py" reset --dir "$DATA" >/dev/null

OUT="$BENCH/results/profile-$(date +%Y%m%dT%H%M%S)"
RUN="$WORK/profile-run"
rm -rf "$RUN"
mkdir -p "$OUT" "$RUN"
[[ -f "$WORK/age-key.txt" ]] || age-keygen -o "$WORK/age-key.txt" 2>/dev/null
RECIPIENT="$(age-keygen -y "$WORK/age-key.txt")"
cat > "$RUN/drover.yaml" <<EOF
state-dir: $RUN/drover-state
encryption:
  recipients: [$RECIPIENT]
  identity: "\${file:$WORK/age-key.txt}"
targets:
  bench: { type: local, path: $RUN/drover-repo, fsync: true }
sources:
  data: { type: files, paths: [$DATA] }
jobs:
  bench: { source: data, targets: [bench], compression: { level: 3 }, full-every: 100 }
EOF

cpu() {  # cpu NAME CMD... : wall and CPU seconds of CMD (with its children)
    local name="$1"; shift
    sync
    /usr/bin/time -f "$name wall %e s  user %U s  sys %S s  cpu %P  maxrss %M KiB" -o "$OUT/cpu-$name.txt" "$@" \
        > "$OUT/$name.out" 2> "$OUT/$name.err"
    sync
    cat "$OUT/cpu-$name.txt"
}
drover() {
    local name="$1"; shift
    cpu "$name" "$JAVA" -Xmx256m "-XX:StartFlightRecording=filename=$OUT/$name.jfr,settings=profile" \
        -jar "$JAR" -c "$RUN/drover.yaml" --quiet "$@"
}

tar -cf - -C "$DATA" . > /dev/null   # warm
cpu b1_tar_zstd bash -c "tar -cf - -C '$DATA' . | zstd -3 -T2 -q > '$RUN/out.tar.zst'"
"$JAVA" -jar "$JAR" -c "$RUN/drover.yaml" --quiet init > /dev/null
drover drover_full backup run bench
mkdir -p "$RUN/b3"
cpu b3_unzstd_untar bash -c "zstd -d -c '$RUN/out.tar.zst' | tar -xf - -C '$RUN/b3'"
drover drover_restore restore latest --to "$RUN/restore"
# the pieces of B1 alone, for reference
cpu tar_only bash -c "tar -cf - -C '$DATA' . | cat > /dev/null"
cpu zstd_only bash -c "tar -cf - -C '$DATA' . | zstd -3 -T2 -q > /dev/null"
cpu age_only bash -c "age -r '$RECIPIENT' < '$RUN/out.tar.zst' > /dev/null"
cpu unzstd_only bash -c "zstd -d -c '$RUN/out.tar.zst' > /dev/null"

for name in drover_full drover_restore; do
    python3 "$BENCH/jfrtop.py" "$OUT/$name.jfr" 25 > "$OUT/$name.top.txt"
    echo "---- $name"; cat "$OUT/$name.top.txt"
done
rm -rf "$RUN"
echo "profile in $OUT"
