#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite and the benchmarks, on a loopback port.
#
#   scripts/pg_test_server.sh start   # prints the SQLAlchemy URL to use (DONDOC_TEST_DATABASE_URL)
#   scripts/pg_test_server.sh stop    # stops and deletes the cluster, only if `start` created it
#   scripts/pg_test_server.sh url     # prints the URL without starting anything
#   scripts/pg_test_server.sh running # exit 0 when a cluster started by this script answers
#
# When DONDOC_TEST_DATABASE_URL already points at a reachable server, `start` only prints it and
# `stop` leaves it alone. Otherwise `start` installs PostgreSQL through apt when it is missing,
# creates a cluster in a temporary directory owned by an unprivileged user (PostgreSQL refuses to
# run as root), starts it on 127.0.0.1:$DONDOC_PG_PORT (default 55432) with durability switched
# off (a test cluster is thrown away: fsync buys nothing), and creates a role allowed to create
# databases, which the test fixtures need for their per-test copies of a template database.
# All diagnostics go to stderr: stdout carries only the URL.
set -euo pipefail

PORT="${DONDOC_PG_PORT:-55432}"
BASE="${DONDOC_PG_DIR:-${TMPDIR:-/tmp}/dondoc-pg-${PORT}}"
ROLE=dondoc
PASSWORD=dondoc
DATABASE=dondoc
OWN_URL="postgresql+psycopg://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DATABASE}"
EXTRA_SETTINGS=(
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off
  -c shared_buffers="${DONDOC_PG_SHARED_BUFFERS:-256MB}" -c max_connections=200
  -c max_wal_size=4GB -c checkpoint_timeout=30min
)

say() { echo "pg_test_server: $*" >&2; }

pg_bin() {
  local dir
  dir=$(printf "%s\n" /usr/lib/postgresql/*/bin | grep -v "\*" | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null; then
    dir=$(dirname "$(command -v pg_ctl)")
  fi
  echo "$dir"
}

install_postgresql() {
  say "PostgreSQL not found: installing it with apt-get"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Debian's package would start its own cluster on 5432; this server does not need it.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

reachable() {
  # $1: a SQLAlchemy URL; true when a server answers there with these credentials.
  local url="${1/+psycopg/}"
  python_bin -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' "$url" \
    >/dev/null 2>&1
}

python_bin() {
  # The project's interpreter (it has psycopg): DONDOC_PYTHON, else .venv, else python3.
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -n "${DONDOC_PYTHON:-}" ]; then "$DONDOC_PYTHON" "$@"
  elif [ -x "$here/.venv/bin/python" ]; then "$here/.venv/bin/python" "$@"
  else python3 "$@"; fi
}

as_owner() {
  # Run a PostgreSQL binary as the cluster's owner: `postgres` when we are root, else ourselves.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ -n "${DONDOC_TEST_DATABASE_URL:-}" ] && reachable "$DONDOC_TEST_DATABASE_URL"; then
    say "using the server already reachable at DONDOC_TEST_DATABASE_URL"
    echo "$DONDOC_TEST_DATABASE_URL"
    return
  fi
  if reachable "$OWN_URL"; then
    say "a test server already runs on 127.0.0.1:${PORT}"
    echo "$OWN_URL"
    return
  fi
  local bin
  bin=$(pg_bin)
  if [ -z "$bin" ]; then
    install_postgresql
    bin=$(pg_bin)
  fi
  [ -n "$bin" ] || { say "no PostgreSQL binaries after installation"; exit 1; }
  rm -rf "$BASE"
  mkdir -p "$BASE/data"
  [ "$(id -u)" -ne 0 ] || chown -R postgres: "$BASE"
  chmod 700 "$BASE"
  as_owner "$bin/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_owner "$bin/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p ${PORT} -k ${BASE} ${EXTRA_SETTINGS[*]}" start >/dev/null
  touch "$BASE/started-by-script"
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
  "${psql[@]}" -c "CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}'" >&2
  "${psql[@]}" -c "CREATE DATABASE ${DATABASE} OWNER ${ROLE}" >&2
  say "started PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:${PORT} (data in ${BASE})"
  echo "$OWN_URL"
}

stop() {
  if [ ! -f "$BASE/started-by-script" ]; then
    say "nothing to stop (no cluster started by this script in ${BASE})"
    return
  fi
  local bin
  bin=$(pg_bin)
  as_owner "$bin/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null || true
  rm -rf "$BASE"
  say "stopped and removed the test cluster on port ${PORT}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$OWN_URL" ;;
  running) [ -f "$BASE/started-by-script" ] && reachable "$OWN_URL" ;;
  *) echo "usage: $0 start|stop|url|running" >&2; exit 2 ;;
esac
