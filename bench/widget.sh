#!/usr/bin/env bash
# Customer chat widget benchmark: in Chromium, from a cold cache (a new browser context per run), the time from the
# script tag to an interactive launcher, from a click to the open chat, and the host page's longest task; then the
# same page again (warm cache, returning visitor). Prints p50/p90/max. See bench/RESULTS.md for figures.
#
#   bench/widget.sh [--runs N]
#
# --runs  measured page loads (default 20; two more run first, unmeasured: JIT and browser start)
#
# Starts its own server (target/chathub.jar; ./mvnw -B -ntp -q package -DskipTests builds it) on a fresh temp data
# dir and a free loopback port, in development mode with the demo company (a page on http://localhost may use the
# widget there), and stops it on exit. Needs node, /usr/bin/chromium and widgets/node_modules.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh

runs=20
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[ -f target/chathub.jar ] || { echo "target/chathub.jar is missing: ./mvnw -B -ntp -q package -DskipTests" >&2; exit 1; }
[ -d widgets/node_modules/playwright-core ] || { echo "widgets/node_modules is missing: build with Maven (it runs npm ci)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/chathub-widget-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=""
for _ in $(seq 1 100); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }

CHATHUB_DATA_DIR="$work/data" CHATHUB_PORT="$port" CHATHUB_HOST=127.0.0.1 CHATHUB_DEV=true CHATHUB_DEMO=true \
  CHATHUB_WIDGET_SESSIONS_PER_IP=100000/1h \
  "$JAVA_HOME/bin/java" -jar target/chathub.jar >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 1200); do
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server did not start; its log:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
echo "server on port $port; loadavg $(cut -d' ' -f1-3 /proc/loadavg); $(git log -1 --format='%h %s' | cut -c1-72)"
CHATHUB_URL="http://127.0.0.1:$port" node --experimental-websocket --no-warnings bench/widget.mjs "$runs"
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
