"""Scraped page text as lines with features, for the body classifier of ``extract.text``.

A page copied from a browser is a list of lines: menus are runs of short lines, paragraphs are long
lines between blank lines, captions end in a photo credit, feeds of other stories follow a heading
such as "More news". ``read_page`` splits the text into lines and blocks (blank lines separate
blocks), matches the cues kept as data in ``data/text_cues.json``, finds the headline anchor, and
``line_features`` turns every line into a numeric vector (its own shape, its block, its neighbours,
its position relative to the headline and to the page's prose) for the learned model in
``extract.linemodel``.

Why hand-written: readability-style libraries (trafilatura, jusText) classify HTML elements and
need the markup; once a page is flattened to text no library classifies its lines.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import unquote, urlsplit

from rashomon.extract.dates import DATE_PATTERN, YEAR_HINT

_DATA = resources.files("rashomon.extract").joinpath("data")
_CUE_DATA = json.loads(_DATA.joinpath("text_cues.json").read_text("utf-8"))
FUNCTION_WORDS = frozenset(json.loads(_DATA.joinpath("function_words.json").read_text("utf-8"))["words"])

# Cues that are features of the model, in bit order.
CUE_NAMES = ("interface", "newsletter", "read_time", "audio", "advert", "feed", "comment", "copyright",
             "social", "caption", "byline", "dateline_cue")
CUE_BIT = {name: 1 << i for i, name in enumerate(CUE_NAMES)}
DATE_BIT = 1 << len(CUE_NAMES)  # a short line holding a full calendar date


def _compile_cue(spec: dict) -> re.Pattern:
    body = "|".join(f"(?:{p})" for p in spec["patterns"])
    if spec["mode"] == "full":
        body = rf"^(?:{body})\W*$"
    elif spec["mode"] == "start":
        body = rf"^(?:{body})"
    elif spec["mode"] == "end":
        body = rf"(?:{body})$"
    return re.compile(body, re.I)


CUES: tuple[tuple[int, int, bool, re.Pattern], ...] = tuple(
    (CUE_BIT[name], _CUE_DATA[name]["max_words"], _CUE_DATA[name]["mode"] == "full", _compile_cue(_CUE_DATA[name]))
    for name in CUE_NAMES)
# Bullets, brackets and separators around a menu item ("[ 167 comments ]", "» More news").
FRAME = " []()•·|-–—*:>»›<«/\\"
DESK_BYLINE = re.compile(_CUE_DATA["desk_byline"]["patterns"][0], re.I)

TERMINAL = frozenset(".!?…。！？")
CLOSERS = "\"”’'»)]*"
SEPARATORS = re.compile(r"[|•›»·]| / | > ")
URL_LIKE = re.compile(r"https?://|www\.|\.com\b|@\w", re.I)
WORD = re.compile(r"\w+")
PUNCTUATION = re.compile(r"[.,;:!?。，、]")
SLUG_WORD = re.compile(r"(?<![^\W_])[^\W\d_]{2,}(?![^\W_])")
PROSE_WORDS = 12  # a line this long that ends a sentence is prose


@dataclass
class Page:
    """Non-empty lines of a scraped page with per-line measurements (parallel lists)."""

    lines: list[str]
    block: list[int]
    words: list[int]
    sentence_end: list[bool]
    cues: list[int]
    prose: list[bool]
    url: str | None = None
    anchor: int | None = None
    slug_overlap: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)

    def has(self, i: int, cue: str) -> bool:
        """True when line ``i`` matches the named cue."""
        return bool(self.cues[i] & CUE_BIT[cue])


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def _line_cues(line: str, n_words: int) -> int:
    bits = 0
    bare = line.strip(FRAME) if n_words <= 8 else line
    for bit, max_words, full, pattern in CUES:
        if n_words <= max_words and pattern.search(bare if full else line):
            bits |= bit
    if n_words <= 16 and YEAR_HINT.search(line) and DATE_PATTERN.search(line):
        bits |= DATE_BIT
    return bits


def read_page(raw_text: str, url: str | None = None) -> Page:
    """Split scraped text into non-empty lines and blocks, measure them and find the headline."""
    lines: list[str] = []
    block: list[int] = []
    current = 0
    for raw in raw_text.splitlines():
        line = raw.strip()
        if not line:
            if lines and block[-1] == current:
                current += 1
            continue
        if "\t" in line or "\xa0" in line or "  " in line:
            line = " ".join(line.split())
        lines.append(line)
        block.append(current)
    words = [line.count(" ") + 1 for line in lines]
    # Text written without spaces (Chinese, Japanese) counts one word per two characters.
    words = [w if len(line) <= 10 * w or line.isascii() else len(line) // 2 for w, line in zip(words, lines)]
    sentence_end = [_ends_sentence(line) for line in lines]
    cues = [_line_cues(line, w) for line, w in zip(lines, words)]
    prose = [w >= PROSE_WORDS and (end or w >= 2 * PROSE_WORDS) and not c & (CUE_BIT["caption"] | CUE_BIT["newsletter"])
             for w, end, c in zip(words, sentence_end, cues)]
    page = Page(lines, block, words, sentence_end, cues, prose, url=url)
    page.slug_overlap = _slug_overlaps(page, url)
    page.anchor = find_anchor(page)
    return page


def _slug_words(url: str | None) -> set[str]:
    """Words of the URL's last meaningful path segment ("media-putin-plans-to-visit-turkey")."""
    if not url:
        return set()
    path = unquote(urlsplit(url).path)
    for segment in reversed([s for s in path.split("/") if s]):
        segment = segment.rsplit(".", 1)[0] if "." in segment[-6:] else segment
        found = {w.lower() for w in SLUG_WORD.findall(segment.replace("_", " ")) if not w.isdigit()}
        if len(found) >= 3:
            return found
    return set()


