"""The language of an article body, as an ISO 639-1 code.

A full language identifier (py3langid) costs about a millisecond per page; most news bodies are
decided far sooner by their most frequent function words, so those are counted first (the lists
are data: ``data/language_words.json``); Korean and Japanese, which have no such words between
spaces, are told by their scripts (Hangul; kana); py3langid is asked only when neither decides.
"""
from __future__ import annotations

import json
import logging
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat

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


def _first_words(text: str, limit: int = 3000) -> list[str]:
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
