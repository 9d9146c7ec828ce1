#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 with database `test` (user postgres, trust auth),
# as the test suite expects. Starts the local cluster when it is down; fails loudly when it cannot.
set -euo pipefail
host=${CHATHUB_TEST_PG_HOST:-127.0.0.1}
port=${CHATHUB_TEST_PG_PORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL client tools are not installed (apt-get install postgresql)" >&2
  exit 1
fi
if ! ready; then
  echo "ensure-postgres: PostgreSQL is not answering on $host:$port; starting it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  echo "ensure-postgres: FAILED: PostgreSQL still not answering on $host:$port" >&2
  exit 1
fi
if ! psql -h "$host" -p "$port" -U postgres -d test -qtAc 'SELECT 1' >/dev/null 2>&1; then
  psql -h "$host" -p "$port" -U postgres -d postgres -qc 'CREATE DATABASE test' >/dev/null || {
    echo "ensure-postgres: FAILED: cannot connect as postgres to database test" >&2; exit 1; }
fi
echo "ensure-postgres: PostgreSQL ready on $host:$port" >&2
