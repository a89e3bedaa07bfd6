#!/usr/bin/env bash
# Run the whole pytest suite on SQLite, then on PostgreSQL (what `make test` and CI run).
#
# DONDOC_TEST_BACKENDS picks the runs ("sqlite postgresql" by default; "sqlite" alone for a quick
# local run). For PostgreSQL, DONDOC_TEST_DATABASE_URL may name a server; otherwise
# scripts/pg_test_server.sh starts a throwaway one on a loopback port and this script stops it
# afterwards. Exit code 5 ("no tests collected") is a failure, never a pass.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
PYTHON="${DONDOC_PYTHON:-.venv/bin/python}"
export DONDOC_PYTHON="$PYTHON"
BACKENDS="${DONDOC_TEST_BACKENDS:-sqlite postgresql}"
PG_URL_GIVEN="${DONDOC_TEST_DATABASE_URL:-}"
summary=()
failed=0

run_on() {
  # $1 label, $2 database URL ("" = SQLite), then pytest arguments
  local label="$1" url="$2" status
  shift 2
  echo "==> pytest on ${label}"
  DONDOC_TEST_DATABASE_URL="$url" "$PYTHON" -m pytest "$@"
  status=$?
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: failing on purpose" >&2
    status=1
  fi
  if [ "$status" -eq 0 ]; then summary+=("${label}: passed"); else summary+=("${label}: FAILED (exit ${status})"); fi
  [ "$status" -eq 0 ] || failed=1
}

# shellcheck disable=SC2329  # invoked by the EXIT trap below
stop_pg_server() {
  bash scripts/pg_test_server.sh stop
}

for backend in $BACKENDS; do
  case "$backend" in
    sqlite)
      run_on "SQLite" "" "$@"
      ;;
    postgresql)
      # A server this script started earlier (a developer's, a benchmark's) is used and left running.
      already_running=0
      bash scripts/pg_test_server.sh running && already_running=1
      if ! pg_url=$(DONDOC_TEST_DATABASE_URL="$PG_URL_GIVEN" bash scripts/pg_test_server.sh start); then
        echo "could not start or reach PostgreSQL" >&2
        summary+=("PostgreSQL: FAILED (no server)")
        failed=1
        continue
      fi
      [ "$already_running" -eq 1 ] || trap stop_pg_server EXIT
      run_on "PostgreSQL" "$pg_url" "$@"
      ;;
    *)
      echo "unknown backend '${backend}' in DONDOC_TEST_BACKENDS" >&2
      failed=1
      ;;
  esac
done

for line in "${summary[@]}"; do echo "==> ${line}"; done
exit "$failed"
