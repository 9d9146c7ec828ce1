#!/usr/bin/env bash
# ChatHub beside Socket.IO and NATS with the shared side-by-side kit (/work/shared/bench-peer, read-only, used from
# there): builds target/chathub.jar if a source is newer, sets the kit up once in a work folder under /tmp, runs its
# bench-matrix.sh (1,000 clients in 10 rooms, 10 senders, 10 and 50 msg/s per sender; servers pinned to CPU 0, the
# generator to CPU 1) and prints the comparison table with the machine's load. Results: bench/RESULTS.md.
#
#   bench/peer.sh                            # socketio, nats, chathub at 10 and 50 msg/s per sender
#   bench/peer.sh --jar /tmp/other.jar       # another ChatHub build (no rebuild)
#   bench/peer.sh --ab /tmp/old.jar          # then ChatHub old and new back to back, alternately (--rounds, default 2)
#   bench/peer.sh --postgres                 # ChatHub on a fresh schema of 127.0.0.1:5432/test (dropped after)
#   PEERS=chathub RATES=50 bench/peer.sh     # the kit's own variables: PEERS CLIENTS RATES ROOMS SENDERS
#   bench/peer.sh --kit /path/to/bench-peer  # another copy of the kit (default /work/shared/bench-peer)
#
# The kit retries a run when other processes used more than 15 % of a core during it (machine.otherPct); the table
# shows that figure for every run: on a shared machine compare within one run of this script, not across runs.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh
source ./bench/lib.sh

kit=/work/shared/bench-peer
jar=""
ab=""
rounds=2
postgres=false
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift ;;
    --ab) ab="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --postgres) postgres=true ;;
    --kit) kit="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$kit/bench-matrix.sh" ] || { echo "no kit at $kit" >&2; exit 2; }
if [ -z "$jar" ]; then
  jar=target/chathub.jar
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "Building $jar ..." >&2
    ./mvnw -q -B -DskipTests package >&2
  fi
fi
jar=$(readlink -f "$jar")

export WORK=${WORK:-/tmp/bench-peer-$(id -un)}
export CHATHUB_JAVA="$JAVA_HOME/bin/java"
export CHATHUB_BENCH_PORT=${CHATHUB_BENCH_PORT:-$(free_port)}
[ -d "$WORK/loadgen/node_modules" ] && [ -d "$WORK/servers/socketio/node_modules" ] || "$kit/setup.sh"
rm -f "$WORK"/results/*.json

schema=""
cleanup() {
  if [ -n "$schema" ]; then psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if $postgres; then
  schema="peerbench_$$_$RANDOM"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
  # the kit starts ChatHub with its own variables; these come through the environment
  export CHATHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CHATHUB_DB_USER=postgres
fi

table() { # JSON files -> one line each, with the CPU that neither side used and the server's CPU per delivery
  python3 - "$@" <<'PY'
import json, sys
print(f"{'run':40} {'deliv/s':>8} {'ratio':>6} {'p50':>7} {'p95':>7} {'p99':>8} {'max':>8} {'srvCPU%':>7} {'us/deliv':>8} {'lgCPU%':>6} {'KiB/conn':>8} {'other%':>6}")
for f in sys.argv[1:]:
    try: r = json.load(open(f))
    except Exception as e: print(f"{f}: unreadable ({e})"); continue
    m, l, s = r['messages'], r['latencyMs'], r.get('server') or {}
    cpu = s.get('cpuPctDuringMeasure')
    us = f"{cpu * 1e4 / m['deliveredPerSec']:.1f}" if cpu and m['deliveredPerSec'] else '-'
    print(f"{r['label'][:40]:40} {m['deliveredPerSec']:>8} {m['deliveryRatio']!s:>6} {l['p50']!s:>7} {l['p95']!s:>7} {l['p99']!s:>8} {l['max']!s:>8} "
          f"{cpu!s:>7} {us:>8} {r['loadgen']['cpuPct']:>6} {s.get('rssPerConnKiB')!s:>8} {r['machine']['otherPct']:>6}")
PY
}

echo "peer benchmark: $(nproc) cores, $("$CHATHUB_JAVA" -version 2>&1 | head -1), ChatHub $jar, $($postgres && echo PostgreSQL || echo SQLite), work $WORK"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
CHATHUB_JAR="$jar" "$kit/bench-matrix.sh" >/dev/null || true
echo
table $(ls "$WORK"/results/*.json)
if [ -n "$ab" ]; then
  ab=$(readlink -f "$ab")
  echo
  echo "ChatHub back to back, alternately: A = $ab, B = $jar"
  files=()
  for rate in ${RATES:-10 50}; do
    for round in $(seq 1 "$rounds"); do
      for side in A B; do
        j=$([ $side = A ] && echo "$ab" || echo "$jar")
        out="$WORK/results/ab-$side-r$rate-$round.json"
        CHATHUB_JAR="$j" "$kit/run-peer.sh" chathub --clients "${CLIENTS:-1000}" --rooms "${ROOMS:-10}" --senders "${SENDERS:-10}" \
          --rate "$rate" --warmup 3 --duration 20 --label "$side chathub r=$rate #$round" --out "$out" --quiet >/dev/null 2>>"$WORK/logs/ab.err" || true
        files+=("$out")
      done
    done
  done
  table "${files[@]}"
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Columns: p50..max ms; srvCPU% of one core in the 20 s window; us/deliv = server CPU per delivery; other% = CPU neither side used (> 15 = disturbed)"
