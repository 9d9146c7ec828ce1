#!/usr/bin/env bash
# Cluster benchmark (issue 12): the chat-shaped load of bench/ClusterLoad.java, first against ONE node, then against
# TWO nodes on one PostgreSQL and the local NATS with one of them SIGKILLed mid-run; prints both and the comparison of
# delivery p99 at the fixed rate. Each run gets a fresh schema of 127.0.0.1:5432/test (dropped after), its own data
# dirs and free loopback ports, the demo company on; NATS must answer on 127.0.0.1:4222 (a subject prefix per run).
#
#   bench/cluster.sh                              # 200 chats, 1,000 msg/s, 10,000 storm sockets, kill node 2 at 5 s
#   bench/cluster.sh -- --rate 300                # another fixed rate (both runs)
#   bench/cluster.sh --only cluster               # skip the one-node run (or --only single)
#   bench/cluster.sh --jar /tmp/other.jar         # another build (no rebuild)
#   bench/cluster.sh -- --storm 0 --fixed 10      # anything after -- goes to ClusterLoad (see its header)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh
source bench/lib.sh

jar=""
only=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift ;;
    --only) only="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

jar=$(bench_jar "$jar")
JAVA="$JAVA_HOME/bin/java"
(exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null || { echo "NATS is not answering on 127.0.0.1:4222" >&2; exit 1; }

work=$(mktemp -d /tmp/chathub-clusterbench.XXXXXX)
pids=()
schema=""
stop_nodes() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do
    [ -z "$p" ] && continue
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
  pids=()
  if [ -n "$schema" ]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    schema=""
  fi
}
trap 'stop_nodes; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

new_schema() {
  schema="clusterbench_$$_$RANDOM"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
}

start_node() { # $1 = node id, $2 = port, $3 = "nats" to join the cluster's bus; sets started_pid
  local id=$1 port=$2 data="$work/data-$1-$2"
  mkdir -p "$data"
  local env=(CHATHUB_PORT="$port" CHATHUB_HOST=127.0.0.1 CHATHUB_DATA_DIR="$data" CHATHUB_DEMO=true CHATHUB_NODE_ID="$id"
             CHATHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CHATHUB_DB_USER=postgres
             CHATHUB_JWT_SECRET="cluster-bench-secret-$$-0123456789abcdefghij" CHATHUB_SECRET_KEY="cluster-bench-key-$$-0123456789abcdefghij"
             CHATHUB_PRESENCE_LEASE=5s)
  if [ "${3:-}" = nats ]; then env+=(CHATHUB_NATS_URL=nats://127.0.0.1:4222 CHATHUB_NATS_SUBJECT_PREFIX="clusterbench-$$"); fi
  env "${env[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED ${BENCH_SERVER_OPTS:-} -jar "$jar" serve >"$work/$id.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then started_pid=$pid; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "node $id died:" >&2; tail -20 "$work/$id.log" >&2; return 1; }
    sleep 0.5
  done
  echo "node $id did not become ready in 60 s" >&2; tail -20 "$work/$id.log" >&2; return 1
}

run_load() { # $1 = label, rest: ClusterLoad options
  local label=$1; shift
  set +e
  "$JAVA" bench/ClusterLoad.java --label "$label" --storm 10000 --jcmd "$JAVA_HOME/bin/jcmd" "$@" ${extra[@]+"${extra[@]}"} \
    | tee "$work/out-$label"
  local rc=${PIPESTATUS[0]}
  set -e
  grep '^RESULT ' "$work/out-$label" >>"$work/results" || echo "RESULT label=$label failed=rc$rc" >>"$work/results"
  for log in "$work"/*.log; do
    if grep -q 'ERROR' "$log"; then echo "--- $(basename "$log"): errors"; grep -m5 'ERROR' "$log" | cut -c1-300 || true; fi
  done
}

echo "cluster benchmark: $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), PostgreSQL 15 (127.0.0.1), NATS 127.0.0.1:4222"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/results"

if [ "$only" != cluster ]; then
  echo; echo "=== one node (PostgreSQL, no NATS) ==="
  new_schema
  p1=$(free_port)
  start_node single "$p1"; pid1=$started_pid
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  run_load one-node --nodes "127.0.0.1:$p1" --pids "$pid1"
  stop_nodes
  rm -f "$work"/*.log
fi

if [ "$only" != single ]; then
  echo; echo "=== two nodes (PostgreSQL + NATS), node 1 SIGKILLed mid-run ==="
  new_schema
  pa=$(free_port); pb=$(free_port)
  start_node node1 "$pa" nats; pida=$started_pid
  start_node node2 "$pb" nats; pidb=$started_pid
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  run_load two-nodes --nodes "127.0.0.1:$pa,127.0.0.1:$pb" --pids "$pida,$pidb" --kill-node 1
  stop_nodes
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Targets: caught up <= 5 s after the kill; 10,000 sockets <= 10 s; two-node p99 <= 1.5 x one-node p99 at the same rate"
printf '%-10s | %-30s | %-8s | %-30s | %-14s | %-11s | %-16s | %-18s | %s\n' run "fixed p50/p95/p99/max ms" "deliv/s" \
  "kill phase p50/p95/p99/max ms" "errors/failed" "lost/dup" "undeliv/twice" "caught up (recon.)" "storm ms, KB/socket"
declare -A p99=()
while read -r line; do
  declare -A r=()
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  if [ -n "${r[failed]:-}" ]; then printf '%-10s | FAILED (%s)\n' "${r[label]}" "${r[failed]}"; unset r; continue; fi
  p99[${r[label]}]=${r[fixed_p99_ms]}
  printf '%-10s | %-30s | %-8s | %-30s | %-14s | %-11s | %-16s | %-18s | %s\n' "${r[label]}" \
    "${r[fixed_p50_ms]}/${r[fixed_p95_ms]}/${r[fixed_p99_ms]}/${r[fixed_max_ms]}" "${r[fixed_deliveries_per_s]}" \
    "${r[kill_p50_ms]:--}/${r[kill_p95_ms]:--}/${r[kill_p99_ms]:--}/${r[kill_max_ms]:--}" "${r[errors]}/${r[kill_failed]:-${r[fixed_failed]}}" \
    "${r[lost]}/${r[duplicated]}" "${r[undelivered]}/${r[delivered_twice]}" "${r[caught_up_ms]:--} ms (${r[reconnected_ms]:--} ms)" \
    "${r[storm_ms]:--}, ${r[storm_kb_per_socket]:--} (${r[storm_kb_per_socket_gc]:--} after GC)"
  unset r
done <"$work/results"
if [ -n "${p99[one-node]:-}" ] && [ -n "${p99[two-nodes]:-}" ]; then
  awk -v a="${p99[two-nodes]}" -v b="${p99[one-node]}" 'BEGIN{printf "delivery p99 at the fixed rate: two nodes %s ms / one node %s ms = %.2f x (target <= 1.5)\n", a, b, (b>0 ? a/b : 0)}'
fi
