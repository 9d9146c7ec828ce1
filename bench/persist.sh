#!/usr/bin/env bash
# Persisted messages/s of the chat service + store + group commit, without the network (bench/PersistLoad.java):
# builds target/chathub.jar if a source is newer, then runs PersistLoad in-process on SQLite (a temp dir) or, with
# --postgres, on a fresh schema of 127.0.0.1:5432/test. Results: bench/RESULTS-hub.md.
#
#   bench/persist.sh                          # SQLite: send and incoming paths, 1,000 chats, 256 concurrent senders
#   bench/persist.sh --postgres
#   bench/persist.sh --jar /tmp/other.jar     # another build, for before/after
#   bench/persist.sh -- --chats 100 --senders 1 --seconds 30    # anything after -- goes to PersistLoad
#   bench/persist.sh -- --path send --webhook     # with a webhook on message.created (results: bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source ./scripts/find-java.sh
source bench/lib.sh

jar=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) args+=(--postgres) ;;
    --jar) jar="$2"; shift ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
jar=$(bench_jar "$jar")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$jar" bench/PersistLoad.java ${args[@]+"${args[@]}"} 2>&1 | grep -v 'level=INFO\|level=DEBUG'
