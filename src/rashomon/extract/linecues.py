"""Cue bits of every line of a batch of pages (the cues of ``extract.cues``), mostly by array lookups.

A line has a cue when its bare form (lower-cased, bullets stripped) is a cue phrase, starts with a
cue pattern, ends like a cue ending (photo credits, comment headers) or holds a date. Trying every
pattern on every line costs ~1 µs a line, so arrays decide first which lines could match:

* phrases: the bare line's hash is looked up (``CueTable.phrase_set``); no string is built;
* patterns: only lines whose first characters hash to a pattern's literal prefix (or that start with
  a digit, for patterns that do) are matched, on their lower-cased text;
* endings: an ending's pattern is only searched in lines whose last character or last word (edge
  characters stripped) it lists, or that carry a label ("Photo: ...") when it takes labels;
* dates: only lines of at most 16 words holding a four-digit year are searched, around that year.

The regular expressions run on each page's lower-cased text (``LowerTexts``: one decode per page,
no per-line ``strip``/``lower``), so a candidate costs one slice and one match; each kind of test
runs as one list comprehension over its candidates (``LowerTexts.locate``) and sets its bits at once.
"""
from __future__ import annotations

import codecs
from functools import lru_cache

import numpy as np

from rashomon.extract import chars as C
from rashomon.extract.cues import CUE_BIT, CueTable, length_salt
from rashomon.extract.dates import DATE_LOWER
from rashomon.extract.segments import Segments

DATE_BIT = CUE_BIT["date"]


