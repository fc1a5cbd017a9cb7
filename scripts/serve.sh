#!/usr/bin/env bash
# Start the background worker, the scheduler and the web server together; stopping the
# server stops them all.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
"$PY" manage.py db_worker --queue-name default &
worker=$!
"$PY" manage.py scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
echo
echo "Qingdan: http://127.0.0.1:${PORT}/  (worker pid ${worker}, scheduler pid ${scheduler})"
"$PY" manage.py runserver "127.0.0.1:${PORT}"