def _slug_overlaps(page: Page, url: str | None) -> list[float]:
    """How well each line matches the URL slug: the Dice overlap of the slug's words found in the
    lower-cased line (as substrings, so "ve-culos" still finds "veículos") and the line's words."""
    slug = [w for w in _slug_words(url) if len(w) > 2]
    if len(slug) < 3:
        return [0.0] * len(page)
    out = []
    for line, w in zip(page.lines, page.words):
        if w > 40 or w < 2:
            out.append(0.0)
            continue
        low = line.lower()
        found = sum(1 for s in slug if s in low)
        out.append(2.0 * found / (len(slug) + w))
    return out


def main_prose_span(page: Page) -> tuple[int, int]:
    """Lines ``[start, end)`` of the densest run of prose: the best-scoring segment where prose
    lines earn their word count and other lines cost a little (Kadane's maximum subarray)."""
    best, best_span = 0.0, (0, 0)
    run, run_start = 0.0, 0
    for i, (is_prose, w) in enumerate(zip(page.prose, page.words)):
        gain = float(w) if is_prose else -(3.0 + min(w, 30) * 0.5)
        if run <= 0:
            run, run_start = 0.0, i
        run += gain
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best_span


_NOT_TITLE = (CUE_BIT["interface"] | CUE_BIT["newsletter"] | CUE_BIT["read_time"] | CUE_BIT["audio"]
              | CUE_BIT["advert"] | CUE_BIT["copyright"] | CUE_BIT["social"] | CUE_BIT["caption"]
              | CUE_BIT["byline"] | CUE_BIT["dateline_cue"] | DATE_BIT | CUE_BIT["feed"])


def title_score(page: Page, i: int, prose_start: int) -> float:
    """How much line ``i`` looks like the headline of the prose that starts at ``prose_start``."""
    w = page.words[i]
    if w < 3 or w > 30 or page.cues[i] & _NOT_TITLE or i > prose_start:
        return -1.0
    line = page.lines[i]
    score = 2.5 * page.slug_overlap[i] if page.slug_overlap else 0.0
    score += 1.0 / (1.0 + (prose_start - i) / 4.0)
    if not page.sentence_end[i] or line.endswith(("?", "!")):
        score += 0.5
    if 5 <= w <= 20:
        score += 0.3
    if page.prose[i]:
        score -= 0.8
    same_block = (i > 0 and page.block[i - 1] == page.block[i]) + (
        i + 1 < len(page) and page.block[i + 1] == page.block[i])
    score -= 0.2 * same_block
    return score


