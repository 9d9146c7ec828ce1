# Sourced by ./chathub, .ci/run and bench scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, the newest JDK under /usr/lib/jvm, then `java` on the PATH.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
find_java() {
  local candidates=() best="" best_v=0 c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do [ -x "$c/bin/java" ] && candidates+=("$c"); done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c" 2>/dev/null || echo 0)
    if [ "${v:-0}" -gt "$best_v" ]; then best="$c"; best_v="$v"; fi
  done
  if [ -z "$best" ] || [ "$best_v" -lt 21 ]; then
    echo "ChatHub needs a JDK 21 or newer (found: ${best:-none} ${best_v:-}). Install one or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
find_java || exit 1
