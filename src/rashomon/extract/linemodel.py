"""The learned line classifier of the scraped-text cleaner and its decoding into a body.

Two logistic-regression stages score every line of a ``lines.Page``: stage 1 reads the line's own
features (``lines.FEATURE_NAMES``); stage 2 reads the same features plus stage 1's scores of the
neighbouring lines, of the page before and after the line, and of the best span of stage-1 scores
(a cheap stand-in for a sequence model). Decoding keeps the best-scoring contiguous span of lines
(a maximum-subarray search over the lines' scores, so the body stops where a trailing feed of other
stories begins) and drops the lines inside it that still score as clutter.

The weights are data (``data/text_model.json``), trained by ``benchmarks/text_extraction_cv.py``
on pages whose body is known; inference is a few numpy products. Lines that the outlet's template
memory has seen on many of its pages get a fixed penalty: the training pages come one or two per
site, so that weight cannot be learned from them.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources

import numpy as np

from rashomon.extract.cues import CUE_BIT
from rashomon.extract.lines import FEATURE_NAMES, Page, line_features

log = logging.getLogger(__name__)

STACKED_NAMES: tuple[str, ...] = (
    "z", "z_prev", "z_next", "z_prev2", "z_next2", "z_mean3", "z_mean8", "z_max_prev3", "z_max_next3",
    "body_before", "body_after", "in_span", "before_span_log", "after_span_log", "z_minus_top",
    "positive_window5",
)
_CLIP = 8.0
_STOP = CUE_BIT["feed"] | CUE_BIT["comment"]
_HEADER = CUE_BIT["date"] | CUE_BIT["dateline_cue"] | CUE_BIT["byline"]
_CLUTTER = (CUE_BIT["interface"] | CUE_BIT["newsletter"] | CUE_BIT["read_time"] | CUE_BIT["audio"]
            | CUE_BIT["advert"] | CUE_BIT["social"])


@dataclass
class LineModel:
    """Weights of both stages and the decoding settings."""

    stage1: np.ndarray
    bias1: float
    stage2: np.ndarray
    bias2: float
    threshold: float = -1.5       # logit above which a line inside the span is kept
    span_margin: float = -1.5     # subtracted from logits before the span search (lower: longer spans)
    template_penalty: float = 6.0  # logit removed from lines the outlet's template memory knows
    template_min_share: float = 0.5
    boundary_penalty: float = 0.0  # extra cost of crossing a feed heading or comment line
    fallback_floor: float = -4.0   # a page whose best prose line scores below this has no article
    feed_stop_words: int = 50      # body words after which a feed heading may end the body
    feed_penalty: float = 0.0      # logit removed from the lines after such a heading
    min_line_words: int = 10       # a body needs one line at least this long

    def __post_init__(self) -> None:
        self.stage1 = np.asarray(self.stage1, dtype=float)
        self.stage2 = np.asarray(self.stage2, dtype=float)

    @classmethod
    def load(cls, name: str = "text_model.json") -> "LineModel":
        """The model shipped in ``extract/data``."""
        data = json.loads(resources.files("rashomon.extract").joinpath("data", name).read_text("utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES or tuple(data["stacked"]) != STACKED_NAMES:
            raise ValueError(f"{name} was trained on other features; retrain it with benchmarks/text_extraction_cv.py")
        return cls(stage1=data["stage1"]["coef"], bias1=data["stage1"]["intercept"],
                   stage2=data["stage2"]["coef"], bias2=data["stage2"]["intercept"], **data.get("decode", {}))

    def to_json(self) -> dict:
        """The JSON document ``load`` reads."""
        return {"features": list(FEATURE_NAMES), "stacked": list(STACKED_NAMES),
                "stage1": {"coef": [round(float(v), 6) for v in self.stage1], "intercept": round(self.bias1, 6)},
                "stage2": {"coef": [round(float(v), 6) for v in self.stage2], "intercept": round(self.bias2, 6)},
                "decode": {"threshold": self.threshold, "span_margin": self.span_margin,
                           "template_penalty": self.template_penalty,
                           "template_min_share": self.template_min_share,
                           "boundary_penalty": self.boundary_penalty, "fallback_floor": self.fallback_floor,
                           "feed_stop_words": self.feed_stop_words, "feed_penalty": self.feed_penalty,
                           "min_line_words": self.min_line_words}}

    def scores(self, page: Page, features: np.ndarray | None = None,
               template_shares: list[float] | None = None) -> np.ndarray:
        """Stage-2 logit of every line (positive: body)."""
        x = line_features(page) if features is None else features
        if len(x) == 0:
            return np.zeros(0)
        z1 = x @ self.stage1 + self.bias1
        width = x.shape[1]
        z = x @ self.stage2[:width] + stacked_features(page, z1) @ self.stage2[width:] + self.bias2
        if template_shares:
            shares = np.asarray(template_shares)
            z = z - self.template_penalty * (shares >= self.template_min_share)
        return z

    def decode(self, page: Page, z: np.ndarray) -> list[bool]:
        """Body mask: the best span of lines by score, minus the lines in it that score below the
        threshold. A page with prose but no line above the threshold keeps its best-scoring lines
        (relative to its top score), so an unusual layout still yields its likeliest body."""
        keep = self._decode(page, z)
        if not keep.any() and len(z) and any(page.prose):
            top = max(z[i] for i, p in enumerate(page.prose) if p)
            if top > self.fallback_floor:
                keep = self._decode(page, z + (self.threshold + 0.5 - top))
        return keep.tolist()

    def _decode(self, page: Page, z: np.ndarray) -> np.ndarray:
        start, end = best_span(page, z, self.span_margin, self.boundary_penalty)
        keep = np.zeros(len(z), dtype=bool)
        keep[start:end] = z[start:end] > self.threshold
        if self.feed_penalty:
            # Text after a feed heading must be clearly body to be kept: a trailing "News Feed" of
            # other stories is cut, an article that resumes after a sidebar is not.
            stop = feed_stop(page, keep, start, end, self.feed_stop_words)
            if stop < end:
                z = z.copy()
                z[stop:] -= self.feed_penalty
                start, end = best_span(page, z, self.span_margin, self.boundary_penalty)
                keep[:] = False
                keep[start:end] = z[start:end] > self.threshold
        # Interface text, newsletter prompts, read-time and audio notices, adverts, short date and
        # byline lines: never body. Nor is a "body" without a single line of prose (a login form).
        kept = np.flatnonzero(keep)
        for i in kept:
            if page.words[i] <= 12 and (page.cues[i] & _CLUTTER or (
                    page.cues[i] & _HEADER and not page.sentence_end[i])):
                keep[i] = False
        if len(kept) and max(page.words[i] for i in kept) < self.min_line_words:
            keep[:] = False
        return keep


def feed_stop(page: Page, keep: np.ndarray, start: int, end: int, min_words: int) -> int:
    """Index where a trailing feed begins: the first feed heading ("News Feed", "More news") inside
    the span once ``min_words`` body words came before it; ``end`` when there is none."""
    body_words = 0
    feed, words, cues = CUE_BIT["feed"], page.words, page.cues
    for i in range(start, end):
        if cues[i] & feed and words[i] <= 6 and body_words >= min_words:
            return i
        if keep[i]:
            body_words += words[i]
    return end


def stacked_features(page: Page, z: np.ndarray) -> np.ndarray:
    """Stage-2 inputs from stage-1 logits: neighbours' scores, window means and maxima, the share of
    the page's likely body words before and after each line, and the best span of the scores."""
    n = len(z)
    zc = np.clip(z, -_CLIP, _CLIP)
    words = np.asarray(page.words, dtype=float)
    prefix = np.concatenate(([0.0], np.cumsum(zc)))
    body = np.concatenate(([0.0], np.cumsum(words / (1.0 + np.exp(-zc)))))
    total = body[-1] or 1.0
    idx = np.arange(n)
    padded = np.concatenate((np.full(3, -_CLIP), zc, np.full(3, -_CLIP)))
    prev_max = np.max(np.stack([padded[2:n + 2], padded[1:n + 1], padded[0:n]]), axis=0)
    next_max = np.max(np.stack([padded[4:n + 4], padded[5:n + 5], padded[6:n + 6]]), axis=0)
    start, end = best_span(page, zc, 0.0)
    positive = np.concatenate(([0.0], np.cumsum(zc > 0)))
    return np.column_stack([
        zc, padded[2:n + 2], padded[4:n + 4], padded[1:n + 1], padded[5:n + 5],
        _window(prefix, idx, n, 3), _window(prefix, idx, n, 8), prev_max, next_max,
        body[:-1] / total, (body[-1] - body[1:]) / total,
        (idx >= start) & (idx < end), np.log1p(np.maximum(start - idx, 0)), np.log1p(np.maximum(idx - end + 1, 0)),
        zc - zc.max(), _window(positive, idx, n, 5),
    ])


