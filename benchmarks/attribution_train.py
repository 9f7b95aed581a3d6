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
from rashomon.analyze.cue_detection import first_pass, second_pass  # noqa: E402

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
    """Per document: cue examples [(features, label)] and source examples [(features, label)]."""
    lex = lexicon()
    out = []
    for doc, gold in zip(docs, golds):
        ctx = DocContext.build(doc)
        heads, inner = gold_cues(doc, gold["attributions"])
        cue_rows, src_rows = [], []
        for tok in doc:
            if not is_cue_candidate(tok) or tok.i in inner:
                continue
            cue_rows.append((cue_features(tok, ctx), int(tok.i in heads)))
        for hi, (_rng, src) in heads.items():
            cue = doc[hi]
            cls = lex["lemma_class"].get(cue.lemma_.lower(), "none")
            for cand in source_candidates(cue, ctx):
                label = int(src is not None and src[0] <= cand.idx < src[1])
                src_rows.append((source_features(cue, cand, ctx, cls), label))
        out.append((cue_rows, src_rows))
    return out


def stack_examples(docs, golds, model):
    """Pass-2 examples [(features, label)] of the given documents under a pass-1 ``model``."""
    rows = []
    for doc, gold in zip(docs, golds):
        ctx = DocContext.build(doc)
        heads, inner = gold_cues(doc, gold["attributions"])
        cands = first_pass(doc, ctx, model)
        for c, feats in second_pass(cands, ctx, model):
            if c.cue.i in inner:
                continue
            rows.append((feats, int(c.cue.i in heads)))
    return rows


def fit(rows, c: float, min_count: int = 2) -> LinearScorer:
    """Logistic regression over one-hot string features; returns the pruned linear scorer."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for fs, _ in rows for f in set(fs))
    vocab = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count and f != "b"))}
    r_idx, c_idx = [], []
    for r, (fs, _) in enumerate(rows):
        for f in set(fs):
            k = vocab.get(f)
            if k is not None:
                r_idx.append(r)
                c_idx.append(k)
    X = csr_matrix((np.ones(len(r_idx), dtype=np.float32), (r_idx, c_idx)), shape=(len(rows), len(vocab)))
    y = np.asarray([lab for _, lab in rows])
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    clf.fit(X, y)
    names = sorted(vocab, key=vocab.get)
    w = clf.coef_[0]
    weights = {names[k]: float(w[k]) for k in range(len(names)) if abs(w[k]) >= 1e-3}
    return LinearScorer(weights, float(clf.intercept_[0]), 0.5)


def fit_pass1(examples, idx, hp) -> AttributionModel:
    cue = fit([r for i in idx for r in examples[i][0]], hp["c_cue"])
    cue.threshold = hp["cue_threshold"]
    src = fit([r for i in idx for r in examples[i][1]], hp["c_src"])
    src.threshold = hp["src_threshold"]
    return AttributionModel(cue, src, {})


def train(docs, golds, examples, idx, hp, inner_k: int = 3, about: dict | None = None) -> AttributionModel:
    """Pass 1 and source on ``idx``; pass 2 on pass-1 scores cross-fitted in ``inner_k`` folds."""
    t0 = time.perf_counter()
    idx = list(idx)
    stack = []
    if inner_k > 1:
        folds = [idx[k::inner_k] for k in range(inner_k)]
        for k, held in enumerate(folds):
            held_set = set(held)
            m = fit_pass1(examples, [i for i in idx if i not in held_set], hp)
            stack.extend(stack_examples([docs[i] for i in held], [golds[i] for i in held], m))
            log.info("  inner fold %d/%d done (%.0f s)", k + 1, inner_k, time.perf_counter() - t0)
    model = fit_pass1(examples, idx, hp)
    if stack:
        model.cue2 = fit(stack, hp["c_stack"])
        model.cue2.threshold = hp["stack_threshold"]
    model.about = about or {}
    log.info("trained on %d articles: %d cue, %d pass-2, %d source weights in %.0f s", len(idx),
             len(model.cue.weights), len(model.cue2.weights) if model.cue2 else 0, len(model.source.weights),
             time.perf_counter() - t0)
    return model


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
    ap.add_argument("--cue-threshold", type=float, default=0.4)
    ap.add_argument("--src-threshold", type=float, default=0.3)
    ap.add_argument("--c-stack", type=float, default=0.3)
    ap.add_argument("--stack-threshold", type=float, default=0.4)
    ap.add_argument("--inner", type=int, default=3, help="folds for the pass-2 (stacking) training data")
    ap.add_argument("--folds", type=int, default=0, help="with --cv: run only the first N folds")
    ap.add_argument("--save-fold", help="with --cv: save each fold's model here (for error analysis)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _, golds, docs = load_split("train")
    hp = dict(c_cue=args.c_cue, c_src=args.c_src, c_stack=args.c_stack, cue_threshold=args.cue_threshold,
              src_threshold=args.src_threshold, stack_threshold=args.stack_threshold)
    t0 = time.perf_counter()
    examples = build_examples(docs, golds)
    log.info("features of %d articles in %.0f s", len(docs), time.perf_counter() - t0)
    if args.cv:
        order = list(range(len(docs)))
        random.Random(13).shuffle(order)
        folds = [order[k::args.cv] for k in range(args.cv)]
        pairs = []
        for k, held in enumerate(folds[:args.folds or args.cv]):
            held_set = set(held)
            model = train(docs, golds, examples, [i for i in order if i not in held_set], hp, args.inner)
            if args.save_fold:
                model.save(Path(args.save_fold))
            preds = predict([docs[i] for i in held], model)
            pairs.extend((golds[i]["attributions"], p) for i, p in zip(held, preds))
            log.info("fold %d: %s", k, summary(scorer()([(golds[i]["attributions"], p)
                                                       for i, p in zip(held, preds)])))
        log.info("CV %d-fold on train: %s", args.cv, summary(scorer()(pairs)))
        return 0
    about = {"trained_on": "PolNeAR v1.0.0 train split (840 articles); feature weights only, no text",
             "script": "benchmarks/attribution_train.py", **hp}
    model = train(docs, golds, examples, range(len(docs)), hp, args.inner, about=about)
    if not args.no_save:
        model.save(args.out)
        log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)
    if args.dev:
        _, dgolds, ddocs = load_split("dev")
        log.info("dev: %s", summary(evaluate(ddocs, dgolds, model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
