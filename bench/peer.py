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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_PEER_SIZES", "100000,1000000"))
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
        subprocess.run([str(PEER_ROOT / "venv" / "bin" / "python"), str(PEER / "bench.py"),
                        "--n", str(size), "--out", str(target), *extra],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        peer[str(size)] = json.loads(target.read_text())
    log("== qingdan API load (same run)")
    load = subprocess.run([sys.executable, str(ROOT / "bench" / "api_load.py")], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    api = json.loads(load.strip().splitlines()[-1])
    # Kept apart from `make bench`'s own API figure: this one was measured beside the peer.
    results.setdefault("qingdan", {})["api_create_beside_peer"] = api
    ratios = {}
    # Read side: the peer's median over ours, on SQLite at the same size (the peer runs SQLite).
    # Above 1 means Qingdan answers faster. The weekly figures are not the same work: the peer's
    # are two ORM aggregates, Qingdan's every KPI of a 20 k-problem week with its lists.
    pairs = {"list_page": ("b_list_json_median_ms", "unit_inbox"),
             "detail_page": ("d_ticket_detail_median_ms", "problem_detail"),
             "weekly_report": ("c_weekly_report_orm_median_ms", "weekly_bulletin")}  # fmt: skip
    for size, figures in peer.items():
        peer_rate = find(figures, "a_create_api_tickets_per_s")
        if peer_rate:
            ratios[f"api_create_rate_vs_peer_api_{size}"] = round(api["rate_per_s"] / peer_rate, 1)
        scenarios = results.get("qingdan", {}).get(f"sqlite-{size}", {}).get("scenarios", [])
        ours = {row["scenario"]: row for row in scenarios}
        for label, (peer_key, our_key) in pairs.items():
            theirs, mine = find(figures, peer_key), ours.get(our_key, {})
            mine = mine.get("median_ms") or mine.get("figures_median_ms")
            if theirs and mine:
                ratios[f"{label}_peer_over_qingdan_{size}"] = round(theirs / mine, 2)
    results["ratios"] = ratios
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    log(json.dumps({"api_create": api, "ratios": ratios}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
