"""Write bench/results.json as the "Latest figures" tables of docs/PERFORMANCE.md."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def table(results: dict) -> str:
    runs = results.get("qingdan", {})
    columns = sorted(
        (key for key in runs if key.startswith(("sqlite-", "postgres-"))),
        key=lambda k: (k.split("-")[0] != "sqlite", int(k.split("-")[1])),
    )
    head = "| scenario | " + " | ".join(columns) + " |\n|---|" + "---:|" * len(columns) + "\n"
    rows = {}
    for column in columns:
        for row in runs[column]["scenarios"]:
            name = row["scenario"]
            if name == "api_create_in_process":
                rows.setdefault(
                    "creation through the REST API, in-process, one client "
                    f"({row['requests']} requests): per s; median / p95 ms",
                    {},
                )[
                    column
                ] = f"{row['rate_per_s']}/s; {row['median_ms']} / {row['p95_ms']} (n={row['n']})"
            elif "p95_ms" in row:
                cell = f"{row['median_ms']} / {row['p95_ms']} (n={row['n']})"
                if row.get("floor"):
                    cell += f"; floor {row['floor']['median_ms']}"
                elif row.get("reference"):
                    cell += f"; reference {row['reference']['median_ms']}"
                rows.setdefault(f"{name}: median / p95 ms", {})[column] = cell
            if name == "raise_index_overhead":
                label = "raise with / without the search index, median ms (overhead)"
                rows.setdefault(label, {})[column] = (
                    f"{row['with_index']['median_ms']} / {row['without_index']['median_ms']} "
                    f"({row['overhead_pct']:+}%; floor {row['floor']['median_ms']})"
                )
            if name == "excel_import":
                rows.setdefault(f"Excel import of {row['rows']} rows (read, check, import), s", {})[
                    column
                ] = f"{row['read_s']} + {row['validate_s']} + {row['import_s']} = {row['total_s']}"
            if "figures_median_ms" in row:
                reference = row.get("reference_group_by_median_ms", "—")
                rows.setdefault("weekly bulletin figures, ms (problems in the week)", {})[
                    column
                ] = (
                    f"{row['figures_median_ms']} "
                    f"({row.get('week_problems', '?')} problems; "
                    f"reference GROUP BY {reference})"
                )
                rows.setdefault("weekly bulletin PDF, ms", {})[column] = row["pdf_median_ms"]
                rows.setdefault("bulletin generator peak RSS, MB", {})[column] = row["peak_rss_mb"]
    for column in columns:
        if runs[column].get("generate_s"):
            rows.setdefault("generate the province, s", {})[column] = runs[column]["generate_s"]
    body = "".join(
        f"| {name} | " + " | ".join(str(cells.get(c, "—")) for c in columns) + " |\n"
        for name, cells in rows.items()
    )
    extra = ""
    for label, key in (
        ("`make bench`", "api_create"),
        ("`make bench-peer`", "api_create_beside_peer"),
    ):
        api = runs.get(key)
        if not api:
            continue
        extra += (
            f"\nAPI creation under load, {label}, on the demo park (a few hundred problems of "
            f"history, not a benchmark province; no peer figure was measured this way) "
            f"({api['server']}, {api['connections']} clients, "
            f"{api['seconds']} s): "
            f"**{api['rate_per_s']} requests/s**, p50 {api['p50_ms']} ms, "
            f"**p95 {api['p95_ms']} ms**, "
            f"p99 {api['p99_ms']} ms, {api['non_2xx']} non-2xx; peak RSS of all web workers "
            f"{api['peak_rss_mb_all_workers']} MB (the largest worker "
            f"{api.get('peak_rss_mb_one_worker', '?')} MB).\n"
        )
    for key, value in results.get("ratios", {}).items():
        if isinstance(value, dict):
            extra += f"\nRatio `{key}`: **{value['value']}×** — {value['what']}.\n"
    peer = results.get("peer", {})
    for size, figures in peer.items():
        summary = figures.get("summary", figures)
        rate = summary.get("a_create_api_tickets_per_s")
        if rate:
            extra += (
                f"\nPeer (django-helpdesk, in-process test client, one client, SQLite) at "
                f"{int(size):,} tickets: API creation {rate} tickets/s.\n"
            )
    quality = runs.get("search_quality")
    if quality:
        extra += (
            f"\nSearch quality on the demo park ({quality['history_problems']} problems of "
            f"history): routing top-1 **{quality['routing_top1']:.1%}**, top-3 "
            f"**{quality['routing_top3']:.1%}** on {quality['labelled_problems']} labelled "
            f"problems; duplicates at {quality['duplicate_threshold']}: precision "
            f"**{quality['duplicate_precision']:.1%}**, recall "
            f"**{quality['duplicate_recall']:.1%}** on {quality['labelled_pairs']} labelled "
            f"pairs (held-out half: "
            f"{quality['duplicate_precision_held_out']:.1%} / "
            f"{quality['duplicate_recall_held_out']:.1%}).\n"
        )
    meta = results.get("meta", {})
    legend = (
        "Each cell: median / p95 in ms over n samples (p95 only with n ≥ 100); a **floor** "
        "is raw SQL answering the same question on the same database, a **reference** raw "
        "SQL doing only part of the work (not a bound).\n\n"
    )
    return (
        f"Measured {meta.get('measured_at', '?')} on {meta.get('machine', '?')}, "
        f"commit {meta.get('commit', '?')}, load average {meta.get('load', '?')}. "
        f"Columns: database and problems of history.\n\n" + legend + head + body + extra
    )


def main() -> None:
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    text = DOC.read_text()
    new = re.sub(f"{START}.*{END}", f"{START}\n{table(results)}{END}", text, flags=re.S)
    DOC.write_text(new)


if __name__ == "__main__":
    main()
