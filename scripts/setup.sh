#!/usr/bin/env bash
# Installs what Platsdialog needs on Debian/Ubuntu: system packages, a virtualenv in .venv, the app.
#   scripts/setup.sh          what the demo needs (SpatiaLite)
#   scripts/setup.sh --test   also what the tests need (PostgreSQL + PostGIS, Chromium, GDAL tools)
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }
apt_install() {
  local need; need=$(missing "$@")
  [ -z "$need" ] && return 0
  echo "Installing system packages: $need"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
}

packages=(libsqlite3-mod-spatialite python3-venv fonts-dejavu-core)
# npm for the pinned front-end libraries (package-lock.json); any Node.js that brings npm will do.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${1:-}" = "--test" ]; then
  # redis-server and nginx: the several-app-servers test (job queue, shared rate limits, a proxy)
  packages+=(postgresql gdal-bin chromium poppler-utils redis-server nginx)
fi
apt_install "${packages[@]}"
if [ "${1:-}" = "--test" ]; then
  pg_major=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  apt_install "postgresql-${pg_major}-postgis-3"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""; [ "${1:-}" = "--test" ] && extras="[test]"
stamp=".venv/.installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  # pip's output goes to a log, shown only when it fails
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".${extras}"; } >.venv/pip.log 2>&1; then
    cat .venv/pip.log; exit 1
  fi
  touch "$stamp"
fi
# Front-end libraries no Python package ships (proj4, proj4leaflet, Leaflet-Geoman): exact versions and checksums
# from package-lock.json, no install scripts run; app/vendor.py serves them from node_modules/.
npm_stamp="node_modules/.package-lock.json"
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ]; then
  # Without the registry the app still runs; only base maps in SWEREF 99 fall back to the outline.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null ||
    echo "npm ci failed: base maps in SWEREF 99 will show the outline view until it succeeds" >&2
fi
.venv/bin/python -c "from app.i18n import compile_catalogs; compile_catalogs()"
