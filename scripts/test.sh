#!/usr/bin/env bash
# Runs the whole test suite twice: on SpatiaLite, then on PostGIS in a throwaway PostgreSQL cluster.
# Extra arguments go to pytest, e.g. scripts/test.sh -k pins
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export SPATIALITE_LIBRARY_PATH=${SPATIALITE_LIBRARY_PATH:-mod_spatialite}
export PYTHONDONTWRITEBYTECODE=1

.venv/bin/ruff check app tests bench

pg_bin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -n 1)/bin
pg_dir=$(mktemp -d /tmp/platsdialog-pg.XXXXXX)
pg_port=${PLATSDIALOG_PG_PORT:-55432}
chown postgres "$pg_dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
stop_pg() { as_pg "$pg_bin/pg_ctl -D $pg_dir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
as_pg "$pg_bin/initdb -D $pg_dir/data --auth=trust --no-sync -U postgres -E UTF8 >/dev/null"
as_pg "$pg_bin/pg_ctl -D $pg_dir/data -l $pg_dir/log -w -o \"-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres platsdialog_test

status=0
echo "== Test suite on SpatiaLite"
.venv/bin/python -m pytest "$@" || status=1
echo "== Test suite on PostGIS"
PLATSDIALOG_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:${pg_port}/platsdialog_test" \
  .venv/bin/python -m pytest "$@" || status=1
exit $status