class LowerTexts:
    """Each page's lower-cased text (from ``CodeArrays.lower``), decoded when first asked for: a
    page of plain text decodes to a compact string, which ``str.find`` searches fast."""

    def __init__(self, a: C.CodeArrays, seg: Segments) -> None:
        self._a, self._seg = a, seg
        self._pages: dict[int, tuple[str, int]] = {}
        self._first = seg.offsets.tolist()

    def page(self, k: int) -> tuple[str, int]:
        """Page ``k``'s lower-cased text and the batch offset of its first character."""
        found = self._pages.get(k)
        if found is None:
            first, last = self._first[k], self._first[k + 1]
            if first == last:
                return "", 0
            base, end = int(self._a.start[first]), int(self._a.end[last - 1])
            found = self._pages[k] = (codecs.utf_32_le_decode(self._a.lower[base:end], "surrogatepass")[0], base)
        return found

    def locate(self, lines: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[list[str], list[int], list[int]]:
        """For spans ``[start, end)`` (batch offsets) of the given lines: the lower-cased text of
        each one's page and the span's offsets in it."""
        seg, a = self._seg, self._a
        page = seg.page.take(lines, mode="clip")
        base = a.start.take(seg.first.take(lines, mode="clip"), mode="clip")
        texts = {k: self.page(k)[0] for k in set(page.tolist())}
        return [texts[k] for k in page.tolist()], (start - base).tolist(), (end - base).tolist()


def line_cues(cues: CueTable, a: C.CodeArrays, seg: Segments, low: LowerTexts, words: np.ndarray,
              token_start: np.ndarray, tokens: np.ndarray, colons: np.ndarray) -> np.ndarray:
    """Cue bits of every line (``words``: words per line; ``token_start``, ``tokens``: the batch's
    words and how many each line holds; ``colons``: offsets of the colons)."""
    n = len(words)
    bits = np.zeros(n, dtype=np.int64)
    short = np.flatnonzero(words <= cues.max_words)
    start, end = a.strip(a.start.take(short, mode="clip"), a.end.take(short, mode="clip"), C.FRAME)
    at = cues.phrase_set.find(a.hash(start, end))
    found = (at > 0) & (end > start)
    bits[short[found]] = cues.phrase_set.values[at[found]]
    candidate = _pattern_candidates(cues, a, start, end)
    lines = short[candidate]
    texts, lo, hi = low.locate(lines, start[candidate], end[candidate])
    bare = [text[s:e] for text, s, e in zip(texts, lo, hi)]
    pattern_bits = cues.cached_pattern_bits
    matched = {line: pattern_bits(line) for line in set(bare)}   # a third of them recur in a batch
    bits[lines] |= np.array([matched[line] for line in bare], dtype=np.int64)  # (phrase bits are set already)
    for bit, pattern, lines in _ending_candidates(cues, a, words, token_start, tokens, colons):
        ends = a.end.take(lines, mode="clip")
        texts, lo, hi = low.locate(lines, np.maximum(a.start.take(lines, mode="clip"), ends - 160), ends)
        tails = [text[s:e] for text, s, e in zip(texts, lo, hi)]
        search = pattern.search
        ending = {tail for tail in set(tails) if search(tail)}
        bits[lines[np.array([tail in ending for tail in tails], dtype=bool)]] |= bit
    lines, years = _year_lines(a, words)
    texts, lo, hi = low.locate(lines, np.maximum(a.start.take(lines, mode="clip"), years - 40),
                               np.minimum(a.end.take(lines, mode="clip"), years + 34))
    # One character before the window is kept for the pattern's look-behind (as ``dates.date_in``).
    hit = [_dated(text[s - 1:e], 1) if s else _dated(text[:e], 0) for text, s, e in zip(texts, lo, hi)]
    bits[lines[np.array(hit, dtype=bool)]] |= DATE_BIT
    return bits


@lru_cache(maxsize=1 << 14)
def _dated(window: str, pos: int) -> bool:
    """Whether a lower-cased window holds a date from ``pos`` on (remembered: copyright and date
    lines recur within and across batches)."""
    return DATE_LOWER.search(window, pos) is not None


def _pattern_candidates(cues: CueTable, a: C.CodeArrays, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Which bare spans ``[start, end)`` start with a pattern's literal prefix (or a digit)."""
    candidate = np.full(len(start), cues.any_prefix)
    some = np.flatnonzero(end > start)
    first = a.codes.take(start.take(some), mode="clip")
    if cues.digit_patterns:
        candidate[some] |= a.has(start.take(some, mode="clip"), C.DIGIT)
    for code in cues.prefix_chars:
        candidate[some] |= first == code
    # Longer prefixes: first the lines whose first characters start one (as many characters as the
    # shortest holds), then all lengths at once (a line by prefix-length matrix of hashes, salted by
    # length, in one set).
    shortest = int(cues.prefix_lengths[0])
    some = np.flatnonzero(end - start >= shortest)
    some = some[cues.prefix_starts.has(a.hash(start.take(some, mode="clip"), start.take(some, mode="clip") + shortest))]
    begin = start.take(some, mode="clip")[:, None]
    stop = begin + cues.prefix_lengths
    fits = stop <= end.take(some, mode="clip")[:, None]
    stop = np.where(fits, stop, begin)
    found = cues.prefix_set.has(a.hash(np.broadcast_to(begin, stop.shape), stop) ^ length_salt(cues.prefix_lengths)) & fits
    candidate[some] |= found.any(axis=1)
    return candidate


def _ending_candidates(cues: CueTable, a: C.CodeArrays, words: np.ndarray, token_start: np.ndarray,
                       tokens: np.ndarray, colons: np.ndarray):
    """For each ending, (bit, pattern, lines to search): lines of two words or more whose last
    character or last word (edge characters stripped) the ending lists, or that are labelled
    ("Photo: ...") when it takes labels. A last word with more than three edge characters at an end
    is not stripped here: its line is searched for every ending (a superset, never a miss)."""
    n = len(words)
    lines = np.flatnonzero(words >= 2)
    end = a.end.take(lines, mode="clip")
    last_char = a.codes.take(end - 1, mode="clip").astype(np.int64)
    start = token_start.take((np.cumsum(tokens) - 1).take(lines, mode="clip"), mode="clip")   # the last word
    for _ in range(3):
        end = end - ((end > start) & a.has(end - 1, C.EDGE))
        start = start + ((end > start) & a.has(start, C.EDGE))
    unsure = (end > start) & (a.has(end - 1, C.EDGE) | a.has(start, C.EDGE))
    word = a.hash(start, end)
    labelled = _labelled(cues, a, colons, n)[lines]
    for bit, chars, word_set, labels, pattern in cues.ending_tables:
        hit = unsure | word_set.has(word)
        for code in chars:
            hit |= last_char == code
        if labels:
            hit |= labelled
        yield bit, pattern, lines[hit]


def _labelled(cues: CueTable, a: C.CodeArrays, colons: np.ndarray, n: int) -> np.ndarray:
    """Lines with a colon among their last 70 characters right after a label word."""
    spaces = a.spaces
    line = a.line_of(colons)
    lo = np.maximum(a.start.take(line, mode="clip"), a.end.take(line, mode="clip") - 70)
    inside = colons >= lo
    colon, line, lo = colons[inside], line[inside], lo[inside]
    _, word_end = a.strip(lo, colon, C.SPACE, left=False)
    word_start = spaces.take(np.searchsorted(spaces, word_end) - 1, mode="clip") + 1 if len(spaces) else lo
    start, end = a.strip(np.maximum(word_start, lo), word_end, C.EDGE)
    label = cues.label_set.has(a.hash(start, end)) & (end > start)
    return np.bincount(line[label], minlength=n) > 0


def _year_lines(a: C.CodeArrays, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines of at most 16 words holding a year (as ``dates.YEAR_HINT`` finds them), and the batch
    offset of each one's first year."""
    digits = a.marks()[1]
    none = np.zeros(0, dtype=np.intp)
    if len(digits) == 0:
        return none, none
    # Runs of digits: a year is a run of exactly four that starts with 19 or 20.
    new_run = np.ones(len(digits), dtype=bool)
    new_run[1:] = np.diff(digits) != 1
    run_start = np.flatnonzero(new_run)
    run_length = np.diff(np.append(run_start, len(digits)))
    first = digits.take(run_start[run_length == 4], mode="clip")
    code, second = a.codes.take(first, mode="clip"), a.codes.take(first + 1, mode="clip")
    first = first[((code == 49) & (second == 57)) | ((code == 50) & (second == 48))]
    line, at = np.unique(a.line_of(first), return_index=True)   # the first year of each line
    short = words.take(line, mode="clip") <= 16
    return line[short], first.take(at[short], mode="clip")