def find_anchor(page: Page) -> int | None:
    """Index of the headline: the line best matching the URL slug when one matches well (the copy
    followed by the most prose wins), else the most title-like line before the page's main prose."""
    if not page.lines:
        return None
    n = len(page)
    slug_lines = [i for i, s in enumerate(page.slug_overlap)
                  if s >= 0.5 and 3 <= page.words[i] <= 40 and not page.cues[i] & _NOT_TITLE]
    if slug_lines:
        top = max(page.slug_overlap[i] for i in slug_lines)
        best, best_prose = None, -1
        for i in slug_lines:
            if page.slug_overlap[i] < top - 0.2:
                continue
            prose_after = sum(w for w, p in zip(page.words[i + 1:i + 31], page.prose[i + 1:i + 31]) if p)
            if prose_after > best_prose:
                best, best_prose = i, prose_after
        return best
    start, end = main_prose_span(page)
    if end == 0:
        return None
    best, best_score = None, 0.5
    for i in range(max(0, start - 40), min(start + 1, n)):
        s = title_score(page, i, start)
        if s > best_score:
            best, best_score = i, s
    return best


def _log(x: float) -> float:
    return math.log1p(x)


FEATURE_NAMES: tuple[str, ...] = (
    "log_words", "words_le2", "words_3_6", "words_7_12", "words_13_25", "words_gt25", "log_chars",
    "sentence_end", "colon_end", "starts_lower", "starts_digit", "capitalized_share", "function_word_share",
    "comma_rate", "digit_share", "separators", "all_upper", "url_like", "log_sentences", "long_unpunctuated",
    *(f"cue_{name}" for name in CUE_NAMES), "cue_date",
    "repeated_in_page", "block_log_lines", "block_single_line", "block_short_share", "block_log_words",
    "first_in_block", "last_in_block", "short_run", "headline_run", "prev_prose", "next_prose",
    "prev_log_words", "next_log_words", "prev_sentence_end", "next_sentence_end", "prev_same_block",
    "next_same_block", "prose_window3", "prose_window10", "relative_position", "prose_before", "prose_after",
    "before_anchor", "is_anchor", "after_anchor_near", "after_anchor_log_distance", "no_anchor",
    "feed_heading_before", "slug_overlap", "in_main_prose",
)


