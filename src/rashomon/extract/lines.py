"""Scraped page text as lines with features, for the body classifier of ``extract.text``.

A page copied from a browser is a list of lines: menus are runs of short lines, paragraphs are long
lines between blank lines, captions end in a photo credit, feeds of other stories follow a heading
such as "More news". ``read_page`` splits the text into lines and blocks (blank lines separate
blocks), measures each line once (length, sentence end, capitalisation, share of function words,
cues from ``extract.cues``) and finds the headline anchor; ``line_features`` turns the page into a
matrix, one row per line: the line's own shape, its block, its neighbours, its position relative to
the headline and to the page's prose, for the learned model in ``extract.linemodel``.

Why hand-written: readability-style libraries (trafilatura, jusText) classify HTML elements and
need the markup; once a page is flattened to text no library classifies its lines. Per-line work is
kept to a few string operations; everything that looks across lines is vectorised with numpy.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import unquote, urlsplit

import numpy as np

from rashomon.extract.cues import CUE_BIT, CUE_NAMES, FRAME, WORD_EDGE, CueTable
from rashomon.extract.dates import DATE_PATTERN, YEAR_HINT

CUES = CueTable.load()
FUNCTION_WORDS = frozenset(json.loads(
    resources.files("rashomon.extract").joinpath("data", "function_words.json").read_text("utf-8"))["words"])
TERMINAL = frozenset(".!?…。！？")
CLOSERS = "\"”’'»)]*"
PROSE_WORDS = 12      # a line this long that ends a sentence is prose
HEAD_CHARS = 80       # function words are counted in a line's first characters
DATE_BIT = CUE_BIT["date"]
_NOT_TITLE = sum(CUE_BIT.values())  # a line matching any cue is not a headline


@dataclass
class Page:
    """Non-empty lines of a scraped page with per-line measurements (parallel lists)."""

    lines: list[str]
    block: list[int]
    words: list[int]
    sentence_end: list[bool]
    cues: list[int]
    prose: list[bool]
    capitalized: list[float]
    function_share: list[float]
    url: str | None = None
    anchor: int | None = None
    slug_overlap: list[float] = field(default_factory=list)
    prose_span: tuple[int, int] = (0, 0)
    stats: np.ndarray | None = None   # per-line character counts (``_char_stats``)

    def __len__(self) -> int:
        return len(self.lines)

    def has(self, i: int, cue: str) -> bool:
        """True when line ``i`` matches the named cue."""
        return bool(self.cues[i] & CUE_BIT[cue])


def _split(raw_text: str) -> tuple[list[str], list[int]]:
    """Non-empty stripped lines and the block number of each (blank lines separate blocks)."""
    lines: list[str] = []
    block: list[int] = []
    current = 0
    for raw in raw_text.splitlines():
        line = raw.strip()
        if not line:
            if block and block[-1] == current:
                current += 1
            continue
        if "\t" in line or "\xa0" in line or "  " in line:
            line = " ".join(line.split())
        lines.append(line)
        block.append(current)
    return lines, block


def _char_stats(lines: list[str]) -> np.ndarray:
    """Per-line character counts, vectorised over the page's code points: columns are characters,
    spaces, commas, sentence breaks (". "), capitalised words, punctuation marks, and whether the
    line ends with a colon, starts lower-case, starts with a digit."""
    n = len(lines)
    codes = np.frombuffer("\n".join(lines).encode("utf-32-le"), dtype=np.uint32)
    breaks = np.flatnonzero(codes == 10)
    starts = np.empty(n, dtype=np.intp)
    starts[0] = 0
    starts[1:] = breaks + 1
    ends = np.empty(n, dtype=np.intp)
    ends[:-1] = breaks
    ends[-1] = len(codes)
    space = codes == 32
    dot = codes == 46
    after_space = np.empty(len(codes), dtype=bool)
    after_space[0] = True
    after_space[1:] = space[:-1] | (codes[:-1] == 10)
    upper = ((codes >= 65) & (codes <= 90)) | ((codes >= 192) & (codes <= 222) & (codes != 215)) | (
        (codes >= 1040) & (codes <= 1071))
    sentence_break = np.zeros(len(codes), dtype=bool)
    sentence_break[:-1] = dot[:-1] & space[1:]
    punctuation = dot | (codes == 44) | (codes == 59) | (codes == 58) | (codes == 33) | (codes == 63)
    counted = np.column_stack((space, codes == 44, sentence_break, after_space & upper, punctuation))
    sums = np.add.reduceat(counted, starts, axis=0)
    first, last = codes[starts], codes[ends - 1]
    return np.column_stack((ends - starts, sums, last == 58, (first >= 97) & (first <= 122) | (
        (first >= 223) & (first <= 255)), (first >= 48) & (first <= 57))).astype(float)


def read_page(raw_text: str, url: str | None = None) -> Page:
    """Split scraped text into non-empty lines and blocks, measure them and find the headline."""
    lines, block = _split(raw_text)
    n = len(lines)
    stats = _char_stats(lines) if n else np.zeros((0, 9))
    word_counts = stats[:, 1] + 1
    # Text written without spaces (Chinese, Japanese) counts one word per two characters.
    spaceless = stats[:, 0] > 10 * word_counts
    if spaceless.any():
        for i in np.flatnonzero(spaceless):
            if not lines[i].isascii():
                word_counts[i] = stats[i, 0] // 2
    words = word_counts.astype(int).tolist()
    sentence_end = [line[-1] in TERMINAL or (line[-1] in CLOSERS and line.rstrip(CLOSERS)[-1:] in TERMINAL)
                    for line in lines]
    cues = [0] * n
    function_share = [0.0] * n
    match, ending, max_words = CUES.match, CUES.ending, CUES.max_words
    last_chars, last_words = CUES.last_chars, CUES.last_words
    function_words = FUNCTION_WORDS
    for i, line in enumerate(lines):
        w = words[i]
        bits = match(line.strip(FRAME).lower()) if w <= max_words else 0
        if w >= 2 and (line[-1] in last_chars or ":" in line[-70:]
                       or line[line.rfind(" ") + 1:].strip(WORD_EDGE).lower() in last_words):
            bits |= ending(line)
        if w <= 16 and ("20" in line or "19" in line):
            year = YEAR_HINT.search(line)
            if year and DATE_PATTERN.search(line, max(0, year.start() - 40), year.end() + 30):
                bits |= DATE_BIT
        cues[i] = bits
        if w >= 6:
            tokens = line[:HEAD_CHARS].lower().split()
            function_share[i] = len(function_words.intersection(tokens)) / len(tokens)
    unclear = CUE_BIT["caption"] | CUE_BIT["newsletter"] | CUE_BIT["comment"]
    prose = [w >= PROSE_WORDS and (end or w >= 2 * PROSE_WORDS) and not c & unclear
             for w, end, c in zip(words, sentence_end, cues)]
    capitalized = (stats[:, 4] / word_counts).tolist()
    page = Page(lines, block, words, sentence_end, cues, prose, capitalized, function_share, url=url)
    page.stats = stats
    page.slug_overlap = _slug_overlaps(page, url)
    page.prose_span = main_prose_span(page)
    page.anchor = find_anchor(page)
    return page


def _slug_words(url: str | None) -> list[str]:
    """Words of the URL's last meaningful path segment ("media-putin-plans-to-visit-turkey")."""
    if not url:
        return []
    path = unquote(urlsplit(url).path)
    for segment in reversed([s for s in path.split("/") if s]):
        if "." in segment[-6:]:
            segment = segment.rsplit(".", 1)[0]
        found = [w.lower() for w in segment.replace("_", "-").split("-") if len(w) > 2 and w.isalpha()]
        if len(found) >= 3:
            return list(dict.fromkeys(found))
    return []


