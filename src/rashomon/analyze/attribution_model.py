"""Learned weights of the attribution finder: linear scorers over string features, pure Python.

The weights are learned by ``benchmarks/attribution_train.py`` (scikit-learn logistic regression,
training only) from the PolNeAR train split (840 US political news articles, 2015-2016,
attributions annotated by Newell et al., LREC 2018). Only feature weights ship, no PolNeAR text;
features that carry a word carry a lemma or a word form, as in any lexicon. Learned rather than
hand-written because PolNeAR's notion of attribution (beliefs, intentions, thousands of cue
words, reports and polls as sources) is far wider than any list we could write by hand: a
45-verb rule baseline reaches source F1 0.59.

Two scorers: ``cue`` (is this token the head of an attribution cue?) and ``source`` (is this
nominal the source of that cue?), each ``sigmoid(bias + sum of weights of present features)``;
and ``gate``: the words other than verbs that headed a cue in training (only these, verbs,
"according" and colons are scored).
"""
from __future__ import annotations

import gzip
import json
import math
from itertools import repeat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("data") / "attribution_model.json"


@dataclass
class LinearScorer:
    """Logistic scorer over string features; ``threshold`` is the decision point chosen in training."""

    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5

    def margin(self, features: list[str]) -> float:
        return self.bias + sum(map(self.weights.get, features, repeat(0.0)))

    def prob(self, features: list[str]) -> float:
        m = self.margin(features)
        if m < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-m))

    def to_dict(self, digits: int = 4) -> dict:
        return {"bias": round(self.bias, digits), "threshold": self.threshold,
                "weights": {k: round(v, digits) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, d: dict) -> "LinearScorer":
        return cls(dict(d["weights"]), float(d.get("bias", 0.0)), float(d.get("threshold", 0.5)))


@dataclass
class AttributionModel:
    """The cue scorer and the source scorer, with the provenance of their training."""

    cue: LinearScorer
    source: LinearScorer
    about: dict
    gate: frozenset[str] = frozenset()

    @property
    def uses_roles(self) -> bool:
        """True when the cue scorer was trained with the role tagger's features."""
        return bool(self.about.get("roles"))

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"about": self.about, "cue": self.cue.to_dict(), "source": self.source.to_dict()}
        data["gate"] = sorted(self.gate)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if str(path).endswith(".gz"):
            with gzip.open(path, "wt", encoding="utf-8") as fh:
                fh.write(text)
        else:
            Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "AttributionModel":
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(LinearScorer.from_dict(data["cue"]), LinearScorer.from_dict(data["source"]),
                   data.get("about", {}), frozenset(data.get("gate", ())))


@lru_cache(maxsize=1)
def default_model() -> AttributionModel:
    """The shipped model (loaded once)."""
    return AttributionModel.load(MODEL_PATH)
