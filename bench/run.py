"""`make bench`: generate synthetic provinces and run the scenarios on SQLite and PostgreSQL.

Each (database, size) pair gets its own database, generated once and reused by later runs
(SQLite files under bench/data/, PostgreSQL databases qingdan_bench_<size>). Results go to
bench/results.json, with the machine and the commit they were measured on.

    python bench/run.py [--sizes 100000,1000000] [--databases sqlite,postgres] [--reps 30]

Ten million problems on PostgreSQL (not in CI; hours to generate, ~60 GB of disk):

    make bench BENCH_SIZES=10000000 BENCH_DATABASES=postgres
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-key-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "HTTPS": "0",
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "REFUSE_DEMO_PASSWORDS": "0",
    "LOG_LEVEL": "WARNING",
    # The in-process creation scenario posts 200 problems in a few seconds from one caller.
    "QINGDAN_API_RATE_CALLER": "1000000/m",
    "QINGDAN_API_RATE_IP": "1000000/m",
}


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **BENCH_ENV, **env},
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def database_env(kind: str, size: int) -> dict:
    data_dir = ROOT / "bench" / "data" / f"{kind}-{size}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {"QINGDAN_DATA_DIR": str(data_dir)}
    if kind == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/qingdan_bench_{size}"
    else:
        env["DATABASE_URL"] = ""
    return env


def problem_count(env: dict) -> int:
    out = manage(
        env,
        "shell",
        "-c",
        "from qingdan.problems.models import Problem; print(Problem.objects.count())",
        capture=True,
    )
    return int(out.strip().splitlines()[-1])


def reset(kind: str, size: int, env: dict) -> None:
    if kind == "postgres":
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS qingdan_bench_{size}")
            conn.execute(f"CREATE DATABASE qingdan_bench_{size}")
    else:
        for path in Path(env["QINGDAN_DATA_DIR"]).glob("qingdan.sqlite3*"):
            path.unlink()


GENERATOR = {"version": 4, "busy_week": 20_000}  # change it to regenerate every database


def busy_week(size: int) -> int:
    """The busy last week: 20 k problems, or a fifth of a small province."""
    return min(GENERATOR["busy_week"], size // 5)


def prepare(kind: str, size: int) -> tuple[dict, dict]:
    env = database_env(kind, size)
    info = {}
    signature_file = Path(env["QINGDAN_DATA_DIR"]) / "generated.json"
    signature = {**GENERATOR, "busy_week": busy_week(size), "problems": size}
    current = json.loads(signature_file.read_text()) if signature_file.exists() else None
    if kind == "postgres":
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"qingdan_bench_{size}"]
            ).fetchone()
            if not exists:
                conn.execute(f"CREATE DATABASE qingdan_bench_{size}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    if current != signature or problem_count(env) != size:
        log(f"== generating {size} problems on {kind}")
        reset(kind, size, env)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.perf_counter()
        out = manage(
            env,
            "generate",
            "--problems",
            str(size),
            "--busy-week",
            str(busy_week(size)),
            capture=True,
        )
        info["generate_s"] = round(time.perf_counter() - started, 1)
        info["generated"] = out.strip()
        if kind == "postgres":
            manage(
                env,
                "shell",
                "-c",
                "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
            )
        signature_file.write_text(json.dumps(signature))
    return env, info


def search_quality() -> dict:
    """Routing suggestions and duplicate detection measured on the demo park (built afresh
    under bench/data/demo: its history is what the labelled sets are scored against)."""
    env = {"QINGDAN_DATA_DIR": str(ROOT / "bench" / "data" / "demo"), "DATABASE_URL": ""}
    Path(env["QINGDAN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    for path in Path(env["QINGDAN_DATA_DIR"]).glob("qingdan.sqlite3*"):
        path.unlink()
    log("== search quality on the demo park")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "demo", capture=True)
    out = manage(env, "search_quality", "--train", capture=True)
    return json.loads(out.strip().splitlines()[-1])


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "100000,1000000"))
    parser.add_argument("--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgres"))
    parser.add_argument("--reps", type=int, default=100, help="samples per percentile (≥ 100)")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-search-quality", action="store_true")
    parser.add_argument(
        "--skip-api-load",
        action="store_true",
        help="skip the gunicorn load test (it runs on the demo park, not the "
        "province: its figure is labelled so)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    results["qingdan"] = results.get("qingdan", {})
    results["meta"] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    if not args.skip_search_quality:
        results["qingdan"]["search_quality"] = search_quality()
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    for kind in args.databases.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            env, info = prepare(kind, size)
            log(f"== scenarios on {kind} at {size}")
            raw = manage(
                env,
                "run_scenarios",
                "--reps",
                str(args.reps),
                "--import-rows",
                str(args.import_rows),
                capture=True,
            )
            entry = {"scenarios": json.loads(raw)} | info
            bulletin = manage(env, "bench_bulletin", capture=True)
            entry["scenarios"].append(json.loads(bulletin))
            biggest = size == max(int(s) for s in args.sizes.split(","))
            if kind == "postgres" and biggest and not args.skip_api_load:
                log("== API creation under load (gunicorn, PostgreSQL)")
                load = subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "api_load.py")],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                results["qingdan"]["api_create"] = json.loads(load.strip().splitlines()[-1])
            results["qingdan"][f"{kind}-{size}"] = entry
            out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
            for row in entry["scenarios"]:
                log(
                    f"   {row['scenario']:<16} "
                    + ", ".join(
                        f"{key} {value}"
                        for key, value in row.items()
                        if key.endswith(("_ms", "_mb", "_per_s")) or key in ("floor", "reference")
                    )
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
