"""The learned line classifier of the scraped-text cleaner and its decoding into a body.

Two logistic-regression stages score every line of ``lines.Pages``: stage 1 reads the line's own
features (``features.FEATURE_NAMES``); stage 2 reads the same features plus stage 1's scores of the
neighbouring lines, of the page before and after the line, and of the best span of stage-1 scores
(a cheap stand-in for a sequence model). Decoding keeps the best-scoring contiguous span of lines
(a maximum-subarray search over the lines' scores, so the body stops where a trailing feed of other
stories begins) and drops the lines inside it that still score as clutter.

The weights are data (``data/text_model.json``), trained by ``benchmarks/text_extraction_cv.py``
on pages whose body is known; inference is a few numpy products. Lines that the outlet's template
memory has seen on many of its pages get a fixed penalty: the training pages come one or two per
site, so that weight cannot be learned from them. Everything runs on a batch of pages at once, with
page-aware windows and spans (``extract.segments``), so numpy's per-call cost is paid per batch.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources

import numpy as np

from rashomon.extract.cues import CUE_BIT
from rashomon.extract.features import FEATURE_NAMES, line_features
from rashomon.extract.lines import Pages

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

    def scores(self, pages: Pages, features: np.ndarray | None = None) -> np.ndarray:
        """Stage-2 logit of every line of the batch (positive: body)."""
        x = line_features(pages) if features is None else features
        if len(x) == 0:
            return np.zeros(0)
        z1 = x @ self.stage1 + self.bias1
        width = x.shape[1]
        return x @ self.stage2[:width] + stacked_features(pages, z1) @ self.stage2[width:] + self.bias2

    def penalise(self, z: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """Logits of lines the outlet's template memory knows (their share of its pages) lowered."""
        return z - self.template_penalty * (shares >= self.template_min_share)

    def decode(self, pages: Pages, z: np.ndarray) -> np.ndarray:
        """Body mask of the batch: per page, the best span of lines by score, minus the lines in it
        that score below the threshold. A page with prose but no line above the threshold keeps its
        best-scoring lines (relative to its top score), so an unusual layout still yields its
        likeliest body."""
        seg = pages.seg
        keep = self._decode(pages, z)
        kept_any = seg.max(keep, False)
        top = seg.max(np.where(pages.prose, z, -np.inf), -np.inf)
        retry = ~kept_any & (top > -np.inf) & (top > self.fallback_floor)
        if retry.any():
            shifted = z + np.where(retry, self.threshold + 0.5 - top, 0.0)[seg.page]
            again = self._decode(pages, shifted)
            keep = np.where(retry.take(seg.page, mode="clip"), again, keep)
        return keep

    def _decode(self, pages: Pages, z: np.ndarray) -> np.ndarray:
        seg = pages.seg
        start, end = best_spans(pages, z, self.span_margin, self.boundary_penalty)
        keep = self._keep(pages, z, start, end)
        if self.feed_penalty:
            # Text after a feed heading must be clearly body to be kept: a trailing "News Feed" of
            # other stories is cut, an article that resumes after a sidebar is not.
            stop = feed_stops(pages, keep, start, end, self.feed_stop_words)
            cut = stop < end
            if cut.any():
                after = cut.take(seg.page, mode="clip") & (seg.local >= stop.take(seg.page, mode="clip"))
                z = z - self.feed_penalty * after
                start2, end2 = best_spans(pages, z, self.span_margin, self.boundary_penalty)
                start, end = np.where(cut, start2, start), np.where(cut, end2, end)
                keep = self._keep(pages, z, start, end)
        # Interface text, newsletter prompts, read-time and audio notices, adverts, short date and
        # byline lines: never body. Nor is a "body" without a single line of prose (a login form).
        cues, words = pages.cues, pages.words
        longest = seg.max(np.where(keep, words, 0), 0)
        keep &= ~((words <= 12) & (((cues & _CLUTTER) != 0) | (((cues & _HEADER) != 0) & ~pages.sentence_end)))
        keep &= (longest >= self.min_line_words)[seg.page]
        return keep

    def _keep(self, pages: Pages, z: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        seg = pages.seg
        local = seg.local
        return (local >= start.take(seg.page, mode="clip")) & (local < end.take(seg.page, mode="clip")) & (z > self.threshold)


def feed_stops(pages: Pages, keep: np.ndarray, start: np.ndarray, end: np.ndarray, min_words: int) -> np.ndarray:
    """Per page, the local index where a trailing feed begins: the first feed heading ("News Feed",
    "More news") inside the span once ``min_words`` body words came before it; ``end`` when none."""
    seg = pages.seg
    kept_words = np.where(keep, pages.words, 0)          # ``keep`` is empty outside the span
    before = seg.prefix(kept_words) - kept_words
    local = seg.local
    heading = (((pages.cues & CUE_BIT["feed"]) != 0) & (pages.words <= 6) & (before >= min_words)
               & (local >= start.take(seg.page, mode="clip")) & (local < end.take(seg.page, mode="clip")))
    found = seg.first_true(heading)
    return np.where(found >= 0, found - seg.offsets[:-1], end)


def stacked_features(pages: Pages, z: np.ndarray) -> np.ndarray:
    """Stage-2 inputs from stage-1 logits: neighbours' scores, window means and maxima, the share of
    the page's likely body words before and after each line, and the best span of the scores."""
    seg = pages.seg
    n = len(z)
    zc = np.clip(z, -_CLIP, _CLIP)
    words = pages.words.astype(float)
    body_step = seg.fixed(words / (1.0 + np.exp(-zc)))   # likely body words, fixed point
    body = seg.prefix(body_step)                          # inclusive
    total = np.maximum(body[seg.stop - 1], 1).astype(float)
    prev1, next1 = seg.prev(zc, -_CLIP), seg.next(zc, -_CLIP)
    prev2, next2 = seg.prev(zc, -_CLIP, 2), seg.next(zc, -_CLIP, 2)
    prev_max = np.maximum(np.maximum(prev1, prev2), seg.prev(zc, -_CLIP, 3))
    next_max = np.maximum(np.maximum(next1, next2), seg.next(zc, -_CLIP, 3))
    start, end = best_spans(pages, zc, 0.0)
    local = seg.local
    span_start, span_end = start.take(seg.page, mode="clip"), end.take(seg.page, mode="clip")
    return np.column_stack([
        zc, prev1, next1, prev2, next2, seg.window_mean(zc, 3), seg.window_mean(zc, 8), prev_max, next_max,
        (body - body_step) / total, (body[seg.stop - 1] - body) / total,
        (local >= span_start) & (local < span_end), np.log1p(np.maximum(span_start - local, 0)),
        np.log1p(np.maximum(local - span_end + 1, 0)),
        zc - seg.max(zc, 0.0)[seg.page], seg.window_mean((zc > 0).astype(np.int64), 5),
    ]) if n else np.zeros((0, len(STACKED_NAMES)))


def best_spans(pages: Pages, z: np.ndarray, margin: float = 0.0, boundary: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Per page, lines ``[start, end)`` maximising the sum of line gains, where a line's gain is its
    score (minus ``margin``) weighted by its length: clutter between paragraphs is bridged when the
    text after it outweighs it, and a trailing feed is cut off when it does not. Feed headings and
    comment lines cost ``boundary`` more. Empty span ``(0, 0)`` when no line gains."""
    gain = np.clip(z - margin, -_CLIP, _CLIP) * np.log1p(pages.words.astype(float))
    if boundary:
        gain -= boundary * ((pages.cues & _STOP) != 0)
    return pages.seg.best_spans(gain)
