# Shared by the bench/*.sh scripts: source it from the repository's root.

# The jar to benchmark: $1 if given, else target/chathub.jar, built first when it is missing or older than the sources.
bench_jar() {
  if [ -n "${1:-}" ]; then echo "$1"; return 0; fi
  if [ ! -f target/chathub.jar ] || [ -n "$(find pom.xml src/main -newer target/chathub.jar -print -quit 2>/dev/null)" ]; then
    echo "Building target/chathub.jar ..." >&2
    ./mvnw -q -B -ntp -DskipTests package >&2
  fi
  echo target/chathub.jar
}

# A free loopback port below the ephemeral range (32768-60999), so that the client's own sockets never take it.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no free port" >&2; return 1
}
