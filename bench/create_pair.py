"""Creation, Qingdan and the peer back to back on the same machine within minutes (the load of a
shared machine moves a lot between runs): Qingdan's in-process creation, the peer's benchmark,
Qingdan's again; both SQLite, the same history size, one client, one request at a time. Adds
``create_pair`` and its ratio to bench/results.json.

    python bench/create_pair.py --size 10000      (after `make bench` and `make bench-peer`
                                                   have built both databases at that size)
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer import JOURNALS, PEER, PEER_ROOT, find  # noqa: E402
from run import database_env, manage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def qingdan_create(size: int) -> dict:
    out = manage(
        database_env("sqlite", size),
        "shell",
        "-c",
        "import json; from qingdan.bench.scenarios import create_scenario; "
        "print(json.dumps(create_scenario()))",
        capture=True,
    )
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    load = [" ".join(f"{x:.1f}" for x in os.getloadavg())]
    before = qingdan_create(args.size)
    target = PEER_ROOT / f"result-pair-{args.size}.json"
    subprocess.run(
        [
            str(PEER_ROOT / "venv" / "bin" / "python"),
            str(PEER / "bench.py"),
            "--n",
            str(args.size),
            "--reps",
            "5",
            "--out",
            str(target),
            "--skip-builtin-report",
            "--skip-api-list",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    load.append(" ".join(f"{x:.1f}" for x in os.getloadavg()))
    peer_rate = find(json.loads(target.read_text()), "a_create_api_tickets_per_s")
    after = qingdan_create(args.size)
    load.append(" ".join(f"{x:.1f}" for x in os.getloadavg()))
    ours = round((before["rate_per_s"] + after["rate_per_s"]) / 2, 1)
    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text())
    results["create_pair"] = {
        "size": args.size,
        "qingdan_before": before,
        "qingdan_after": after,
        "peer_rate_per_s": peer_rate,
        "load_averages": load,
    }
    results.setdefault("ratios", {})[f"create_rate_back_to_back_{args.size}"] = {
        "value": round(ours / peer_rate, 2),
        "what": (
            f"creation through each REST API (POST, JSON), 200 requests each, in-process "
            f"test client, one client, one request at a time, SQLite, {args.size:,} "
            f"problems/tickets of history, run back to back (Qingdan, peer, Qingdan; load "
            f"averages {' → '.join(load)}): Qingdan {before['rate_per_s']}/s and "
            f"{after['rate_per_s']}/s (mean {ours}/s), peer {peer_rate}/s" + JOURNALS
        ),
    }
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(results["ratios"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
