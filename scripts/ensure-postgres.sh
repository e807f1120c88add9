#!/usr/bin/env bash
# Prints a PostgreSQL URL the tests can use. Uses the server on 127.0.0.1:5432 when one answers;
# otherwise starts a throwaway cluster (trust auth, on 127.0.0.1:54329) under .pg/ and uses that.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  user="${PGUSER:-postgres}"
  echo "postgresql+psycopg://${user}@127.0.0.1:5432/postgres"
  exit 0
fi
port=54329
dir="$(pwd)/.pg"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
if ! pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  rm -rf "$dir"; mkdir -p "$dir"
  run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:${port}/postgres"