def line_features(page: Page) -> list[list[float]]:
    """One feature vector per line, in ``FEATURE_NAMES`` order."""
    n = len(page)
    if n == 0:
        return []
    lines, words, block, ends, cues, prose = (page.lines, page.words, page.block, page.sentence_end,
                                              page.cues, page.prose)
    log_words = [_log(w) for w in words]
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    # Blocks: size, words, share of short lines.
    block_lines: dict[int, int] = {}
    block_words: dict[int, int] = {}
    block_short: dict[int, int] = {}
    for b, w in zip(block, words):
        block_lines[b] = block_lines.get(b, 0) + 1
        block_words[b] = block_words.get(b, 0) + w
        block_short[b] = block_short.get(b, 0) + (w <= 4)
    # Runs of short lines (menus, link lists).
    short_run = [0] * n
    i = 0
    while i < n:
        if words[i] <= 4 and not ends[i]:
            j = i
            while j < n and words[j] <= 4 and not ends[j]:
                j += 1
            for k in range(i, j):
                short_run[k] = j - i
            i = j
        else:
            i += 1
    # Runs of headline-like lines (lists of links to other stories).
    headline_run = [0] * n
    i = 0
    while i < n:
        if 3 <= words[i] <= 16 and not ends[i] and not cues[i]:
            j = i
            while j < n and 3 <= words[j] <= 16 and not ends[j] and not cues[j]:
                j += 1
            for k in range(i, j):
                headline_run[k] = j - i
            i = j
        else:
            i += 1
    # Prose density: prefix sums of prose flags and prose words.
    prose_prefix = [0] * (n + 1)
    prose_words = [0] * (n + 1)
    for k in range(n):
        prose_prefix[k + 1] = prose_prefix[k] + prose[k]
        prose_words[k + 1] = prose_words[k] + (words[k] if prose[k] else 0)
    total_prose = prose_words[n] or 1
    anchor = page.anchor
    main_start, main_end = main_prose_span(page)
    feed_bit = CUE_BIT["feed"]
    feed_count = 0
    slug = page.slug_overlap or [0.0] * n
    out = []
    for i in range(n):
        line, w = lines[i], words[i]
        first = line[0]
        caps = sum(1 for t in line.split() if t[:1].isupper())
        alpha_words = WORD.findall(line.lower()) if w <= 80 else line.lower().split()
        function_share = (sum(1 for t in alpha_words if t in FUNCTION_WORDS) / len(alpha_words)) if alpha_words else 0.0
        digits = sum(ch.isdigit() for ch in line) if len(line) < 200 else 0
        letters = [ch for ch in line if ch.isalpha()] if len(line) < 100 else []
        b = block[i]
        prev_ok, next_ok = i > 0, i + 1 < n
        lo3, hi3, lo10, hi10 = max(0, i - 3), min(n, i + 4), max(0, i - 10), min(n, i + 11)
        if cues[i] & feed_bit and prose_words[i] > 0:
            feed_count += 1
        row = [
            log_words[i], float(w <= 2), float(3 <= w <= 6), float(7 <= w <= 12), float(13 <= w <= 25),
            float(w > 25), _log(len(line)) / 2.0,
            float(ends[i]), float(line.endswith(":")), float(first.islower()), float(first.isdigit()),
            caps / w, function_share,
            min(1.0, line.count(",") / w * 4.0), digits / len(line),
            float(bool(SEPARATORS.search(line))) if w < 40 else 0.0,
            float(len(letters) > 3 and all(ch.isupper() for ch in letters)),
            float(bool(URL_LIKE.search(line))) if w < 40 else 0.0,
            _log(line.count(". ") + line.count("? ") + line.count("! ") + ends[i]),
            float(w >= 15 and not PUNCTUATION.search(line)),
        ]
        row.extend(float(bool(cues[i] & bit)) for bit in CUE_BIT.values())
        row.append(float(bool(cues[i] & DATE_BIT)))
        row += [
            float(counts[line] > 1), _log(block_lines[b]), float(block_lines[b] == 1),
            block_short[b] / block_lines[b], _log(block_words[b]) / 2.0,
            float(not prev_ok or block[i - 1] != b), float(not next_ok or block[i + 1] != b),
            _log(short_run[i]), _log(headline_run[i]),
            float(prev_ok and prose[i - 1]), float(next_ok and prose[i + 1]),
            log_words[i - 1] if prev_ok else 0.0, log_words[i + 1] if next_ok else 0.0,
            float(ends[i - 1]) if prev_ok else 0.0, float(ends[i + 1]) if next_ok else 0.0,
            float(prev_ok and block[i - 1] == b), float(next_ok and block[i + 1] == b),
            (prose_prefix[hi3] - prose_prefix[lo3]) / (hi3 - lo3),
            (prose_prefix[hi10] - prose_prefix[lo10]) / (hi10 - lo10),
            i / n, prose_words[i] / total_prose, (prose_words[n] - prose_words[i + 1]) / total_prose,
        ]
        if anchor is None:
            row += [0.0, 0.0, 0.0, 0.0, 1.0]
        else:
            row += [float(i < anchor), float(i == anchor), float(anchor < i <= anchor + 5),
                    _log(i - anchor) if i > anchor else 0.0, 0.0]
        row += [_log(feed_count), slug[i], float(main_start <= i < main_end)]
        out.append(row)
    return out
