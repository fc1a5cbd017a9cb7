"""API creation under load: gunicorn + PostgreSQL, 8 concurrent clients for 30 s (wrk).

Creates a fresh database with the demo park, starts gunicorn on a free local port, issues a
token, and lets wrk POST new problems through /api/v1/problems. Reports requests/s, latency
percentiles, the share of non-201 answers and the peak RSS of the gunicorn workers.

    python bench/api_load.py [--seconds 30] [--connections 8]
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "qingdan_bench_api"
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.body = '{"title": "厂区线路频繁跳闸", "description": "本月跳闸三次。", "category": "utilities"}'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.3f %%.3f %%.3f %%.3f\\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    data_dir = tempfile.mkdtemp(prefix="qingdan-api-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{DATABASE}",
        "QINGDAN_DATA_DIR": data_dir,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-key-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REFUSE_DEMO_PASSWORDS": "0",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "QINGDAN_API_RATE_CALLER": "1000000/m",
        "QINGDAN_API_RATE_IP": "1000000/m",
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable

    def manage(*command):
        return subprocess.run(
            [python, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("demo")
    token = manage("api_token", "enterprise").strip()
    port = free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "qingdan.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        script = Path(data_dir) / "create.lua"
        script.write_text(LUA % {"token": token})
        url = f"http://127.0.0.1:{port}/api/v1/problems"
        subprocess.run(
            ["wrk", "-t2", "-c2", "-d3s", "-s", str(script), url], capture_output=True, check=True
        )  # warm-up
        peak = {"rss": 0.0, "worker": 0.0}
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                workers = children(server.pid)
                peak["rss"] = max(peak["rss"], rss_mb([server.pid, *workers]))
                peak["worker"] = max([peak["worker"], *(rss_mb([w]) for w in workers)])
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        stop.set()
        sampler.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    requests, bad_status, socket_errors, duration_us, p50, p95, p99, worst = match.groups()
    seconds = int(duration_us) / 1e6
    result = {
        "scenario": "api_create",
        "server": f"gunicorn, {args.workers} sync workers, PostgreSQL",
        "connections": args.connections,
        "seconds": round(seconds, 1),
        "requests": int(requests),
        "non_2xx": int(bad_status),
        "socket_errors": int(socket_errors),
        "rate_per_s": round(int(requests) / seconds, 1),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "max_ms": float(worst),
        "peak_rss_mb_all_workers": round(peak["rss"], 1),
        "peak_rss_mb_one_worker": round(peak["worker"], 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
