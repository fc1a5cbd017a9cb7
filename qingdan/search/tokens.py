"""Chinese text to search tokens, and what people type to a query over them.

A document's tokens are of three kinds, all NFKC-normalised and lower-cased:

- **words**: rjieba's search-mode segmentation (the jieba-rs segmenter), with the park's user
  dictionary: unit names and short names, and the terms the secretariat keeps on the dictionary
  page (industry words and the park's own vocabulary are seeded);
- **bigrams**: every pair of adjacent Chinese characters of each run of Chinese text, and the
  run's last character alone. Whatever the segmenter decides, every two-character word in the
  text is a token (跳闸, 水费, 公交, 用地, 招工), and a single character is the start of a token;
- **latin and digit runs**: problem numbers, credit codes, "10kv".

A query is the words a person typed: each must match (AND). A Chinese word of two or more
characters matches through its bigrams (all of them), one character as a prefix; a latin or digit
run as a prefix (part of a credit code or number). Matching is therefore never at the mercy of the
segmenter; the segmenter's words serve ranking, similarity and routing.
"""

import functools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import rjieba

from qingdan.lib.bounds import MAX_SEARCH_CHARS

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECE = re.compile(f"[{CJK}]+|[a-z0-9]+")
_CJK_ONLY = re.compile(f"[{CJK}]+")

# Longest latin/digit token kept (a credit code has 18 characters; PostgreSQL refuses lexemes
# over 2 KB), most tokens kept for one document, longest query and most tokens in one query.
MAX_TOKEN_CHARS = 40
MAX_DOCUMENT_TOKENS = 5000
MAX_QUERY_CHARS = MAX_SEARCH_CHARS
MAX_QUERY_TOKENS = 40
# How often a process looks whether the user dictionary changed (seconds).
RECHECK_SECONDS = 30


def normalize(text) -> str:
    """Full-width letters and digits to half-width, lower case."""
    return unicodedata.normalize("NFKC", str(text or "")).lower()


def is_cjk(piece: str) -> bool:
    return bool(_CJK_ONLY.fullmatch(piece))


def pieces(text) -> list[str]:
    """Runs of Chinese characters and runs of latin letters/digits, in order; the rest (spaces,
    punctuation, symbols) separates them."""
    return _PIECE.findall(normalize(text))


def bigrams(run: str) -> list[str]:
    """Adjacent pairs of a run of Chinese characters, and its last character alone."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


# --- The segmenter and the park's user dictionary ----------------------------------------------

_lock = threading.Lock()
_state: dict = {"jieba": None, "signature": None, "checked": float("-inf")}


def _dictionary() -> tuple[object, list[str]]:
    """(signature, words) of the user dictionary, read from the database."""
    from qingdan.search.models import user_dictionary

    return user_dictionary()


def segmenter() -> rjieba.Jieba:
    """The process's segmenter with the current user dictionary (rebuilt when it changed; the
    database is asked at most every RECHECK_SECONDS)."""
    moment = time.monotonic()
    if _state["jieba"] is not None and moment - _state["checked"] < RECHECK_SECONDS:
        return _state["jieba"]
    with _lock:
        if _state["jieba"] is None or moment - _state["checked"] >= RECHECK_SECONDS:
            try:
                signature, words = _dictionary()
            except Exception:  # no table yet (migrations running): the plain dictionary
                signature, words = None, []
            if _state["jieba"] is None or signature != _state["signature"]:
                jieba = rjieba.Jieba()
                for word in words:
                    jieba.add_word(word, None, None)
                _state["jieba"] = jieba
                _state["signature"] = signature
            _state["checked"] = moment
    return _state["jieba"]


def forget() -> None:
    """Look at the user dictionary again on next use (after an edit in this process)."""
    _state["checked"] = float("-inf")


def words(text) -> list[str]:
    """The segmenter's words (search mode: long words and the shorter words inside them), split
    into Chinese and latin pieces; single Chinese characters are dropped."""
    found = []
    for token in segmenter().cut_for_search(normalize(text)):
        for piece in _PIECE.findall(token):
            if is_cjk(piece):
                if len(piece) >= 2:
                    found.append(piece)
            else:
                found.append(piece[:MAX_TOKEN_CHARS])
    return found


@functools.lru_cache(maxsize=50_000)
def _text_tokens(text: str, _segmenter_id: int) -> frozenset[str]:
    """One text's tokens. Cached: enterprise, category and unit names recur in every document
    (the segmenter's identity is in the key, so a dictionary change is never served stale)."""
    found: set[str] = set()
    for piece in pieces(text):
        if is_cjk(piece):
            found.update(bigrams(piece))
        else:
            found.add(piece[:MAX_TOKEN_CHARS])
    found.update(words(text))
    return frozenset(found)


def document(*texts) -> str:
    """The index tokens of a document made of ``texts``: space-separated, each once."""
    tokens: set[str] = set()
    current = id(segmenter())
    for text in texts:
        if not text:
            continue
        if len(text) > 200:  # a long description: not worth a place in the cache
            tokens.update(_text_tokens.__wrapped__(text, current))
        else:
            tokens.update(_text_tokens(text, current))
        if len(tokens) > MAX_DOCUMENT_TOKENS:
            break
    return " ".join(sorted(tokens)[:MAX_DOCUMENT_TOKENS])


# --- Queries ------------------------------------------------------------------------------------


@dataclass
class Query:
    """What a person typed: ``terms`` (normalised pieces, for highlighting and ranking) and the
    ``needles`` that must all be in a document's tokens: (token, is_prefix)."""

    text: str = ""
    terms: list[str] = field(default_factory=list)
    needles: list[tuple[str, bool]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.needles)


def parse(text) -> Query:
    text = normalize(text)[:MAX_QUERY_CHARS]
    query = Query(text=text.strip())
    for piece in pieces(text):
        if piece in query.terms:
            continue
        query.terms.append(piece)
        if is_cjk(piece) and len(piece) >= 2:
            wanted = [(pair, False) for pair in bigrams(piece)[:-1]]
        else:
            wanted = [(piece[:MAX_TOKEN_CHARS], True)]
        for needle in wanted:
            if needle not in query.needles:
                query.needles.append(needle)
    query.needles = query.needles[:MAX_QUERY_TOKENS]
    return query
