"""The language of an article body, as an ISO 639-1 code.

A full language identifier (py3langid) costs about a millisecond per page; most news bodies are
decided far sooner by their most frequent function words, so those are counted first (the lists
are data: ``data/language_words.json``); Korean and Japanese, which have no such words between
spaces, are told by their scripts (Hangul; kana); py3langid is asked only when neither decides.

``detect_languages`` decides many texts at once: the samples' words are found and looked up as
arrays (letter runs by a code-point table, words by hash, as in ``extract.chars``), so no word
string is built; only the texts that the function words leave undecided take the word-by-word path.
"""
from __future__ import annotations

import json
import logging
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from typing import Sequence

import numpy as np

from rashomon.extract import chars as C

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SAMPLE_WORDS = 150
MIN_HITS = 12          # function-word hits needed to decide without py3langid
MIN_MARGIN = 2.0       # best language's hits over the runner-up's
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile("[\u3040-\u30ff]")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, set[str]]:
    data = json.loads(resources.files("rashomon.extract").joinpath("data/language_words.json").read_text("utf-8"))
    return {lang: set(words) for lang, words in data.items() if not lang.startswith("_")}


@lru_cache(maxsize=1)
def _word_languages() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in _function_words().items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, C.HashSet, list[str], np.ndarray]:
    """Which code points up to U+FFFF are letters as ``_WORD`` reads them (``\\w`` but not a digit
    or "_"), the function words' hashes with the number of their set of languages, the languages in
    bit order, and which languages each set holds (a sets x languages matrix of 0 and 1)."""
    chars = [chr(c) for c in range(0x10000)]
    letters = (np.fromiter(map(str.isalnum, chars), dtype=bool, count=0x10000)
               & ~np.fromiter(map(str.isdecimal, chars), dtype=bool, count=0x10000))
    letters[ord("_")] = False
    langs = list(_function_words())
    if len(langs) > 62:
        raise ValueError("more languages than bits in an int64")
    words = sorted(_word_languages())
    bits = [sum(1 << langs.index(lang) for lang in _word_languages()[word]) for word in words]
    sets, which = np.unique(np.array(bits, dtype=np.int64), return_inverse=True)
    members = (sets[:, None] >> np.arange(len(langs))) & 1
    codes = C.CodeArrays.from_lines(words)
    return letters, C.HashSet(C.span_hashes(codes.codes, codes.start, codes.end), which), langs, members


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """``detect_language`` of each text. The function words of all samples are counted at once;
    a text they do not decide (or whose sample holds a character beyond U+FFFF) is read word by word."""
    samples = [text[:SAMPLE_WORDS * 8].lower() for text in texts]
    words, hits, wide = _count_hits(samples)
    again = [k for k, text in enumerate(texts)
             if words[k] <= SAMPLE_WORDS and len(text) > SAMPLE_WORDS * 8 and not wide[k]]
    if again:
        more_words, more_hits, more_wide = _count_hits([texts[k][:_LIMIT].lower() for k in again])
        words[again], hits[again], wide[again] = more_words, more_hits, more_wide
    top = hits.max(axis=1)
    runner_up = np.sort(hits, axis=1)[:, -2] if hits.shape[1] > 1 else np.zeros(len(texts), dtype=np.int64)
    decided = (np.minimum(words, SAMPLE_WORDS) >= 3) & (top >= MIN_HITS) & (top >= MIN_MARGIN * runner_up) & ~wide
    langs = _tables()[2]
    best = hits.argmax(axis=1).tolist()
    return [langs[best[k]] if sure else detect_language(texts[k])
            for k, sure in enumerate(decided.tolist())]


def _count_hits(samples: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sample: its number of words (letter runs), the function-word hits of each language among
    its first ``SAMPLE_WORDS`` words (a samples x languages matrix), and whether it holds a code point
    beyond the letter table (then the counts are not to be trusted)."""
    letters, function_words, langs, members = _tables()
    n = len(samples)
    text = "\n".join(samples)      # a line break is no letter: runs stay inside their sample
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lengths = np.fromiter(map(len, samples), dtype=np.intp, count=n)
    sample_start = np.cumsum(lengths + 1) - lengths - 1
    wide_at = np.flatnonzero(codes > 0xFFFF)
    wide = np.zeros(n, dtype=bool)
    wide[np.searchsorted(sample_start, wide_at, side="right") - 1] = True
    edges = np.flatnonzero(np.diff(letters.take(codes, mode="clip"), prepend=False, append=False))
    start, end = edges[0::2], edges[1::2]
    sample = np.searchsorted(sample_start, start, side="right") - 1
    words = np.bincount(sample, minlength=n)
    rank = np.arange(len(start)) - (np.cumsum(words) - words).take(sample, mode="clip")
    first = rank < SAMPLE_WORDS
    found = function_words.find(C.span_hashes(codes, start[first], end[first]))
    hit = found > 0
    sets = len(members)
    # Hits per sample and set of languages, then per language: a set's hits count for each member.
    cell = sample[first][hit] * sets + function_words.values[found[hit]]
    per_set = np.bincount(cell, minlength=n * sets).reshape(n, sets)
    return words, per_set @ members, wide


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for text too short or unidentifiable."""
    words = _first_words(text)
    if len(words) < 3:
        return None
    index = _word_languages()
    hits = Counter(chain.from_iterable(map(index.get, words, repeat((), len(words)))))
    ranked = hits.most_common(2)
    if ranked:
        best, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if count >= MIN_HITS and count >= MIN_MARGIN * runner_up:
            return best
    sample = " ".join(words)
    by_script = _script_language(sample)
    return by_script or _identify(sample)


def _script_language(sample: str) -> str | None:
    """Korean when most letters are Hangul, Japanese when kana are frequent; else None."""
    letters = len(sample) - sample.count(" ")
    if not letters:
        return None
    if len(_HANGUL.findall(sample)) * 2 >= letters:
        return "ko"
    if len(_KANA.findall(sample)) * 10 >= letters:
        return "ja"
    return None


_LIMIT = 3000


def _first_words(text: str, limit: int = _LIMIT) -> list[str]:
    """The first ``SAMPLE_WORDS`` lower-cased words of ``text[:limit]``. A short prefix is read first:
    when it holds more words than needed, its first ones are those of the whole sample."""
    for size in (SAMPLE_WORDS * 8, limit):
        words = _WORD.findall(text[:size].lower())
        if len(words) > SAMPLE_WORDS or size >= min(limit, len(text)):
            return words[:SAMPLE_WORDS]
    return words[:SAMPLE_WORDS]


def _identify(sample: str) -> str | None:
    try:
        import py3langid
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("py3langid is not installed; language left unknown")
        return None
    lang, _score = py3langid.classify(sample)
    return lang
