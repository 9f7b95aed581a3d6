"""The learned line classifier of the scraped-text cleaner and its decoding into a body.

Two logistic-regression stages score every line of a ``lines.Page``: stage 1 reads the line's own
features (``lines.FEATURE_NAMES``); stage 2 reads the same features plus stage 1's scores of the
neighbouring lines and of the page before and after the line (a cheap stand-in for a sequence
model). Decoding then keeps the best-scoring contiguous span of lines (a maximum-subarray search
over the lines' scores, so the body stops where a trailing feed of other stories begins) and drops
the lines inside it that score as clutter.

The weights are data (``data/text_model.json``), trained by ``benchmarks/text_extraction_cv.py``
on pages whose body is known; inference is plain Python so the package needs no numerical library.
Lines that the outlet's template memory has seen on many of its pages get a fixed penalty: the
benchmark pages come one or two per site, so that weight cannot be learned from them.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from importlib import resources

from rashomon.extract.lines import CUE_BIT, FEATURE_NAMES, Page, line_features

log = logging.getLogger(__name__)

STACKED_NAMES: tuple[str, ...] = (
    "z", "z_prev", "z_next", "z_prev2", "z_next2", "z_mean3", "z_mean8", "z_max_prev3", "z_max_next3",
    "body_before", "body_after", "in_span", "before_span_log", "after_span_log", "z_minus_top",
    "positive_window5",
)


@dataclass
class LineModel:
    """Weights of both stages and the decoding settings."""

    stage1: list[float]
    bias1: float
    stage2: list[float]
    bias2: float
    threshold: float = 0.0       # logit above which a line inside the span is kept
    span_margin: float = 0.0     # logit subtracted before the span search (higher: shorter spans)
    template_penalty: float = 6.0
    template_min_share: float = 0.5
    boundary_penalty: float = 0.0  # extra cost of crossing a feed heading or comment line
    fallback_floor: float = -4.0  # a page whose best prose line scores below this has no article

    @classmethod
    def load(cls, name: str = "text_model.json") -> "LineModel":
        """The model shipped in ``extract/data``."""
        data = json.loads(resources.files("rashomon.extract").joinpath("data", name).read_text("utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES or tuple(data["stacked"]) != STACKED_NAMES:
            raise ValueError(f"{name} was trained on other features; retrain it with benchmarks/text_extraction_cv.py")
        return cls(stage1=data["stage1"]["coef"], bias1=data["stage1"]["intercept"],
                   stage2=data["stage2"]["coef"], bias2=data["stage2"]["intercept"],
                   **data.get("decode", {}))

    def to_json(self) -> dict:
        """The JSON document ``load`` reads."""
        return {"features": list(FEATURE_NAMES), "stacked": list(STACKED_NAMES),
                "stage1": {"coef": self.stage1, "intercept": self.bias1},
                "stage2": {"coef": self.stage2, "intercept": self.bias2},
                "decode": {"threshold": self.threshold, "span_margin": self.span_margin,
                           "template_penalty": self.template_penalty,
                           "template_min_share": self.template_min_share,
                           "boundary_penalty": self.boundary_penalty, "fallback_floor": self.fallback_floor}}

    def scores(self, page: Page, features: list[list[float]] | None = None,
               template_shares: list[float] | None = None) -> list[float]:
        """Stage-2 logit of every line (positive: body)."""
        rows = features if features is not None else line_features(page)
        w1, b1 = self.stage1, self.bias1
        z1 = [b1 + sum(c * x for c, x in zip(w1, row)) for row in rows]
        w2, b2 = self.stage2, self.bias2
        stacked = stacked_features(page, z1)
        z2 = [b2 + sum(c * x for c, x in zip(w2, row + extra)) for row, extra in zip(rows, stacked)]
        if template_shares:
            floor, penalty = self.template_min_share, self.template_penalty
            z2 = [z - penalty * (s - floor) / (1 - floor) - penalty if s >= floor else z
                  for z, s in zip(z2, template_shares)]
        return z2

    def decode(self, page: Page, z: list[float]) -> list[bool]:
        """Body mask: the best span of lines by score, minus the lines in it that score below the
        threshold. A page with prose but no line above the threshold keeps its best-scoring lines
        (relative to its top score), so an unusual layout still yields its likeliest body."""
        keep = self._decode(page, z)
        if not any(keep) and z and any(page.prose):
            top = max(z[i] for i, p in enumerate(page.prose) if p)
            if top > self.fallback_floor:
                shift = self.threshold + 0.5 - top
                keep = self._decode(page, [v + shift for v in z])
        return keep

    def _decode(self, page: Page, z: list[float]) -> list[bool]:
        start, end = best_span(page, z, self.span_margin, self.boundary_penalty)
        keep = [False] * len(z)
        for i in range(start, end):
            keep[i] = z[i] > self.threshold
        return keep


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def stacked_features(page: Page, z: list[float]) -> list[list[float]]:
    """Stage-2 inputs from stage-1 logits: neighbours' scores, window means, and the share of the
    page's likely body words before and after each line."""
    n = len(z)
    zc = [max(-8.0, min(8.0, v)) for v in z]
    prefix = [0.0] * (n + 1)
    body_words = [0.0] * (n + 1)
    for i, v in enumerate(zc):
        prefix[i + 1] = prefix[i] + v
        body_words[i + 1] = body_words[i] + page.words[i] * _sigmoid(v)
    total = body_words[n] or 1.0
    start, end = best_span(page, zc, 0.0)
    top = max(zc) if zc else 0.0
    positive = [0] * (n + 1)
    for i, v in enumerate(zc):
        positive[i + 1] = positive[i] + (v > 0)
    out = []
    for i in range(n):
        lo3, hi3, lo8, hi8 = max(0, i - 3), min(n, i + 4), max(0, i - 8), min(n, i + 9)
        lo5, hi5 = max(0, i - 5), min(n, i + 6)
        out.append([
            zc[i],
            zc[i - 1] if i > 0 else -8.0, zc[i + 1] if i + 1 < n else -8.0,
            zc[i - 2] if i > 1 else -8.0, zc[i + 2] if i + 2 < n else -8.0,
            (prefix[hi3] - prefix[lo3]) / (hi3 - lo3), (prefix[hi8] - prefix[lo8]) / (hi8 - lo8),
            max(zc[lo3:i]) if i > 0 else -8.0, max(zc[i + 1:hi3]) if i + 1 < n else -8.0,
            body_words[i] / total, (body_words[n] - body_words[i + 1]) / total,
            float(start <= i < end), math.log1p(start - i) if i < start else 0.0,
            math.log1p(i - end + 1) if i >= end else 0.0, zc[i] - top,
            (positive[hi5] - positive[lo5]) / (hi5 - lo5),
        ])
    return out


def best_span(page: Page, z: list[float], margin: float = 0.0, boundary: float = 0.0) -> tuple[int, int]:
    """Lines ``[start, end)`` maximising the sum of line gains, where a line's gain is its score
    (minus ``margin``) weighted by its length: clutter between paragraphs is bridged when the text
    after it outweighs it, and a trailing feed is cut off when it does not. Feed headings and comment
    lines cost ``boundary`` more."""
    best, span = 0.0, (0, 0)
    run, run_start = 0.0, 0
    stop = CUE_BIT["feed"] | CUE_BIT["comment"]
    cues = page.cues
    for i, (v, w) in enumerate(zip(z, page.words)):
        gain = max(-8.0, min(8.0, v - margin)) * math.log1p(w)
        if boundary and cues[i] & stop:
            gain -= boundary
        if run <= 0:
            run, run_start = 0.0, i
        run += gain
        if run > best:
            best, span = run, (run_start, i + 1)
    return span