def _slug_overlaps(page: Page, url: str | None) -> list[float]:
    """How well each line matches the URL slug: Dice overlap of the slug's words found in the
    lower-cased line (as substrings, so "ve-culos" still finds "veículos") and the line's words."""
    slug = _slug_words(url)
    n = len(page)
    out = [0.0] * n
    if len(slug) < 3:
        return out
    size = len(slug)
    first = slug[:3]
    for i, (line, w) in enumerate(zip(page.lines, page.words)):
        if 3 <= w <= 40:
            low = line.lower()
            if any(map(low.__contains__, first)):
                out[i] = 2.0 * sum(map(low.__contains__, slug)) / (size + w)
    return out


def main_prose_span(page: Page) -> tuple[int, int]:
    """Lines ``[start, end)`` of the densest run of prose: the best-scoring segment where prose
    lines earn their word count and other lines cost a little (maximum subarray, vectorised)."""
    if not page.lines:
        return 0, 0
    words = np.asarray(page.words, dtype=float)
    gain = np.where(page.prose, words, -(3.0 + np.minimum(words, 30) * 0.5))
    cumulative = np.concatenate(([0.0], np.cumsum(gain)))
    lowest = np.minimum.accumulate(cumulative[:-1])
    totals = cumulative[1:] - lowest
    end = int(np.argmax(totals))
    if totals[end] <= 0:
        return 0, 0
    start = int(np.flatnonzero(cumulative[:end + 1] == lowest[end])[-1])
    return start, end + 1


