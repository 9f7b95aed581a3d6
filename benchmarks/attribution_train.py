"""Train the attribution model (cue and source scorers) on the PolNeAR train split.

    .venv/bin/python benchmarks/attribution_train.py            # train on train, write the model
    .venv/bin/python benchmarks/attribution_train.py --cv 5     # k-fold cross-validation on train
    .venv/bin/python benchmarks/attribution_train.py --dev      # also score on dev (held out)

Needs scikit-learn (training only; inference is pure Python). Writes
``src/rashomon/analyze/data/attribution_model.json``: feature weights only, no PolNeAR text.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_data import load_split, quote_dict, scorer  # noqa: E402

from rashomon.analyze.attribution_features import (DocContext, cue_features, is_cue_candidate,  # noqa: E402
                                                   lexicon, source_candidates, source_features)
from rashomon.analyze.attribution_model import MODEL_PATH, AttributionModel, LinearScorer  # noqa: E402

log = logging.getLogger("attribution")


# ---------------------------------------------------------------------------------------- gold

def cue_head(span):
    """The syntactic head of a token span (a verb first when several tokens head it)."""
    outs = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    if not outs:
        return span[0]
    verbs = [t for t in outs if t.pos_ in ("VERB", "AUX")]
    return (verbs or outs)[0]


def gold_cues(doc, attributions):
    """{cue head index: (cue token range, source char span or None)} and the set of non-head cue tokens."""
    heads, inner = {}, set()
    for a in attributions:
        if not a.get("cue"):
            continue
        span = doc.char_span(a["cue"][0], a["cue"][1], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        h = cue_head(span)
        heads[h.i] = ((span.start, span.end), tuple(a["source"]) if a.get("source") else None)
        inner.update(t.i for t in span if t.i != h.i)
    return heads, inner - set(heads)


# ---------------------------------------------------------------------------------------- datasets

def build_examples(docs, golds):
    """Cue examples [(doc, features, label)] and source examples [(doc, group, features, label)]."""
    cue_x, cue_y, cue_g, src_x, src_y, src_g = [], [], [], [], [], []
    lex = lexicon()
    for n, (doc, gold) in enumerate(zip(docs, golds)):
        ctx = DocContext.build(doc)
        heads, inner = gold_cues(doc, gold["attributions"])
        for tok in doc:
            if not is_cue_candidate(tok) or tok.i in inner:
                continue
            cue_x.append(cue_features(tok, ctx))
            cue_y.append(int(tok.i in heads))
            cue_g.append(n)
        for hi, (_rng, src) in heads.items():
            cue = doc[hi]
            cls = lex["lemma_class"].get(cue.lemma_.lower(), "none")
            for cand in source_candidates(cue, ctx):
                label = int(src is not None and src[0] <= cand.idx < src[1])
                src_x.append(source_features(cue, cand, ctx, cls))
                src_y.append(label)
                src_g.append(n)
    return (cue_x, cue_y, cue_g), (src_x, src_y, src_g)


def fit(feats, labels, c: float, min_count: int = 2) -> LinearScorer:
    """Logistic regression over one-hot string features; returns the pruned linear scorer."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for fs in feats for f in set(fs))
    vocab = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count and f != "b"))}
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in set(fs):
            k = vocab.get(f)
            if k is not None:
                rows.append(r)
                cols.append(k)
    X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(feats), len(vocab)))
    y = np.asarray(labels)
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    clf.fit(X, y)
    names = sorted(vocab, key=vocab.get)
    w = clf.coef_[0]
    weights = {names[k]: float(w[k]) for k in range(len(names)) if abs(w[k]) >= 1e-3}
    return LinearScorer(weights, float(clf.intercept_[0]), 0.5)


def train(docs, golds, c_cue: float, c_src: float, cue_threshold: float, src_threshold: float,
          about: dict | None = None) -> AttributionModel:
    t0 = time.perf_counter()
    (cx, cy, _), (sx, sy, _) = build_examples(docs, golds)
    log.info("examples: %d cue candidates (%d cues), %d source candidates (%d sources) in %.0f s",
             len(cx), sum(cy), len(sx), sum(sy), time.perf_counter() - t0)
    cue = fit(cx, cy, c_cue)
    cue.threshold = cue_threshold
    src = fit(sx, sy, c_src)
    src.threshold = src_threshold
    log.info("trained: %d cue weights, %d source weights in %.0f s", len(cue.weights), len(src.weights),
             time.perf_counter() - t0)
    return AttributionModel(cue, src, about or {})


# ---------------------------------------------------------------------------------------- scoring

def predict(docs, model):
    from rashomon.analyze.quotes import find_attributions

    return [[quote_dict(a) for a in find_attributions(d, None, model)] for d in docs]


def evaluate(docs, golds, model) -> dict:
    preds = predict(docs, model)
    return scorer()([(g["attributions"], p) for g, p in zip(golds, preds)])


def summary(m: dict) -> str:
    return " ".join(f"{k}={m[k + '_f1']:.3f}({m[k + '_precision']:.2f}/{m[k + '_recall']:.2f})"
                    for k in ("source", "source_exact", "cue", "content", "attribution"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation on train instead of training")
    ap.add_argument("--dev", action="store_true", help="score the trained model on dev")
    ap.add_argument("--c-cue", type=float, default=0.3)
    ap.add_argument("--c-src", type=float, default=0.3)
    ap.add_argument("--cue-threshold", type=float, default=0.5)
    ap.add_argument("--src-threshold", type=float, default=0.3)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _, golds, docs = load_split("train")
    hp = dict(c_cue=args.c_cue, c_src=args.c_src, cue_threshold=args.cue_threshold,
              src_threshold=args.src_threshold)
    if args.cv:
        order = list(range(len(docs)))
        random.Random(13).shuffle(order)
        folds = [order[k::args.cv] for k in range(args.cv)]
        pairs = []
        for k, held in enumerate(folds):
            held_set = set(held)
            tr = [i for i in order if i not in held_set]
            model = train([docs[i] for i in tr], [golds[i] for i in tr], **hp)
            preds = predict([docs[i] for i in held], model)
            pairs.extend((golds[i]["attributions"], p) for i, p in zip(held, preds))
            log.info("fold %d: %s", k, summary(scorer()([(golds[i]["attributions"], p)
                                                       for i, p in zip(held, preds)])))
        log.info("CV %d-fold on train: %s", args.cv, summary(scorer()(pairs)))
        return 0
    about = {"trained_on": "PolNeAR v1.0.0 train split (840 articles), weights only",
             "script": "benchmarks/attribution_train.py", **hp}
    model = train(docs, golds, **hp, about=about)
    if not args.no_save:
        model.save(args.out)
        log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)
    if args.dev:
        _, dgolds, ddocs = load_split("dev")
        log.info("dev: %s", summary(evaluate(ddocs, dgolds, model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
