"""Measured quality: routing accuracy on the labelled problems, duplicate detection on the
labelled pairs (data/labelled_problems.tsv, data/duplicate_pairs.tsv; docs/SEARCH.md says how
they were written)."""

import csv
from pathlib import Path

from qingdan.search.features import Idf, content_words
from qingdan.search.learned import Learned
from qingdan.search.similar import DUPLICATE_THRESHOLD, pair_score

DATA = Path(__file__).parent / "data"


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )


def labelled_problems() -> list[dict]:
    return _read("labelled_problems.tsv")


def duplicate_pairs() -> list[dict]:
    return _read("duplicate_pairs.tsv")


def routing_accuracy(model: Learned, unit_ids: dict[str, int], problems=None) -> dict:
    """Top-1 and top-3 accuracy of ``model`` on the labelled problems; ``unit_ids`` maps the
    labels' unit short names to the units' ids in the model."""
    problems = problems if problems is not None else labelled_problems()
    top1 = top3 = 0
    misses = []
    for row in problems:
        scores = model.scores(content_words(row["title"], row["description"]), row["category"])
        ranked = sorted(scores, key=lambda unit: (-scores[unit], unit))[:3]
        wanted = unit_ids.get(row["unit"])
        top1 += bool(ranked) and ranked[0] == wanted
        top3 += wanted in ranked
        if not ranked or ranked[0] != wanted:
            misses.append(row["id"])
    n = len(problems)
    return {"n": n, "top1": round(top1 / n, 4), "top3": round(top3 / n, 4), "misses": misses}


def pair_scores(idf: Idf, pairs=None) -> list[tuple[float, bool]]:
    by_id = {row["id"]: row for row in labelled_problems()}

    def words(side: str) -> set[str]:
        if side in by_id:
            return content_words(by_id[side]["title"], by_id[side]["description"])
        title, _bar, description = side.partition("｜")
        return content_words(title, description)

    pairs = pairs if pairs is not None else duplicate_pairs()
    return [
        (
            pair_score(
                words(p["a"]),
                words(p["b"]),
                idf,
                same_enterprise=p["same_enterprise"] == "1",
                same_category=p["same_category"] == "1",
                same_zone=p["same_zone"] == "1",
            ),
            p["duplicate"] == "1",
        )
        for p in pairs
    ]


def precision_recall(scored: list[tuple[float, bool]], threshold: float) -> dict:
    tp = sum(1 for score, same in scored if score >= threshold and same)
    fp = sum(1 for score, same in scored if score >= threshold and not same)
    fn = sum(1 for score, same in scored if score < threshold and same)
    return {
        "n": len(scored),
        "threshold": threshold,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
    }


def duplicate_quality(idf: Idf, threshold: float = DUPLICATE_THRESHOLD) -> dict:
    """Precision and recall at ``threshold`` on all pairs, and on the half the threshold was not
    chosen on (odd rows; it was chosen on the even rows: ``choose_threshold``)."""
    scored = pair_scores(idf)
    return {
        "all": precision_recall(scored, threshold),
        "held_out": precision_recall(scored[1::2], threshold),
    }


def choose_threshold(idf: Idf, precision: float = 0.95) -> float:
    """The lowest threshold (in steps of 0.05) with at least ``precision`` on the even rows."""
    tuning = pair_scores(idf)[0::2]
    for step in range(4, 20):
        threshold = step / 20
        if precision_recall(tuning, threshold)["precision"] >= precision:
            return threshold
    return 1.0
