#!/usr/bin/env bash
# Memory under hostile input: starts a server the way ./chathub does (its default JVM options; see README,
# "Configuration"), throws bench/FuzzLoad.java at it (malformed JSON, bodies up to the limits, chunked bodies past
# them, wrong passwords from 32 addresses, idle connections, garbage hub frames, bad tokens), samples the server's
# RSS every second, and prints the peak, the RSS at the end of the load and after it settled. Results:
# bench/RESULTS.md, "Memory under hostile input".
#
#   bench/fuzz-rss.sh                          # 60 s of load, then 15 s quiet
#   bench/fuzz-rss.sh --seconds 120 --idle 2000
#   bench/fuzz-rss.sh --plain                  # plain `java -jar` with the JVM's own sizing (a quarter of the RAM)
#   bench/fuzz-rss.sh --java-opts "-Xmx1g"     # the launcher's options plus these (as CHATHUB_JAVA_OPTS)
#   bench/fuzz-rss.sh --jar /tmp/other.jar     # another build (implies running it with java directly, as --plain
#                                              #   does, but with the launcher's default options)
#
# Fresh temp data dir (SQLite), a free loopback port, the demo company on. The server is stopped on exit.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh

seconds=60 settle=15 idle=1000 plain=false java_opts="" jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --settle) settle="$2"; shift ;;
    --idle) idle="$2"; shift ;;
    --plain) plain=true ;;
    --java-opts) java_opts="$2"; shift ;;
    --jar) jar="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

JAVA="$JAVA_HOME/bin/java"
if [ -z "$jar" ] && { [ ! -f target/chathub.jar ] || [ -n "$(find pom.xml src -newer target/chathub.jar -print -quit)" ]; }; then
  echo "Building target/chathub.jar ..." >&2
  ./mvnw -q -B -ntp -Dwidgets.skip -DskipTests package >&2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/chathub-fuzz.XXXXXX")
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
  p=$((20000 + RANDOM % 12000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port" >&2; exit 1; }

# The launcher's default options, read from the launcher itself so that this measures what ./chathub runs.
launcher_opts=$(sed -n 's/^default_java_opts=(\(.*\))$/\1/p' chathub)
env=(CHATHUB_DATA_DIR="$work/data" CHATHUB_PORT="$port" CHATHUB_HOST=127.0.0.1 CHATHUB_DEMO=true CHATHUB_HTTP_LOG_LEVEL=WARN)
if $plain; then
  how="plain java -jar (the JVM's own heap sizing)"
  env "${env[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED -jar "${jar:-target/chathub.jar}" serve >"$work/server.log" 2>&1 &
elif [ -n "$jar" ]; then
  how="java $launcher_opts $java_opts -jar $jar"
  # shellcheck disable=SC2086 # the options are words
  env "${env[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED $launcher_opts $java_opts -jar "$jar" serve >"$work/server.log" 2>&1 &
else
  how="./chathub serve (default options: $launcher_opts)${java_opts:+ with CHATHUB_JAVA_OPTS=$java_opts}"
  env "${env[@]}" CHATHUB_JAVA_OPTS="$java_opts" ./chathub serve >"$work/server.log" 2>&1 &
fi
server_pid=$!
for _ in $(seq 1 1200); do
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server died; its log:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

echo "== ChatHub memory under hostile input"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml chathub 2>/dev/null || echo ' (modified)')"
echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jdk:      $("$JAVA" -version 2>&1 | head -1)"
echo "server:   $how, pid $server_pid, port $port"
"$JAVA" bench/FuzzLoad.java --port "$port" --server-pid "$server_pid" --seconds "$seconds" --settle "$settle" --idle "$idle" \
  | tee "$work/fuzz.out"
errors=$(grep -c -E 'level=ERROR|OutOfMemoryError' "$work/server.log" || true)
echo "server log: $errors ERROR / OutOfMemoryError lines$( [ "$errors" -gt 0 ] && echo ':' )"
grep -E 'level=ERROR|OutOfMemoryError' "$work/server.log" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 || true
echo "SUMMARY how=\"$how\" $(sed -n 's/^RESULT //p' "$work/fuzz.out") server_errors=$errors"
