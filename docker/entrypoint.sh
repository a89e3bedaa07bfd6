#!/bin/sh
# Container entrypoint: wait for the database, apply migrations and deploy the models
# (`flask init`, idempotent and serialised between containers), then run the given command
# (gunicorn for the web service, the scheduler for the scheduler service).
#
#   DONDOC_DB_WAIT_SECONDS  how long to wait for the database (default 60)
#   DONDOC_SKIP_INIT=1      start without running `flask init` (e.g. a read-only replica node)
set -eu
cd "$(dirname "$0")/.."

python docker/wait_for_db.py

if [ "${DONDOC_SKIP_INIT:-0}" != "1" ]; then
  flask --app app init
fi

exec "$@"
