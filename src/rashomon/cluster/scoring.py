"""How likely two articles tell the same story: pair features and a logistic model over them.

The features of a pair (article, candidate):

    cos      cosine of the headline+lead embeddings
    term     cosine of the distinctive-word vectors (wordfreq rarity weights)
    ent      cosine of the canonical-entity vectors
    jac      MinHash estimate of the word-3-gram Jaccard similarity (copies and light rewrites)
    logdt    log(1 + days between the publication days), 0 when either date is unknown
    nodt     1 when either date is unknown
    logyc    log(1 + years between the latest years the two texts name), 0 when unknown
    noyc     1 when either text names no year

The weights are data (``data/model.json``), fitted by ``benchmarks/cluster_train.py`` with logistic
regression on every article pair of the three story-level evaluation sets (each set weighted
equally); the decision thresholds were chosen there by cross-validation (the file records how).
Everything here is vectorised over the candidates of one article.

There is deliberately no "same day" bonus: it was tried and learned from BASIL (one story per day)
that a shared date means a shared story, which merged NeuS's three to five same-day stories
(leave-one-dataset-out F1 0.27 on NeuS); in a real feed thousands of stories share a day. Time only
counts against a pair, through ``logdt``, and bounds the search window (``index.py``).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

FEATURES = ("cos", "term", "ent", "jac", "logdt", "nodt", "logyc", "noyc")


@dataclass
class Model:
    """Logistic pair model and the clusterer's decision thresholds."""

    weights: np.ndarray
    bias: float
    join: float
    merge: float
    top: int
    meta: dict

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(same story) for rows of pair features (columns in ``FEATURES`` order)."""
        z = x @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model shipped in ``rashomon/cluster/data/model.json``."""
    data = json.loads(resources.files("rashomon.cluster").joinpath("data/model.json").read_text("utf-8"))
    return model_from_dict(data)


def model_from_dict(data: dict) -> Model:
    """A ``Model`` from its JSON form (feature names must match ``FEATURES``)."""
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(f"model features {names} differ from the code's {FEATURES}")
    return Model(weights=np.asarray(data["weights"], dtype=np.float64), bias=float(data["bias"]),
                 join=float(data["join"]), merge=float(data["merge"]), top=int(data.get("top", 3)),
                 meta={k: v for k, v in data.items() if k not in ("features", "weights", "bias")})


def sparse_overlap(q_keys: np.ndarray, q_weights: np.ndarray, keys: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Dot products of one sparse unit vector (sorted keys) with each row of padded key/weight matrices."""
    if not len(q_keys) or not keys.size:
        return np.zeros(len(keys), dtype=np.float32)
    pos = np.searchsorted(q_keys, keys)
    pos = np.minimum(pos, len(q_keys) - 1)
    hit = q_keys[pos] == keys
    contrib = np.where(hit, q_weights.astype(np.float32)[pos] * weights.astype(np.float32), 0.0)
    return contrib.sum(axis=1)


def day_features(day: tuple[int, int] | None, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
    """(logdt, nodt, dt) of one day interval against candidate intervals (-1 = unknown; dt NaN then)."""
    n = len(lo)
    unknown = lo < 0
    if day is None:
        return np.zeros(n), np.ones(n), np.full(n, np.nan)
    dt = np.maximum(0, np.maximum(lo - day[1], day[0] - hi)).astype(np.float64)
    dt[unknown] = np.nan
    logdt = np.where(unknown, 0.0, np.log1p(np.nan_to_num(dt)))
    return logdt, unknown.astype(np.float64), dt


def year_features(year: int, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(logyc, noyc): distance between the latest years two texts name (0 = none named)."""
    unknown = (years <= 0) | (year <= 0)
    gap = np.abs(years.astype(np.float64) - year)
    return np.where(unknown, 0.0, np.log1p(gap)), unknown.astype(np.float64)


def pair_matrix(query, cos: np.ndarray, jac: np.ndarray, cand: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (``FEATURES`` order) of ``query`` against candidates; also the day gaps (NaN = unknown).

    ``cand`` holds the candidates' columns: ``tkeys``/``tw`` and ``ekeys``/``ew`` (padded sparse
    vectors), ``day_lo``/``day_hi`` and ``year``.
    """
    term = sparse_overlap(query.term_keys, query.term_weights, cand["tkeys"], cand["tw"])
    ent = sparse_overlap(query.entity_keys, query.entity_weights, cand["ekeys"], cand["ew"])
    logdt, nodt, dt = day_features(query.day, cand["day_lo"], cand["day_hi"])
    qyear = max(query.years) if query.years else 0
    logyc, noyc = year_features(qyear, cand["year"])
    x = np.column_stack([cos, term, ent, jac, logdt, nodt, logyc, noyc]).astype(np.float64)
    return x, dt


def top_mean(p: np.ndarray, top: int) -> float:
    """Mean of the ``top`` highest probabilities (all of them when fewer)."""
    if len(p) <= top:
        return float(p.mean())
    return float(np.sort(p)[-top:].mean())


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
