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

The regular expressions run on each page's lower-cased text (``lower_texts``: one decode per page,
no per-line ``strip``/``lower``), so a candidate costs one slice and one match.
"""
from __future__ import annotations

import numpy as np

from rashomon.extract import chars as C
from rashomon.extract.cues import CUE_BIT, CueTable, length_salt
from rashomon.extract.dates import date_in_lowered
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
            found = self._pages[k] = (self._a.lower[base:end].tobytes().decode("utf-32-le", "surrogatepass"), base)
        return found

    def span(self, k: int, start: int, end: int) -> str:
        """Lower-cased text of the batch span ``[start, end)`` on page ``k``."""
        text, base = self.page(k)
        return text[start - base:end - base]


def line_cues(cues: CueTable, a: C.CodeArrays, seg: Segments, low: LowerTexts, words: np.ndarray,
              token_start: np.ndarray, tokens: np.ndarray, colons: np.ndarray) -> np.ndarray:
    """Cue bits of every line (``words``: words per line; ``token_start``, ``tokens``: the batch's
    words and how many each line holds; ``colons``: offsets of the colons)."""
    n = len(words)
    bits = np.zeros(n, dtype=np.int64)
    page = seg.page.tolist()
    short = np.flatnonzero(words <= cues.max_words)
    start, end = a.strip(a.start.take(short, mode="clip"), a.end.take(short, mode="clip"), C.FRAME)
    at = cues.phrase_set.find(a.hash(start, end))
    found = (at > 0) & (end > start)
    bits[short[found]] = cues.phrase_set.values[at[found]]
    candidate = _pattern_candidates(cues, a, start, end)
    match = cues.match
    for i, s, e in zip(short[candidate].tolist(), start[candidate].tolist(), end[candidate].tolist()):
        bits[i] |= match(low.span(page[i], s, e))
    for bit, pattern, lines in _ending_candidates(cues, a, words, token_start, tokens, colons):
        tail_start = np.maximum(a.start.take(lines, mode="clip"), a.end.take(lines, mode="clip") - 160).tolist()
        for i, s, e in zip(lines.tolist(), tail_start, a.end.take(lines, mode="clip").tolist()):
            if pattern.search(low.span(page[i], s, e)):
                bits[i] |= bit
    lines, years = _year_lines(a, words)
    starts, ends = a.start.take(lines, mode="clip").tolist(), a.end.take(lines, mode="clip").tolist()
    for i, year, s, e in zip(lines.tolist(), years.tolist(), starts, ends):
        text, base = low.page(page[i])
        if date_in_lowered(text, max(s, year - 40) - base, min(e, year + 34) - base):
            bits[i] |= DATE_BIT
    return bits


def _pattern_candidates(cues: CueTable, a: C.CodeArrays, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Which bare spans ``[start, end)`` start with a pattern's literal prefix (or a digit)."""
    candidate = np.full(len(start), cues.any_prefix)
    some = np.flatnonzero(end > start)
    first = a.codes.take(start.take(some), mode="clip")
    if cues.digit_patterns:
        candidate[some] |= a.has(start.take(some, mode="clip"), C.DIGIT)
    for code in cues.prefix_chars:
        candidate[some] |= first == code
    # Longer prefixes: first the lines whose first two characters start one, then all lengths at
    # once (a line by prefix-length matrix of hashes, salted by length, in one set).
    some = np.flatnonzero(end - start >= 2)
    some = some[cues.prefix_starts.has(a.hash(start.take(some, mode="clip"), start.take(some, mode="clip") + 2))]
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
    last_char = a.codes.take(np.maximum(a.end - 1, 0), mode="clip").astype(np.int64)
    end = a.end
    start = token_start.take(np.cumsum(tokens) - 1, mode="clip")   # the last word; every line holds one
    for _ in range(3):
        end = end - ((end > start) & a.has(end - 1, C.EDGE))
        start = start + ((end > start) & a.has(start, C.EDGE))
    unsure = (end > start) & (a.has(end - 1, C.EDGE) | a.has(start, C.EDGE))
    word = a.hash(start, end)
    labelled = _labelled(cues, a, colons, n)
    two = words >= 2
    for bit, chars, word_set, labels, pattern in cues.ending_tables:
        hit = unsure | word_set.has(word)
        for code in chars:
            hit |= last_char == code
        if labels:
            hit |= labelled
        yield bit, pattern, np.flatnonzero(hit & two)


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