def title_score(page: Page, i: int, prose_start: int) -> float:
    """How much line ``i`` looks like the headline of the prose that starts at ``prose_start``."""
    w = page.words[i]
    if w < 3 or w > 30 or page.cues[i] & _NOT_TITLE or i > prose_start:
        return -1.0
    score = 2.5 * page.slug_overlap[i]
    score += 1.0 / (1.0 + (prose_start - i) / 4.0)
    line = page.lines[i]
    if not page.sentence_end[i] or line.endswith(("?", "!")):
        score += 0.5
    if 5 <= w <= 20:
        score += 0.3
    if page.prose[i]:
        score -= 0.8
    same_block = (i > 0 and page.block[i - 1] == page.block[i]) + (
        i + 1 < len(page) and page.block[i + 1] == page.block[i])
    return score - 0.2 * same_block


def find_anchor(page: Page) -> int | None:
    """Index of the headline: the line best matching the URL slug when one matches well (the copy
    followed by the most prose wins), else the most title-like line before the page's main prose."""
    if not page.lines:
        return None
    slug_lines = [i for i, s in enumerate(page.slug_overlap)
                  if s >= 0.5 and 3 <= page.words[i] <= 40 and not page.cues[i] & _NOT_TITLE]
    if slug_lines:
        top = max(page.slug_overlap[i] for i in slug_lines)
        best, best_prose = None, -1
        for i in slug_lines:
            if page.slug_overlap[i] >= top - 0.2:
                prose_after = sum(w for w, p in zip(page.words[i + 1:i + 31], page.prose[i + 1:i + 31]) if p)
                if prose_after > best_prose:
                    best, best_prose = i, prose_after
        return best
    start, end = page.prose_span
    if end == 0:
        return None
    best, best_score = None, 0.5
    for i in range(max(0, start - 40), min(start + 1, len(page))):
        s = title_score(page, i, start)
        if s > best_score:
            best, best_score = i, s
    return best


