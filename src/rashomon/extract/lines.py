"""Scraped page text as lines with measurements, for the body classifier of ``extract.text``.

A page copied from a browser is a list of lines: menus are runs of short lines, paragraphs are long
lines between blank lines, captions end in a photo credit, feeds of other stories follow a heading
such as "More news". ``read_pages`` splits each page into lines and blocks (blank lines separate
blocks), measures each line (length, sentence end, capitalisation, share of function words, cues
from ``extract.cues``, overlap with the URL's slug) and finds each page's headline anchor;
``extract.features`` turns the lines into the classifier's feature matrix.

Why hand-written: readability-style libraries (trafilatura, jusText) classify HTML elements and
need the markup; once a page is flattened to text no library classifies its lines.

Why batches: the cleaner must read thousands of pages per second, and Python spends ~0.1 µs on each
operation on a line. ``read_pages`` reads many pages at once: Python only splits the text into lines
and runs regular expressions on the few lines that an array test marks as candidates (cue patterns,
line endings, date lines); everything else is numpy over the batch's code points
(``extract.chars``) and lines (``extract.segments``), one call per batch. ``read_page`` is a batch
of one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Sequence
from urllib.parse import unquote, urlsplit

import numpy as np

from rashomon.extract import chars as C
from rashomon.extract.cues import CUE_BIT, CueTable
from rashomon.extract.linecues import LowerTexts, line_cues
from rashomon.extract.segments import Segments

CUES = CueTable.load()
FUNCTION_WORDS = frozenset(json.loads(
    resources.files("rashomon.extract").joinpath("data", "function_words.json").read_text("utf-8"))["words"])
_FUNCTION_SET = C.HashSet(C.hash_strings(sorted(FUNCTION_WORDS)))
PROSE_WORDS = 12      # a line this long that ends a sentence is prose
HEAD_CHARS = 80       # function words are counted in a line's first characters
DATE_BIT = CUE_BIT["date"]
_NOT_TITLE = sum(CUE_BIT.values())  # a line matching any cue is not a headline
_UNCLEAR = CUE_BIT["caption"] | CUE_BIT["newsletter"] | CUE_BIT["comment"]
_NUMBER = np.uint64(0x5DEECE66D)  # the hash that stands for any word holding a digit in a fingerprint


@dataclass
class Pages:
    """Non-empty lines of a batch of pages, concatenated, with per-line measurements (arrays)."""

    lines: LineTexts
    urls: list[str | None]
    seg: Segments
    block: np.ndarray          # block number (blank lines separate blocks; unique across the batch)
    words: np.ndarray
    chars: np.ndarray
    sentence_end: np.ndarray
    cues: np.ndarray           # bits of ``CUE_BIT``
    prose: np.ndarray
    capitalized: np.ndarray    # share of words starting upper-case
    function_share: np.ndarray
    commas: np.ndarray
    sentences: np.ndarray      # ". " inside the line
    punctuation: np.ndarray
    last_char: np.ndarray      # code point of the line's last character
    colon_end: np.ndarray
    starts_lower: np.ndarray
    starts_digit: np.ndarray
    repeated: np.ndarray       # the line occurs twice or more on its page (case ignored)
    slug_overlap: np.ndarray
    fingerprints: np.ndarray   # ``templates`` keys: words lower-cased, words with digits alike
    prose_span: np.ndarray     # per page: local [start, end) of the densest prose
    anchor: np.ndarray         # per page: local index of the headline, -1 for none

    def __len__(self) -> int:
        return len(self.lines)

    def title_scores(self, prose_start: np.ndarray, *, include_start: bool) -> np.ndarray:
        """How much each line looks like the headline of the prose that starts at its page's
        ``prose_start`` (local); -1 outside the 40 lines before it (``include_start``: and at it)."""
        seg = self.seg
        distance = prose_start.take(seg.page, mode="clip") - seg.local
        w = self.words
        ok = ((w >= 3) & (w <= 30) & ((self.cues & _NOT_TITLE) == 0) & (distance <= 40)
              & (distance >= (0 if include_start else 1)))
        last = self.last_char
        score = 2.5 * self.slug_overlap + 1.0 / (1.0 + np.maximum(distance, 0) / 4.0)
        score += 0.5 * (~self.sentence_end | (last == 63) | (last == 33))
        score += 0.3 * ((w >= 5) & (w <= 20)) - 0.8 * self.prose
        same = (seg.prev(self.block, -1) == self.block).astype(int) + (seg.next(self.block, -1) == self.block)
        return np.where(ok, score - 0.2 * same, -1.0)

    def best_titles(self, prose_start: np.ndarray, *, include_start: bool) -> np.ndarray:
        """Per page, the local index of the most title-like line scoring above 0.5, else -1."""
        scores = self.title_scores(prose_start, include_start=include_start)
        best = self.seg.argmax(scores, scores > 0.5)
        return np.where(best >= 0, best - self.seg.offsets[:-1], -1)


class LineTexts(Sequence[str]):
    """The non-empty lines of a batch as strings, cut from the batch's text when asked for (most
    lines are never read as strings). Lines with tabs, odd spaces or runs of spaces come out with
    single spaces."""

    def __init__(self, text: str, start: list[int], end: list[int], odd: set[int], base: int = 0,
                 size: int | None = None) -> None:
        self._text, self._start, self._end, self._odd, self._base = text, start, end, odd, base
        self._size = len(start) - base if size is None else size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):
        if type(i) is int and 0 <= i < self._size:  # the usual case first
            k = self._base + i
            if k in self._odd:
                return " ".join(self._text[self._start[k]:self._end[k]].split())
            return self._text[self._start[k]:self._end[k]]
        if isinstance(i, slice):
            lo, hi, step = i.indices(self._size)
            if step == 1:
                return LineTexts(self._text, self._start, self._end, self._odd, self._base + lo, max(0, hi - lo))
            return [self[k] for k in range(lo, hi, step)]
        i = int(i)
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(i)
        return self[i]

    def join(self, indices: list[int], separator: str) -> str:
        """The lines at ``indices`` joined with ``separator``."""
        text, start, end, base, odd = self._text, self._start, self._end, self._base, self._odd
        parts = [text[start[base + i]:end[base + i]] for i in indices]
        if odd:
            for j, i in enumerate(indices):
                if base + i in odd:
                    parts[j] = " ".join(parts[j].split())
        return separator.join(parts)

    def first_chars(self, indices: list[int]) -> list[str]:
        """The first character of each line at ``indices`` (lines are stripped: it is no space)."""
        text, start, base = self._text, self._start, self._base
        return [text[start[base + i]] for i in indices]

    def raw(self, i: int) -> str:
        """Line ``i`` as it is in the text (offsets measured by the arrays hold in it)."""
        k = self._base + i
        return self._text[self._start[k]:self._end[k]]


def read_page(raw_text: str, url: str | None = None, *, fingerprints: bool = False) -> Pages:
    """One page read as a batch of one."""
    return read_pages([raw_text], [url], fingerprints=fingerprints)


def read_pages(texts: list[str], urls: list[str | None] | None = None, *, fingerprints: bool = False) -> Pages:
    """Split pages into non-empty lines and blocks, measure the lines and find each headline.
    ``fingerprints``: also compute the template memory's line keys. The pages are read as one
    text: lines are found where ``str.splitlines`` would split, and stripped, by array operations."""
    urls = list(urls) if urls is not None else [None] * len(texts)
    a = C.CodeArrays("\n".join(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    page_start = np.cumsum(lengths + 1) - lengths - 1
    raw_page = np.searchsorted(page_start, a.start, side="right") - 1
    start, end = a.strip(a.start, a.end, C.SPACE)
    blank = end <= start
    breaks = blank.copy()                 # a run of blank lines ends a block ...
    breaks[1:] &= ~blank[:-1]
    breaks[np.flatnonzero(np.diff(raw_page, prepend=-1))] = True  # ... and so does a new page
    keep = ~blank
    block = np.cumsum(breaks)[keep]
    a.set_lines(start[keep], end[keep])
    seg = Segments(np.concatenate(([0], np.cumsum(np.bincount(raw_page[keep], minlength=len(texts))))))
    lines = LineTexts(a.text, a.start.tolist(), a.end.tolist(), _odd_spacing(a))
    m = _Measure(lines, urls, seg, a)
    n = len(lines)
    pages = Pages(
        lines=lines, urls=urls, seg=seg, block=block, words=m.words, chars=a.end - a.start,
        sentence_end=m.sentence_end, cues=m.cues, prose=m.prose, capitalized=m.capitalized,
        function_share=m.function_share, commas=m.commas, sentences=m.sentences, punctuation=m.punctuation,
        last_char=m.last, colon_end=m.last == 58,
        starts_lower=a.has(a.start, C.LOWER) if n else np.zeros(0, dtype=bool),
        starts_digit=a.has(a.start, C.DIGIT) if n else np.zeros(0, dtype=bool),
        repeated=m.repeated(), slug_overlap=m.slug_overlaps(),
        fingerprints=m.fingerprints() if fingerprints else np.zeros(0, dtype=np.uint64),
        prose_span=np.zeros((seg.count, 2), dtype=np.intp), anchor=np.full(seg.count, -1, dtype=np.intp))
    pages.prose_span = np.column_stack(main_prose_spans(pages))
    pages.anchor = find_anchors(pages)
    return pages


def _odd_spacing(a: C.CodeArrays) -> set[int]:
    """Lines holding a space other than " " or two spaces in a row."""
    spaces = a.spaces
    if len(spaces) < 2 or len(a.start) == 0:
        return set()
    odd = (a.codes.take(spaces, mode="clip") != 32) & ((a.classes.take(spaces, mode="clip") & C.BREAK) == 0)
    odd[1:] |= np.diff(spaces) == 1
    at = spaces[odd]
    line = a.line_of(at)
    inside = (line >= 0) & (at >= a.start.take(np.maximum(line, 0), mode="clip")) & (at < a.end.take(np.maximum(line, 0), mode="clip"))
    return set(line[inside].tolist())


class _Measure:
    """The per-line measurements of ``read_pages``, from the batch's code points and words."""

    def __init__(self, lines: LineTexts, urls: list[str | None], seg: Segments, arrays: C.CodeArrays) -> None:
        self.lines, self.urls, self.seg, self.a = lines, urls, seg, arrays
        a = arrays
        n = len(lines)
        self.token_start, self.token_end = a.tokens()
        self.token_hash = a.hash(self.token_start, self.token_end)   # read by function words and fingerprints
        self.token_line = a.line_of(self.token_start)
        self.tokens = np.bincount(self.token_line, minlength=n)
        self.last = a.codes[a.end - 1].astype(np.int64) if n else np.zeros(0, dtype=np.int64)
        words = self.tokens.copy()
        # Text written without spaces (Chinese, Japanese) counts one word per two characters.
        lengths = a.end - a.start
        long = np.flatnonzero(lengths > 10 * words)
        text, starts, ends = a.text, a.start.take(long).tolist(), a.end.take(long).tolist()
        wide = long[np.array([not text[s:e].isascii() and not lines[i].isascii()   # (spacing aside)
                              for i, s, e in zip(long.tolist(), starts, ends)], dtype=bool)]
        words[wide] = lengths[wide] // 2
        self.words = words
        upper_first = a.has(self.token_start, C.UPPER)
        self.capitalized = np.bincount(self.token_line, weights=upper_first, minlength=n) / np.maximum(words, 1)
        self._punctuation()
        self.sentence_end = self._sentence_ends()
        self.function_share = self._function_shares()
        self.low = LowerTexts(arrays, seg)
        self.cues = line_cues(CUES, arrays, seg, self.low, words, self.token_start, self.tokens, self.colons)
        self.prose = ((words >= PROSE_WORDS) & (self.sentence_end | (words >= 2 * PROSE_WORDS))
                      & ((self.cues & _UNCLEAR) == 0))

    def _line_of(self, positions: np.ndarray) -> np.ndarray:
        return self.a.line_of(positions)

    def _punctuation(self) -> None:
        """Commas, punctuation marks and sentence breaks (". ") per line; colons kept for endings."""
        a, n = self.a, len(self.lines)
        at = a.marks()[0]
        line = self._line_of(at)
        code = a.codes.take(at, mode="clip")
        self.commas = np.bincount(line[code == 44], minlength=n)
        self.punctuation = np.bincount(line, minlength=n)
        follow = np.minimum(at + 1, len(a) - 1)
        self.sentences = np.bincount(line[(code == 46) & (a.codes[follow] == 32) & (at + 1 < len(a))], minlength=n)
        self.colons = at[code == 58]

    def _sentence_ends(self) -> np.ndarray:
        """The line ends with a sentence end, maybe followed by closing quotes or brackets."""
        a = self.a
        start, end = a.strip(a.start, a.end, C.CLOSER, left=False)
        ends = end > start
        ends[ends] = a.has(end[ends] - 1, C.TERMINAL)
        return ends

    def _function_shares(self) -> np.ndarray:
        """Share of function words among the words that start in the line's first ``HEAD_CHARS``
        characters, for lines of six words or more. A line's words are consecutive among the
        batch's words, so its head is a range of them and its function words a difference of
        running counts; only the word cut at the limit is hashed again, shortened."""
        a = self.a
        first = np.cumsum(self.tokens) - self.tokens              # each line's first word
        limit = a.start + HEAD_CHARS
        stop = np.minimum(np.searchsorted(self.token_start, limit), first + self.tokens)
        counted = np.where(self.words >= 6, stop - first, 0)      # words in the head
        found = _FUNCTION_SET.has(self.token_hash)
        running = np.concatenate(([0], np.cumsum(found)))
        hits = running.take(first + counted, mode="clip") - running.take(first, mode="clip")
        lines = np.flatnonzero(counted)
        last = (first + counted - 1).take(lines, mode="clip")   # the head's last word
        cut = self.token_end.take(last, mode="clip") > limit.take(lines, mode="clip")
        lines, last = lines[cut], last[cut]
        if len(lines):   # a word cut at the limit counts by its head part
            shortened = _FUNCTION_SET.has(a.hash(self.token_start.take(last, mode="clip"),
                                                 limit.take(lines, mode="clip")))
            hits[lines] += shortened.astype(np.int64) - found.take(last, mode="clip")
        return hits / np.maximum(counted, 1)

    def repeated(self) -> np.ndarray:
        """Lines that occur twice or more on their page (case ignored)."""
        a = self.a
        if len(self.lines) == 0:
            return np.zeros(0, dtype=bool)
        key = a.hash(a.start, a.end) ^ (self.seg.page.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        return counts[inverse] > 1

    def fingerprints(self) -> np.ndarray:
        """Template-memory keys of the lines (``line_fingerprints``)."""
        return _fingerprints(self.a, self.token_start, self.tokens, self.token_hash)

    def slug_overlaps(self) -> np.ndarray:
        """How well each line matches its page's URL slug: Dice overlap of the slug's words found
        in the lower-cased line (as substrings, so "ve-culos" still finds "veículos") and the line's
        words, for lines of 3 to 40 words that hold one of the slug's first three words (function
        words aside). Those lines are found with ``str.find`` in the batch's lower-cased text."""
        n, seg = len(self.lines), self.seg
        out = np.zeros(n)
        slugs = [_slug_words(url) for url in self.urls]
        todo = [k for k, slug in enumerate(slugs) if len(slug) >= 3 and seg.sizes[k]]
        if not todo:
            return out
        # Where the slugs' first words occur (batch offsets), then the lines holding them.
        at: list[int] = []
        for k in todo:
            low, base = self.low.page(k)
            for word in [w for w in slugs[k][:3] if w not in FUNCTION_WORDS]:
                i = low.find(word)
                while i >= 0:
                    at.append(base + i)
                    i = low.find(word, i + len(word))
        lines = np.unique(self.a.line_of(np.array(at, dtype=np.intp)))
        w = self.words.take(lines, mode="clip")
        lines = lines[(w >= 3) & (w <= 40)]
        texts, lo, hi = self.low.locate(lines, self.a.start.take(lines, mode="clip"), self.a.end.take(lines, mode="clip"))
        page, words = seg.page.take(lines, mode="clip").tolist(), self.words.take(lines, mode="clip").tolist()
        out[lines] = [2.0 * sum(map(text[s:e].__contains__, slugs[k])) / (len(slugs[k]) + n)
                      for text, s, e, k, n in zip(texts, lo, hi, page, words)]
        return out


def _fingerprints(a: C.CodeArrays, token_start: np.ndarray, tokens: np.ndarray, token_hash: np.ndarray) -> np.ndarray:
    """A hash of each line's words, lower-cased, every word holding a digit counted as the same word
    (dates and counts vary from page to page): a polynomial hash over the words' own hashes."""
    words = token_hash.copy()
    digits = a.marks()[1]
    words[np.searchsorted(token_start, digits, side="right") - 1] = _NUMBER
    up, down = C._POWERS.get(len(words) + 1)
    prefix = np.zeros(len(words) + 1, dtype=np.uint64)
    np.cumsum(words * up[:len(words)], out=prefix[1:])
    last = np.cumsum(tokens)
    first = last - tokens
    return (prefix.take(last, mode="clip") - prefix.take(first, mode="clip")) * down.take(first, mode="clip")


def line_fingerprints(lines: list[str]) -> np.ndarray:
    """Template-memory keys of single lines, as ``read_pages`` computes them (blank lines: 0)."""
    cleaned = [" ".join(line.split()) for line in lines]  # the words are what counts
    a = C.CodeArrays.from_lines(cleaned)
    start, end = a.tokens()
    tokens = np.bincount(np.searchsorted(a.start, start, side="right") - 1, minlength=len(cleaned))
    return _fingerprints(a, start, tokens, a.hash(start, end))


def _slug_words(url: str | None) -> list[str]:
    """Words of the URL's last meaningful path segment ("media-putin-plans-to-visit-turkey")."""
    if not url:
        return []
    path = urlsplit(url).path
    if "%" in path:
        path = unquote(path)
    for segment in reversed(path.split("/")):
        if not segment:
            continue
        if "." in segment[-6:]:
            segment = segment.rsplit(".", 1)[0]
        found = [w.lower() for w in segment.replace("_", "-").split("-") if len(w) > 2 and w.isalpha()]
        if len(found) >= 3:
            return list(dict.fromkeys(found))
    return []


def main_prose_spans(pages: Pages) -> tuple[np.ndarray, np.ndarray]:
    """Per page, lines ``[start, end)`` of the densest run of prose: the best-scoring segment where
    prose lines earn their word count and other lines cost a little (maximum subarray)."""
    words = pages.words.astype(float)
    gain = np.where(pages.prose, words, -(3.0 + np.minimum(words, 30) * 0.5))
    return pages.seg.best_spans(gain)


def find_anchors(pages: Pages) -> np.ndarray:
    """Per page, the local index of the headline: the line best matching the URL slug when one
    matches well (the copy followed by the most prose wins), else the most title-like line before
    the page's main prose; -1 for none."""
    seg, s, w = pages.seg, pages.slug_overlap, pages.words
    slug_line = (s >= 0.5) & (w >= 3) & (w <= 40) & ((pages.cues & _NOT_TITLE) == 0)
    top = seg.max(np.where(slug_line, s, -1.0), -1.0)
    near_top = slug_line & (s >= top.take(seg.page, mode="clip") - 0.2)
    prose_words = seg.prefix(np.where(pages.prose, w, 0))
    after = np.minimum(np.arange(seg.n) + 30, seg.stop - 1)
    prose_after = prose_words[after] - prose_words
    by_slug = seg.argmax(prose_after, near_top)
    anchor = np.where(by_slug >= 0, by_slug - seg.offsets[:-1], -1)
    start, end = pages.prose_span[:, 0], pages.prose_span[:, 1]
    by_title = pages.best_titles(start, include_start=True)
    return np.where((by_slug < 0) & (end > 0), by_title, anchor)
