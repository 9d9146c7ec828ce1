#!/usr/bin/env bash
# Foundation benchmark: jar size, cold start to ready, and operator get-token + validate-token
# throughput on ONE HTTP/1.1 keep-alive connection. See bench/RESULTS.md for figures.
#
#   bench/foundation.sh [--postgres] [--seconds N] [--warmup-pairs N] [--starts N]
#
# --postgres  use the local PostgreSQL (127.0.0.1:5432, database test, user postgres, or
#             PGHOST/PGPORT/PGDATABASE/PGUSER) in a fresh schema bench_<random>, dropped at the end
# --seconds   measured load seconds (default 10)
# --warmup-pairs  pairs run before measuring (default 20000, at most 120 s): the JIT needs them
# --starts    cold starts to time (default 5), each with a fresh data dir (and schema)
#
# Every server gets a fresh temp data dir, a free loopback port and CHATHUB_DEMO=true. All traffic
# goes to 127.0.0.1. Servers are stopped (and schemas dropped) on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh

postgres=false seconds=10 warmup=20000 starts=5
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) postgres=true ;;
    --seconds) seconds="$2"; shift ;;
    --warmup-pairs) warmup="$2"; shift ;;
    --starts) starts="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

JAVA="$JAVA_HOME/bin/java"
JAR=target/chathub.jar
PGHOST_=${PGHOST:-127.0.0.1} PGPORT_=${PGPORT:-5432} PGDB_=${PGDATABASE:-test} PGUSER_=${PGUSER:-postgres}
work=$(mktemp -d "${TMPDIR:-/tmp}/chathub-bench.XXXXXX")
server_pid="" schema="" sampler_pid=""

psql_() { PGOPTIONS='-c client_min_messages=warning' psql -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d "$PGDB_" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
drop_schema() {
  if [ -n "$schema" ]; then psql_ "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null || true; fi
  schema=""
}
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  stop_server
  drop_schema
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! ss -Htln "sport = :$p" | grep -q .; then
      echo "$p"; return 0
    fi
  done
  echo "no free port found" >&2; return 1
}

# Starts a server on a fresh data dir (and schema); sets $server_pid, $port, $ready_ms.
start_server() {
  local n=$1 data="$work/data-$1" log="$work/server-$1.log" t0 now
  mkdir -p "$data"
  port=$(free_port)
  local env=(CHATHUB_DATA_DIR="$data" CHATHUB_PORT="$port" CHATHUB_HOST=127.0.0.1 CHATHUB_DEMO=true)
  if $postgres; then
    schema="bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    psql_ "CREATE SCHEMA $schema" >/dev/null
    env+=(CHATHUB_DB_URL="jdbc:postgresql://$PGHOST_:$PGPORT_/$PGDB_?currentSchema=$schema" CHATHUB_DB_USER="$PGUSER_")
  fi
  t0=$(date +%s%N)
  env "${env[@]}" "$JAVA" -jar "$JAR" >"$log" 2>&1 &
  server_pid=$!
  # Poll readiness every 10 ms (plus curl's own few ms), for at most 120 s.
  while :; do
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready"; then break; fi
    now=$(date +%s%N)
    if ! kill -0 "$server_pid" 2>/dev/null || [ $(( (now - t0) / 1000000 )) -gt 120000 ]; then
      echo "server $n did not become ready; its log:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.01
  done
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  # The server's own count, from main() to listening (so without JVM boot and the readiness poll).
  main_ms=$(sed -n 's/^ChatHub ready at .* in \([0-9]*\) ms.*/\1/p' "$log" | head -1)
}

if [ ! -f "$JAR" ]; then
  echo "Building $JAR ..." >&2
  ./mvnw -q -B -DskipTests package >&2
fi

db=$($postgres && echo "PostgreSQL ($(psql_ 'SHOW server_version'))" || echo "SQLite (embedded)")
jar_bytes=$(stat -c %s "$JAR")
echo "== ChatHub foundation benchmark"
echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:    $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (modified)')"
echo "machine:   $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "cpu:       $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "jdk:       $("$JAVA" -version 2>&1 | head -1) ($JAVA_HOME)"
echo "database:  $db"
echo "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
echo "jar:       $JAR $jar_bytes bytes ($(awk -v b="$jar_bytes" 'BEGIN {printf "%.1f MiB", b/1048576}'))"

echo "== cold start to ready ($starts starts, fresh data dir$($postgres && echo ' and schema') each)"
times=()
for i in $(seq 1 "$starts"); do
  start_server "$i"
  times+=("$ready_ms")
  echo "start $i: $ready_ms ms (server's own count from main() to listening: ${main_ms:-?} ms)"
  stop_server
  drop_schema
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if [ $((n % 2)) = 1 ]; then median=${sorted[$((n / 2))]}; else median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
echo "cold start: min ${sorted[0]} ms, median $median ms, max ${sorted[-1]} ms"

echo "== get-token + validate-token on one connection (warm-up ${warmup} pairs, ${seconds} s measured)"
start_server load
echo "server ready in $ready_ms ms on port $port; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
# Sample the client side of the connections to the server every 0.2 s: their local ports.
( while kill -0 "$server_pid" 2>/dev/null; do
    ss -Htn state established "( dport = :$port )" | awk '{print $3}'
    sleep 0.2
  done ) >"$work/conns" 2>/dev/null &
sampler_pid=$!
"$JAVA" -Dbench.serverPid="$server_pid" -Dbench.clkTck="$(getconf CLK_TCK)" \
  bench/FoundationBench.java "http://127.0.0.1:$port" "$seconds" "$warmup" 1 | tee "$work/bench.out"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
conns=$(sort -u "$work/conns" | grep -c . || true)
echo "client connections seen during the run: $conns ($(sort -u "$work/conns" | tr '\n' ' '))"
[ "$conns" = 1 ] || echo "WARNING: expected exactly one connection" >&2
echo "SUMMARY db=$($postgres && echo postgres || echo sqlite) jar_bytes=$jar_bytes cold_start_min_ms=${sorted[0]} cold_start_median_ms=$median connections=$conns $(sed -n 's/^RESULT //p' "$work/bench.out")"