FEATURE_NAMES: tuple[str, ...] = (
    "log_words", "words_le2", "words_3_6", "words_7_12", "words_13_25", "words_gt25", "log_chars",
    "sentence_end", "colon_end", "starts_lower", "starts_digit", "capitalized_share", "function_word_share",
    "comma_rate", "log_sentences", "long_unpunctuated",
    *(f"cue_{name}" for name in CUE_NAMES),
    "repeated_in_page", "block_log_lines", "block_single_line", "block_short_share", "block_log_words",
    "first_in_block", "last_in_block", "short_run", "headline_run", "prev_prose", "next_prose",
    "prev_log_words", "next_log_words", "prev_sentence_end", "next_sentence_end", "prev_same_block",
    "next_same_block", "prose_window3", "prose_window10", "relative_position", "prose_before", "prose_after",
    "before_anchor", "is_anchor", "after_anchor_near", "after_anchor_log_distance", "no_anchor",
    "feed_heading_before", "slug_overlap", "in_main_prose",
)
_CUE_BITS = np.array([CUE_BIT[name] for name in CUE_NAMES])
_FIRST_CUE = FEATURE_NAMES.index(f"cue_{CUE_NAMES[0]}")
_WORD_BINS = np.array([2, 6, 12, 25])   # word-count bins: <=2, 3-6, 7-12, 13-25, >25
_BIN_IDS = np.arange(5)


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True values it belongs to (0 outside runs)."""
    n = len(mask)
    change = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    bounds = np.concatenate(([0], change, [n]))
    lengths = np.diff(bounds)
    return np.repeat(lengths, lengths) * mask


def line_features(page: Page) -> np.ndarray:
    """The feature matrix of a page: one row per line, columns in ``FEATURE_NAMES`` order."""
    n = len(page)
    x = np.zeros((n, len(FEATURE_NAMES)))
    if n == 0:
        return x
    lines = page.lines
    words = np.array(page.words, dtype=float)
    ends = np.array(page.sentence_end, dtype=float)
    cues = np.array(page.cues)
    prose = np.array(page.prose, dtype=float)
    block = np.array(page.block)
    log_words = np.log1p(words)
    x[:, 0] = log_words
    x[:, 1:6] = np.searchsorted(_WORD_BINS, words)[:, None] == _BIN_IDS
    stats = page.stats
    x[:, 6] = np.log1p(stats[:, 0]) * 0.5
    x[:, 7] = ends
    x[:, 8:11] = stats[:, 6:9]
    x[:, 11] = page.capitalized
    x[:, 12] = page.function_share
    x[:, 13] = np.minimum(1.0, stats[:, 2] / words * 4.0)
    x[:, 14] = np.log1p(stats[:, 3] + ends)
    x[:, 15] = (words >= 15) & (stats[:, 5] == 0)
    c = _FIRST_CUE
    x[:, c:c + len(CUE_NAMES)] = (cues[:, None] & _CUE_BITS) != 0
    c += len(CUE_NAMES)
    counts = Counter(lines)
    x[:, c] = [counts[line] > 1 for line in lines]
    # Blocks: size, words and share of short lines, spread back to their lines.
    short = words <= 4
    block_lines = np.bincount(block)[block]
    x[:, c + 1] = np.log1p(block_lines)
    x[:, c + 2] = block_lines == 1
    x[:, c + 3] = np.bincount(block, weights=short)[block] / block_lines
    x[:, c + 4] = np.log1p(np.bincount(block, weights=words)[block]) * 0.5
    same_prev = np.zeros(n)
    same_prev[1:] = block[1:] == block[:-1]
    x[:, c + 5] = 1.0 - same_prev
    x[:-1, c + 6] = 1.0 - same_prev[1:]
    x[-1, c + 6] = 1.0
    # Runs of short lines (menus) and of headline-like lines (lists of links to other stories).
    x[:, c + 7] = np.log1p(_run_lengths(short & (ends == 0)))
    x[:, c + 8] = np.log1p(_run_lengths((words >= 3) & (words <= 16) & (ends == 0) & (cues == 0)))
    # Neighbours: prose, length, sentence end, same block.
    x[1:, c + 9] = prose[:-1]
    x[:-1, c + 10] = prose[1:]
    x[1:, c + 11] = log_words[:-1]
    x[:-1, c + 12] = log_words[1:]
    x[1:, c + 13] = ends[:-1]
    x[:-1, c + 14] = ends[1:]
    x[:, c + 15] = same_prev
    x[:-1, c + 16] = same_prev[1:]
    # Prose density around the line and the page's prose before and after it.
    prose_prefix = np.concatenate(([0.0], np.cumsum(prose)))
    idx = np.arange(n)
    for k, radius in ((17, 3), (18, 10)):
        lo = np.maximum(idx - radius, 0)
        hi = np.minimum(idx + radius + 1, n)
        x[:, c + k] = (prose_prefix[hi] - prose_prefix[lo]) / (hi - lo)
    x[:, c + 19] = idx / n
    prose_words = np.concatenate(([0.0], np.cumsum(prose * words)))
    total = prose_words[-1] or 1.0
    x[:, c + 20] = prose_words[:-1] / total
    x[:, c + 21] = (total - prose_words[1:]) / total
    # Position relative to the headline anchor.
    anchor = page.anchor
    if anchor is None:
        x[:, c + 26] = 1.0
    else:
        x[:anchor, c + 22] = 1.0
        x[anchor, c + 23] = 1.0
        x[anchor + 1:anchor + 6, c + 24] = 1.0
        x[anchor + 1:, c + 25] = np.log1p(np.arange(1, n - anchor))
    feed = ((cues & CUE_BIT["feed"]) != 0) & (prose_words[:-1] > 0)
    x[:, c + 27] = np.log1p(np.cumsum(feed))
    x[:, c + 28] = page.slug_overlap
    start, end = page.prose_span
    x[start:end, c + 29] = 1.0
    return x
