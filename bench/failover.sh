#!/usr/bin/env bash
# Switchover, failover and failback times (issue "runbooks", must-show 7): a PostgreSQL primary and
# standby on free ports, Debian's HAProxy in front, a client writing through it; ROUNDS (default 5)
# switchovers alternating direction, then ROUNDS failovers (the primary's postmaster SIGKILLed) each
# followed by a failback. Prints per round and the medians. Run by hand: bench/failover.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh
ROUNDS="${ROUNDS:-5}"
require_tools haproxy pg_isready
log "building drover"
./mvnw -B -q -o install -DskipTests -DskipITs
log "running $ROUNDS rounds of each"
./mvnw -B -o -pl it-tests verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=FailoverTimingBench -Drounds="$ROUNDS" -Ddrover.test.disallowSkip=true 2>&1 \
    | tee "${RESULTS:-/tmp}/failover-bench.log" | grep --line-buffered "FailoverTimingBench:"
