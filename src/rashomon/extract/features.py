"""The feature matrix of the scraped-text line classifier: one row per line of a batch of pages.

Columns (``FEATURE_NAMES``): the line's own shape, its cues, its block, its neighbours, its position
relative to the headline anchor and to the page's prose. Every column is computed for the whole
batch at once with page-aware operations (``extract.segments``): a neighbour across a page edge
reads as absent, windows and running sums stay inside their page.
"""
from __future__ import annotations

import numpy as np

from rashomon.extract.cues import CUE_BIT, CUE_NAMES
from rashomon.extract.lines import Pages

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


def log1p_count(k: np.ndarray) -> np.ndarray:
    """``np.log1p`` of non-negative integers, read from a table for the usual small ones (a
    logarithm costs ~8 ns a value, a table lookup ~1 ns)."""
    k = np.asarray(k)
    out = _LOG1P.take(np.minimum(k, len(_LOG1P) - 1), mode="clip")
    big = k >= len(_LOG1P) - 1
    if big.any():
        out[big] = np.log1p(k[big].astype(float))
    return out


_LOG1P = np.log1p(np.arange(4097, dtype=float))


def line_features(pages: Pages) -> np.ndarray:
    """The feature matrix: one row per line of ``pages``, columns in ``FEATURE_NAMES`` order."""
    seg = pages.seg
    n = len(pages)
    x = np.empty((n, len(FEATURE_NAMES)), order="F")  # filled column by column, every column set
    if n == 0:
        return x
    w = pages.words
    words = w.astype(float)
    end = pages.sentence_end
    ends = end.astype(float)
    cues = pages.cues
    prose = pages.prose
    block = pages.block
    log_words = log1p_count(w)
    x[:, 0] = log_words
    for k, (lo, hi) in enumerate(((0, 2), (3, 6), (7, 12), (13, 25), (26, None))):
        x[:, 1 + k] = (w >= lo) & (w <= hi) if hi is not None else w >= lo
    x[:, 6] = log1p_count(pages.chars) * 0.5
    x[:, 7] = ends
    x[:, 8] = pages.colon_end
    x[:, 9] = pages.starts_lower
    x[:, 10] = pages.starts_digit
    x[:, 11] = pages.capitalized
    x[:, 12] = pages.function_share
    x[:, 13] = np.minimum(1.0, pages.commas / words * 4.0)
    x[:, 14] = log1p_count(pages.sentences + end)
    x[:, 15] = (w >= 15) & (pages.punctuation == 0)
    c = _FIRST_CUE
    bits = np.unpackbits(cues.astype("<u2").view(np.uint8).reshape(n, 2), axis=1, bitorder="little")
    x[:, c:c + len(CUE_NAMES)] = bits[:, :len(CUE_NAMES)]
    c += len(CUE_NAMES)
    x[:, c] = pages.repeated
    # Blocks: size, words and share of short lines, spread back to their lines.
    short = w <= 4
    block_lines = np.bincount(block)[block]
    x[:, c + 1] = log1p_count(block_lines)
    x[:, c + 2] = block_lines == 1
    x[:, c + 3] = np.bincount(block, weights=short)[block] / block_lines
    x[:, c + 4] = log1p_count(np.bincount(block, weights=w)[block].astype(np.int64)) * 0.5
    same_prev = seg.prev(block, -1) == block
    same_next = seg.next(block, -1) == block
    x[:, c + 5] = ~same_prev
    x[:, c + 6] = ~same_next
    # Runs of short lines (menus) and of headline-like lines (lists of links to other stories).
    x[:, c + 7] = log1p_count(seg.run_lengths(short & ~end))
    x[:, c + 8] = log1p_count(seg.run_lengths((w >= 3) & (w <= 16) & ~end & (cues == 0)))
    # Neighbours: prose, length, sentence end, same block.
    x[:, c + 9] = seg.prev(prose, False)
    x[:, c + 10] = seg.next(prose, False)
    x[:, c + 11] = seg.prev(log_words, 0.0)
    x[:, c + 12] = seg.next(log_words, 0.0)
    x[:, c + 13] = seg.prev(end, False)
    x[:, c + 14] = seg.next(end, False)
    x[:, c + 15] = same_prev
    x[:, c + 16] = same_next
    # Prose density around the line and the page's prose before and after it.
    prose_count = seg.prefix(prose.astype(np.int64))
    x[:, c + 17] = seg.window_mean(prose, 3, prose_count)
    x[:, c + 18] = seg.window_mean(prose, 10, prose_count)
    x[:, c + 19] = seg.local / seg.sizes.take(seg.page, mode="clip")
    prose_w = np.where(prose, w, 0)
    prose_words = seg.prefix(prose_w)   # inclusive, per page
    last = prose_words[seg.stop - 1]
    total = np.maximum(last, 1).astype(float)
    before = prose_words - prose_w
    x[:, c + 20] = before / total
    x[:, c + 21] = (last - prose_words) / total
    # Position relative to the headline anchor.
    anchor = pages.anchor.take(seg.page, mode="clip")
    has_anchor = anchor >= 0
    distance = np.where(has_anchor, seg.local - anchor, -1)
    x[:, c + 22] = has_anchor & (distance < 0)
    x[:, c + 23] = has_anchor & (distance == 0)
    x[:, c + 24] = (distance >= 1) & (distance <= 5)
    x[:, c + 25] = log1p_count(np.maximum(distance, 0))
    x[:, c + 26] = ~has_anchor
    feed = ((cues & CUE_BIT["feed"]) != 0) & (before > 0)
    x[:, c + 27] = log1p_count(seg.prefix(feed.astype(np.int64)))
    x[:, c + 28] = pages.slug_overlap
    span = pages.prose_span.take(seg.page, axis=0)
    x[:, c + 29] = (seg.local >= span[:, 0]) & (seg.local < span[:, 1])
    return x
