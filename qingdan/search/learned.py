"""The routing model in use: the latest ``RoutingModel`` row, loaded once per process and looked
up again at most every minute (a nightly or on-demand training is picked up without a restart)."""

import math
import threading
import time
from dataclasses import dataclass, field

from qingdan.search.features import Idf

RECHECK_SECONDS = 60
# How much the category's history weighs against the words (tuned on the demo history by
# leave-one-out, never on the labelled set: see docs/SEARCH.md).
CATEGORY_WEIGHT = 0.2


@dataclass
class Learned:
    """What training learned (see ``routing.train``): word rarity, each unit's centroid of word
    weights (returns subtracted), and which units handled each category."""

    model_id: tuple | None = None  # (id, trained_at) of the RoutingModel row
    idf: Idf = field(default_factory=Idf)
    units: dict[int, dict[str, float]] = field(default_factory=dict)  # unit → centroid
    returns: dict[int, dict[str, float]] = field(default_factory=dict)  # of returned problems
    norms: dict[int, float] = field(default_factory=dict)
    category_units: dict[str, dict[int, float]] = field(default_factory=dict)

    @classmethod
    def from_payload(cls, model_id, payload: dict) -> "Learned":
        units = {int(k): v for k, v in payload.get("units", {}).items()}
        return cls(
            model_id=model_id,
            idf=Idf(payload.get("df", {}), payload.get("n", 0)),
            units=units,
            returns={int(k): v for k, v in payload.get("returns", {}).items()},
            norms={unit: math.sqrt(sum(w * w for w in c.values())) for unit, c in units.items()},
            category_units={
                code: {int(k): v for k, v in shares.items()}
                for code, shares in payload.get("category_units", {}).items()
            },
        )

    def word_scores(self, words: set[str]) -> dict[int, float]:
        """Per unit: the words' cosine (idf-weighted) with its centroid, times the share of its
        evidence for such words that is not returns."""
        if not words:
            return {}
        weights = {w: self.idf(w) for w in words}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        scores = {}
        for unit, centroid in self.units.items():
            handled = sum(weight * centroid.get(word, 0.0) for word, weight in weights.items())
            if handled <= 0 or not self.norms.get(unit):
                continue
            against = self.returns.get(unit, {})
            returned = sum(weight * against.get(word, 0.0) for word, weight in weights.items())
            scores[unit] = handled / (norm * self.norms[unit]) * handled / (handled + returned)
        return scores

    def scores(self, words: set[str], category: str | None) -> dict[int, float]:
        """Each unit's score in [0, 1]: the words' cosine with the unit's centroid, blended with
        the unit's share of the category's history."""
        by_words = self.word_scores(words)
        shares = self.category_units.get(category or "", {})
        weight = CATEGORY_WEIGHT if shares else 0.0
        if not by_words:
            weight = 1.0 if shares else 0.0
        return {
            unit: (1 - weight) * by_words.get(unit, 0.0) + weight * shares.get(unit, 0.0)
            for unit in set(by_words) | set(shares)
        }


_lock = threading.Lock()
_state: dict = {"learned": Learned(), "checked": float("-inf")}


def current() -> Learned:
    moment = time.monotonic()
    if moment - _state["checked"] < RECHECK_SECONDS:
        return _state["learned"]
    with _lock:
        from qingdan.search.models import RoutingModel

        latest = (
            RoutingModel.objects.order_by("-trained_at", "-id")
            .values_list("pk", "trained_at")
            .first()
        )
        if latest != _state["learned"].model_id:
            if latest is None:
                _state["learned"] = Learned()
            else:
                payload = RoutingModel.objects.values_list("payload", flat=True).get(pk=latest[0])
                _state["learned"] = Learned.from_payload(latest, payload)
        _state["checked"] = moment
    return _state["learned"]


def forget() -> None:
    _state["checked"] = float("-inf")
