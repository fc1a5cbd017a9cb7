#!/usr/bin/env bash
# Start the background worker and the web server together; stopping one stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
"$PY" manage.py db_worker --queue-name default &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "Qingdan: http://127.0.0.1:${PORT}/  (worker pid ${worker})"
"$PY" manage.py runserver "127.0.0.1:${PORT}"