def _window(prefix: np.ndarray, idx: np.ndarray, n: int, radius: int) -> np.ndarray:
    lo = np.maximum(idx - radius, 0)
    hi = np.minimum(idx + radius + 1, n)
    return (prefix[hi] - prefix[lo]) / (hi - lo)


def best_span(page: Page, z: np.ndarray, margin: float = 0.0, boundary: float = 0.0) -> tuple[int, int]:
    """Lines ``[start, end)`` maximising the sum of line gains, where a line's gain is its score
    (minus ``margin``) weighted by its length: clutter between paragraphs is bridged when the text
    after it outweighs it, and a trailing feed is cut off when it does not. Feed headings and comment
    lines cost ``boundary`` more. Empty span ``(0, 0)`` when no line gains."""
    n = len(z)
    if n == 0:
        return 0, 0
    gain = np.clip(z - margin, -_CLIP, _CLIP) * np.log1p(np.asarray(page.words, dtype=float))
    if boundary:
        gain -= boundary * ((np.asarray(page.cues) & _STOP) != 0)
    cumulative = np.concatenate(([0.0], np.cumsum(gain)))
    lowest_before = np.minimum.accumulate(cumulative[:-1])
    totals = cumulative[1:] - lowest_before
    end = int(np.argmax(totals))
    if totals[end] <= 0:
        return 0, 0
    start = int(np.flatnonzero(cumulative[:end + 1] == lowest_before[end])[-1])
    return start, end + 1
