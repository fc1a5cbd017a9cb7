"""`make bench-peer`: the peer tracker (django-helpdesk) measured beside Qingdan in one run.

Runs ../shared/peers/helpdesk (its setup, then its bench at each size), then Qingdan's API load
test, and adds the peer's figures and the ratios to bench/results.json.

    python bench/peer.py [--sizes 100000,1000000]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = Path(os.environ.get("PEER_DIR", ROOT.parent / "shared" / "peers" / "helpdesk"))
PEER_ROOT = Path(os.environ.get("PEER_ROOT", "/tmp/peer-helpdesk"))


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def find(data, key):
    """The first value of ``key`` anywhere in nested dicts."""
    if isinstance(data, dict):
        if key in data:
            return data[key]
        for value in data.values():
            found = find(value, key)
            if found is not None:
                return found
    return None


JOURNALS = (
    " (Qingdan's SQLite runs in WAL mode with synchronous=NORMAL, the peer's stock "
    "settings use the rollback journal with a sync on every commit: part of the gap is "
    "that configuration, and a disk shared with other runs widens it)"
)


def like_for_like(results: dict, peer: dict) -> dict:
    """Ratios only between runs that did the same thing the same way: both in-process through
    Django's test client, one client, one request at a time, on SQLite (the peer's engine), at
    the same number of problems of history. Each ratio says exactly what ran."""
    ratios = {}
    for size, figures in peer.items():
        scenarios = results.get("qingdan", {}).get(f"sqlite-{size}", {}).get("scenarios", [])
        ours = {row["scenario"]: row for row in scenarios}
        same_way = (
            f"in-process test client, one client, one request at a time, SQLite, "
            f"{int(size):,} problems/tickets of history on both sides"
        )
        peer_rate, create = (
            find(figures, "a_create_api_tickets_per_s"),
            ours.get("api_create_in_process"),
        )
        if peer_rate and create:
            ratios[f"create_rate_qingdan_over_peer_{size}"] = {
                "value": round(create["rate_per_s"] / peer_rate, 2),
                "what": f"creation through each REST API (POST, JSON), "
                f"{create['requests']} requests, {same_way}: Qingdan "
                f"{create['rate_per_s']}/s, peer {peer_rate}/s" + JOURNALS,
            }
        for label, peer_key, our_key, what in (
            (
                "list_page",
                "b_list_json_median_ms",
                "unit_inbox",
                "median time of a work list (peer: the busiest queue's first 25 rows, JSON; "
                "Qingdan: the busiest unit's inbox page, 50 rows, HTML)",
            ),
            (
                "detail_page",
                "d_ticket_detail_median_ms",
                "problem_detail",
                "median time of one item's page",
            ),
        ):
            theirs, mine = find(figures, peer_key), ours.get(our_key, {}).get("median_ms")
            if theirs and mine:
                ratios[f"{label}_peer_time_over_qingdan_{size}"] = {
                    "value": round(theirs / mine, 2),
                    "what": f"{what}, {same_way}: peer {theirs} ms, Qingdan {mine} ms",
                }
        # Not a ratio: the peer's weekly report is two GROUP BYs, Qingdan's bulletin every
        # figure of docs/KPIS.md with its lists — different work.
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_PEER_SIZES", "100000,1000000"))
    parser.add_argument("--skip-api-load", action="store_true")
    args = parser.parse_args()
    if not PEER.exists():
        log(f"No peer benchmark at {PEER}.")
        return 1
    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    log("== peer setup")
    subprocess.run(["bash", str(PEER / "setup.sh")], check=True, stdout=sys.stderr)
    peer = results.setdefault("peer", {})
    for size in [int(s) for s in args.sizes.split(",")]:
        log(f"== peer at {size}")
        target = PEER_ROOT / f"result-{size}.json"
        extra = ["--skip-builtin-report", "--skip-api-list"] if size > 100_000 else []
        subprocess.run(
            [
                str(PEER_ROOT / "venv" / "bin" / "python"),
                str(PEER / "bench.py"),
                "--n",
                str(size),
                "--reps",
                "100",
                "--out",
                str(target),
                *extra,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        peer[str(size)] = json.loads(target.read_text())
    if not args.skip_api_load:
        log("== qingdan API load (same run; on the demo park, under gunicorn: no peer twin)")
        load = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "api_load.py")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.setdefault("qingdan", {})["api_create_beside_peer"] = json.loads(
            load.strip().splitlines()[-1]
        )
    results["ratios"] = like_for_like(results, peer)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    log(json.dumps({"ratios": results["ratios"]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
