#!/usr/bin/env bash
# Messenger channels under load against the local Telegram Bot API double (bench/ChannelLoad.java): inbound webhook ->
# operator hub delivery latency, outbound throughput through the outbox with a 50 ms double, and kill -9 cycles with
# exact reconciliation. Builds target/chathub.jar and the test classes (the doubles) when a source is newer.
# Results: bench/RESULTS.md, section "Messenger channels".
#
#   bench/channels.sh                          # SQLite, all three modes with their defaults
#   bench/channels.sh --postgres               # PostgreSQL (127.0.0.1:5432/test, a fresh schema each, dropped after)
#   bench/channels.sh --mode inbound -- --rate 500 --seconds 30
#   bench/channels.sh --mode outbound -- --rate 600 --bots 30 --users 8 --latency 50
#   bench/channels.sh --mode crash -- --cycles 20 --users 16
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) args+=(--postgres); ./scripts/ensure-postgres.sh >/dev/null ;;
    --mode) args+=(--mode "$2"); shift ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
jar=target/chathub.jar
if [ ! -f "$jar" ] || [ ! -d target/test-classes/io/chathub/testing/messengers ] \
   || [ -n "$(find pom.xml src -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "Building $jar and the test classes ..." >&2
  ./mvnw -q -B -ntp -Dwidgets.skip -DskipTests package >&2
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar:target/test-classes" \
  bench/ChannelLoad.java ${args[@]+"${args[@]}"} 2>&1 | grep -v 'level=INFO\|level=DEBUG'
