#!/usr/bin/env bash
# Report times on a big data set (bench/ReportLoad.java): builds target/chathub.jar if a source is newer, seeds a fresh
# SQLite database (a temp dir) or, with --postgres, a fresh schema of 127.0.0.1:5432/test with 1,000,000 messages in
# 100,000 chats over 90 days, and times GET /api/company/reports/summary for the last 30 days. Results: bench/RESULTS.md.
#
#   bench/reports.sh                      # SQLite
#   bench/reports.sh --postgres
#   bench/reports.sh -- --messages 200000 --chats 20000    # anything after -- goes to ReportLoad
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) args+=(--postgres) ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
jar=target/chathub.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "Building $jar ..." >&2
  ./mvnw -q -B -DskipTests package >&2
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "$jar" bench/ReportLoad.java ${args[@]+"${args[@]}"} 2>&1 | grep -v 'level=INFO\|level=DEBUG'
