"""Small text helpers shared by the comparison modules: word tokens, a light stemmer, word weights.

The stemmer is hand-written and deliberately crude (strip one common English suffix, keep at most
``STEM_CHARS`` characters): it only has to make "arrested"/"arrest" or "injuring"/"injured" meet,
and it must run on cached analyses without loading spaCy. Word weights come from a background
frequency list (``rashomon.cluster.features.rarity``, wordfreq's zipf scale), so that how much a
shared word counts never depends on the other articles being compared.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*", re.UNICODE)
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
STEM_CHARS = 7          # longer stems add little and split compounds' variants apart
MIN_RARITY = 0.5        # words commoner than zipf 5.5 ("the", "said", "was") carry no content weight
_SUFFIXES = ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: "Türkiye" -> "turkiye" (for comparing spellings, not for display)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ı", "i").replace("’", "'")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude stem of one word (see the module docstring)."""
    w = fold(word).strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:STEM_CHARS]


@lru_cache(maxsize=65536)
def weight(word: str, lang: str | None = "en") -> float:
    """Content weight of a word: its rarity on the zipf scale (0 for function words)."""
    from rashomon.cluster.features import rarity

    r = rarity(word.casefold().strip("'’-"), lang)
    return r if r > MIN_RARITY else 0.0


def content_stems(text: str, lang: str | None = "en") -> dict[str, float]:
    """Stems of a text's content words with their weight (the largest weight of words sharing a stem)."""
    out: dict[str, float] = {}
    for w in WORD.findall(text):
        wt = weight(w, lang)
        if wt > 0:
            s = stem(w)
            if wt > out.get(s, 0.0):
                out[s] = wt
    return out


def words_with_offsets(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    """(token, start, end) of every word or number token, offsets shifted by ``base``."""
    return [(m.group(), base + m.start(), base + m.end()) for m in TOKEN.finditer(text)]
