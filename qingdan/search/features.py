"""What similarity and routing read of a problem: its content words, weighted by how rare they are
in the park's history.

Content words are the segmenter's search-mode words of the title and description (two Chinese
characters or more, and latin words such as "10kv"), without the words every problem has
(希望, 企业, 反映, 尽快, 协调解决…) and without bare numbers.
"""

import math
import re
from pathlib import Path

from qingdan.search import tokens

STOPWORDS = frozenset(
    word
    for line in (Path(__file__).parent / "data" / "stopwords.txt").read_text().splitlines()
    if not line.startswith("#")
    for word in line.split()
)
_DIGITS = re.compile(r"\d+")


def content_words(*texts) -> set[str]:
    found = set()
    for text in texts:
        for word in tokens.words(text):
            if word in STOPWORDS or _DIGITS.fullmatch(word) or len(word) < 2:
                continue
            found.add(word)
    return found


class Idf:
    """Inverse document frequency from the history the routing model was trained on (``df``
    counts of ``n`` problems). A word never seen counts as the rarest."""

    def __init__(self, df: dict[str, int] | None = None, n: int = 0):
        self.df = df or {}
        self.n = n
        self.rarest = math.log(n + 1) + 1.0

    def __call__(self, word: str) -> float:
        seen = self.df.get(word)
        if seen is None:
            return self.rarest
        return math.log((self.n + 1) / (seen + 1)) + 1.0


def cosine(a: set[str], b: set[str], idf: Idf) -> float:
    """Cosine of the two word sets, each word weighted by its idf."""
    if not a or not b:
        return 0.0
    shared = sum(idf(w) ** 2 for w in a & b)
    if not shared:
        return 0.0
    norm_a = math.sqrt(sum(idf(w) ** 2 for w in a))
    norm_b = math.sqrt(sum(idf(w) ** 2 for w in b))
    return shared / (norm_a * norm_b)
