#!/usr/bin/env bash
# `make run`: start the background worker, the scheduler and the web server (gunicorn) together;
# stopping the server (Ctrl-C) stops them all. The console keeps to the address, the demo accounts
# and the worker and scheduler status; their logs and the web server's go to the data dir's log/.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
BIN=$(dirname "$PY")
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
logs=$("$PY" -c 'from pathlib import Path; import os
print(Path(os.environ.get("QINGDAN_DATA_DIR", "var")).resolve() / "log")')
mkdir -p "$logs"

if [ "${QINGDAN_EMAIL_CONSOLE:-0}" = "1" ]; then
    mail="printed below by the worker"
    "$PY" manage.py db_worker --queue-name default --no-reload &
else
    mail="written as files to $(dirname "$logs")/mail/ (QINGDAN_EMAIL_CONSOLE=1 prints them)"
    "$PY" manage.py db_worker --queue-name default --no-reload >>"$logs/worker.log" 2>&1 &
fi
worker=$!
"$PY" manage.py scheduler >>"$logs/scheduler.log" 2>&1 &
scheduler=$!
"$BIN/gunicorn" qingdan.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
    --log-level warning --access-logfile "$logs/access.log" >>"$logs/web.log" 2>&1 &
web=$!
trap 'kill $worker $scheduler $web 2>/dev/null || true' EXIT INT TERM

status() { kill -0 "$1" 2>/dev/null && echo "running (pid $1)" || echo "STOPPED: see $2"; }
for _ in $(seq 50); do
    "$PY" -c "import socket, sys; socket.create_connection(('127.0.0.1', ${PORT}), 1)" \
        2>/dev/null && break
    kill -0 "$web" 2>/dev/null || break
    sleep 0.2
done
if ! kill -0 "$web" 2>/dev/null; then
    echo "The web server did not start (is port ${PORT} taken? PORT=8001 make run): $logs/web.log"
    tail -n 5 "$logs/web.log"
    exit 1
fi
echo
echo "Qingdan: http://127.0.0.1:${PORT}/"
echo "  worker: $(status $worker "$logs/worker.log") · scheduler: $(status $scheduler "$logs/scheduler.log")"
echo "  logs: $logs/ · e-mails: $mail"
echo "  Ctrl-C stops it."
wait "$web"
