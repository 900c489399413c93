#!/usr/bin/env bash
# Starts Platsdialog with demo data on the embedded database (SpatiaLite) at http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SPATIALITE_LIBRARY_PATH=${SPATIALITE_LIBRARY_PATH:-mod_spatialite}
export PLATSDIALOG_DEVELOPMENT=1  # plain http on 127.0.0.1: session cookies without the Secure flag
.venv/bin/platsdialog demo
# Exports are made by a job worker beside the web server (the queue is a SQLite file: no server).
.venv/bin/platsdialog jobs worker --workers 1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
.venv/bin/platsdialog run --host 127.0.0.1 --port "${PORT:-5000}"
