#!/usr/bin/env bash
# Real-time load benchmark of the hub (/chathub): builds the jar if needed, and for every scenario starts a
# fresh server (fresh data dir, free loopback port, demo company on), runs bench/HubLoad.java against it, stops
# the server, and prints a table of the numbers at the end. Results: bench/RESULTS-hub.md.
#
#   bench/hub.sh                              # SQLite; scenarios 100:100 1000:1000 1000:10000, inbound REST sends
#   bench/hub.sh --send hub                   # clients send with the hub's SendMessage instead
#   bench/hub.sh --send both                  # both, one after the other
#   bench/hub.sh --send visitor               # clients are website visitors (the customer chat widget's API)
#   bench/hub.sh --send visitor --scenarios 1000:0 -- --idle-visitors 10000   # + 10,000 visitor sessions with a socket each
#   bench/hub.sh --postgres                   # PostgreSQL (127.0.0.1:5432/test, a fresh schema, dropped after)
#   bench/hub.sh --scenarios "1000:10000"     # chats:idle pairs
#   bench/hub.sh --wait-quiet                 # before each scenario wait (up to 20 min) for other processes to go quiet
#   bench/hub.sh --jar /tmp/other.jar         # benchmark another build (no rebuild), e.g. for before/after
#   bench/hub.sh -- --fixed 30 --max 30       # anything after -- goes to HubLoad (see its header)
#
# Scenario chats:idle = that many active chats (each a client; one organization per 10 operators, 5 chats per
# operator) and that many idle hub connections sitting there during the load.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh
source bench/lib.sh

postgres=false
wait_quiet=false
jar=""
send=rest
scenarios="100:100 1000:1000 1000:10000"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) postgres=true ;;
    --send) send="$2"; shift ;;
    --scenarios) scenarios="$2"; shift ;;
    --jar) jar="$2"; shift ;;
    --wait-quiet) wait_quiet=true ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$send" in rest) modes=(rest) ;; hub) modes=(hub) ;; visitor) modes=(visitor) ;; both) modes=(rest hub) ;;
  *) echo "--send rest|hub|visitor|both" >&2; exit 2 ;; esac

jar=$(bench_jar "$jar")
JAVA="$JAVA_HOME/bin/java"
JCMD="$JAVA_HOME/bin/jcmd"

work=$(mktemp -d /tmp/chathub-hubbench.XXXXXX)
server_pid=""
schema=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  if [ -n "$schema" ]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    schema=""
  fi
}
trap 'cleanup; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

start_server() { # $1 = log file
  local port=$1 log=$2 data="$work/data-$port"
  mkdir -p "$data"
  # every benchmark client comes from 127.0.0.1: the widget's per-address limits would stop the visitors
  local env=(CHATHUB_PORT="$port" CHATHUB_HOST=127.0.0.1 CHATHUB_DATA_DIR="$data" CHATHUB_DEMO=true
             CHATHUB_WIDGET_SESSIONS_PER_IP=100000000/1h CHATHUB_WIDGET_CHATS_PER_IP=100000000/1h
             CHATHUB_WIDGET_MESSAGES_PER_VISITOR=100000000/1m)
  if $postgres; then
    schema="hubbench_$$_$RANDOM"
    psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
    env+=(CHATHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CHATHUB_DB_USER=postgres)
  fi
  # BENCH_SERVER_OPTS: extra JVM options for the server, e.g. -XX:StartFlightRecording=filename=/tmp/x.jfr
  env "${env[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED ${BENCH_SERVER_OPTS:-} -jar "$jar" serve >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "server died:"; tail -20 "$log"; return 1; }
    sleep 0.5
  done
  echo "server did not become ready in 60 s"; tail -20 "$log"; return 1
}

busy_cores() { # CPU cores busy on the whole machine over $1 seconds (/proc/stat, all but idle and iowait)
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat); sleep "$1"
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  awk -v a="$a" -v b="$b" -v s="$1" 'BEGIN{printf "%.2f", (b-a)/100/s}'
}

wait_for_quiet() { # other people's test suites share this machine: the numbers mean little while they run
  local deadline=$((SECONDS + 1200)) busy
  while true; do
    busy=$(busy_cores 5)
    if awk -v b="$busy" 'BEGIN{exit !(b < 0.25)}'; then echo "machine quiet: $busy cores busy"; return 0; fi
    if [ $SECONDS -ge $deadline ]; then echo "machine still busy ($busy cores) after 20 min; running anyway"; return 0; fi
    echo "machine busy ($busy cores used by others); waiting"; sleep 25
  done
}

db=$($postgres && echo "PostgreSQL 15 (127.0.0.1)" || echo "SQLite (WAL, synchronous=NORMAL)")
echo "hub benchmark: $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), database $db"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results"
: >"$results"
for mode in "${modes[@]}"; do
  for sc in $scenarios; do
    chats=${sc%%:*}; idle=${sc##*:}
    port=$(free_port)
    log="$work/server-$mode-$chats-$idle.log"
    echo
    echo "=== scenario: $chats active chats + $idle idle sockets, clients send via $mode, port $port ==="
    if $wait_quiet; then wait_for_quiet; fi
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    start_server "$port" "$log"
    set +e
    "$JAVA" bench/HubLoad.java --port "$port" --server-pid "$server_pid" --jcmd "$JCMD" \
      --label "$mode-$chats-$idle" --chats "$chats" --idle "$idle" --send "$mode" ${extra[@]+"${extra[@]}"} | tee "$work/out"
    rc=${PIPESTATUS[0]}
    set -e
    grep '^RESULT ' "$work/out" >>"$results" || echo "RESULT label=$mode-$chats-$idle failed=rc$rc" >>"$results"
    if grep -q 'ERROR\|Exception' "$log"; then
      echo "--- server log excerpts (errors):"; grep -m5 'ERROR\|Exception' "$log" || true
    fi
    cleanup
  done
done

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Targets (2 cores, loopback, SQLite): p99 <= 10 ms at 1,000 msg/s; >= 20,000 persisted msg/s; <= 20 KB RSS per idle socket"
printf '%-18s | %-30s | %-10s | %-24s | %-6s | %-14s | %-22s | %-8s | %s\n' scenario "fixed 1k/s p50/p95/p99/max ms" "deliv/s" \
  "max: msg/s (p50/p99 ms)" "batch" "persisted ok" "idle KB/socket rss/gc/heap" "RSS MB" "others' cores fixed/max"
while read -r line; do
  declare -A r=()
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  if [ -n "${r[failed]:-}" ]; then printf '%-18s | FAILED (%s)\n' "${r[label]}" "${r[failed]}"; unset r; continue; fi
  printf '%-18s | %-30s | %-10s | %-24s | %-6s | %-14s | %-22s | %-8s | %s\n' "${r[label]}" \
    "${r[fixed_p50_ms]}/${r[fixed_p95_ms]}/${r[fixed_p99_ms]}/${r[fixed_max_ms]}" "${r[fixed_deliveries_per_s]}" \
    "${r[max_msgs_per_s]} (${r[max_p50_ms]}/${r[max_p99_ms]})" "${r[max_mean_batch]:--}" \
    "${r[persist_ok]} (${r[persisted]})" "${r[idle_kb_per_socket]:--}/${r[idle_kb_per_socket_gc]:--}/${r[idle_heap_kb_per_socket]:--}" \
    "$(( ${r[rss_end_kb]:-0} / 1024 ))" "${r[fixed_other_cores]:--}/${r[max_other_cores]:--}"
  unset r
done <"$results"
