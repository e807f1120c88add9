#!/usr/bin/env bash
# Prints a Redis URL the tests can use. Uses the server on 127.0.0.1:6379 when one answers;
# otherwise starts a throwaway one (no persistence, on 127.0.0.1:63799) under .redis/ and uses that.
set -euo pipefail
if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; then
  echo "redis://127.0.0.1:6379/0"
  exit 0
fi
port=63799
dir="$(pwd)/.redis"
if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != "PONG" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/log" >/dev/null
  for _ in $(seq 50); do
    [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ] && break
    sleep 0.1
  done
fi
echo "redis://127.0.0.1:${port}/0"
