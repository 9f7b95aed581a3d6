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
from attribution_data import ROLES_OOF, load_split, quote_dict, scorer  # noqa: E402

from rashomon.analyze.attribution_features import (DocContext, cue_features, effective_subject,  # noqa: E402
                                                   is_cue_candidate, lexicon, source_candidates,
                                                   source_features)
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
    """{cue head index: source char span or None} and the set of the other tokens of gold cues."""
    heads, inner = {}, set()
    for a in attributions:
        if not a.get("cue"):
            continue
        span = doc.char_span(a["cue"][0], a["cue"][1], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        h = cue_head(span)
        heads[h.i] = tuple(a["source"]) if a.get("source") else None
        inner.update(t.i for t in span if t.i != h.i)
    return heads, inner - set(heads)


# ---------------------------------------------------------------------------------------- datasets

def build_examples(docs, golds, roles=None):
    """Per document: cue examples [(features, label, lemma, pos)] and source examples [(features, label)].
    ``roles``: per document, the role tagger's out-of-fold probabilities (or None)."""
    lex = lexicon()
    out = []
    for k, (doc, gold) in enumerate(zip(docs, golds)):
        ctx = DocContext.build(doc, roles[k] if roles is not None else None)
        heads, inner = gold_cues(doc, gold["attributions"])
        cue_rows, src_rows = [], []
        for i in range(len(doc)):
            if i in inner or not is_cue_candidate(i, ctx):
                continue
            cue_rows.append((cue_features(i, ctx), int(i in heads), ctx.lemma[i], ctx.pos[i]))
        for hi, src in heads.items():
            cls = lex["lemma_class"].get(ctx.lemma[hi], "none")
            esubj = effective_subject(hi, ctx)
            for cand in source_candidates(hi, ctx):
                label = int(src is not None and src[0] <= ctx.idx[cand] < src[1])
                src_rows.append((source_features(hi, cand, ctx, cls, esubj), label))
        out.append((cue_rows, src_rows))
    return out


def learn_gate(examples, idx, min_count: int = 2) -> frozenset[str]:
    """Lemmas other than verbs that headed a gold cue at least ``min_count`` times."""
    counts = Counter(r[2] for i in idx for r in examples[i][0] if r[1] and r[3] not in ("VERB", "AUX"))
    return frozenset(w for w, n in counts.items() if n >= min_count)


def fit(rows, c: float, min_count: int = 3, min_weight: float = 0.01) -> LinearScorer:
    """Logistic regression over one-hot string features; returns the pruned linear scorer."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for r in rows for f in set(r[0]))
    vocab = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    r_idx, c_idx = [], []
    for r, row in enumerate(rows):
        for f in set(row[0]):
            k = vocab.get(f)
            if k is not None:
                r_idx.append(r)
                c_idx.append(k)
    X = csr_matrix((np.ones(len(r_idx), dtype=np.float32), (r_idx, c_idx)), shape=(len(rows), len(vocab)))
    y = np.asarray([row[1] for row in rows])
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    clf.fit(X, y)
    names = sorted(vocab, key=vocab.get)
    w = clf.coef_[0]
    weights = {names[k]: float(w[k]) for k in range(len(names)) if abs(w[k]) >= min_weight}
    return LinearScorer(weights, float(clf.intercept_[0]), 0.5)


def train(examples, idx, hp, about: dict | None = None) -> AttributionModel:
    """Cue scorer, source scorer and gate from the documents ``idx``."""
    t0 = time.perf_counter()
    idx = list(idx)
    gate = learn_gate(examples, idx)
    cue_rows = [r for i in idx for r in examples[i][0] if r[3] in ("VERB", "AUX") or r[2] in gate
                or r[3] == "PUNCT"]
    cue = fit(cue_rows, hp["c_cue"])
    cue.threshold = hp["cue_threshold"]
    src = fit([r for i in idx for r in examples[i][1]], hp["c_src"])
    src.threshold = hp["src_threshold"]
    log.info("trained on %d articles (%d cue candidates): %d cue, %d source weights, gate of %d words in %.0f s",
             len(idx), len(cue_rows), len(cue.weights), len(src.weights), len(gate), time.perf_counter() - t0)
    return AttributionModel(cue, src, about or {}, gate)


# ---------------------------------------------------------------------------------------- scoring

def predict(docs, model, roles=None):
    """Quotes of ``docs``; ``roles``: per doc, the role tagger's probabilities (None: the shipped tagger's)."""
    from rashomon.analyze.quotes import find_attributions

    roles = roles or [None] * len(docs)
    return [[quote_dict(a) for a in find_attributions(d, None, model, r)] for d, r in zip(docs, roles)]


def load_roles(path: Path, n: int) -> list:
    """Out-of-fold role probabilities of the train articles (``attribution_tagger.py --cv``)."""
    import numpy as np

    data = np.load(path)
    if len(data.files) != n:
        raise SystemExit(f"{path} has role probabilities for {len(data.files)} of {n} articles")
    return [data[str(i)].astype(np.float32) for i in range(n)]


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
    ap.add_argument("--cue-threshold", type=float, default=0.35)
    ap.add_argument("--src-threshold", type=float, default=0.3)
    ap.add_argument("--thresholds", help="with --cv: comma-separated cue thresholds to compare")
    ap.add_argument("--folds", type=int, default=0, help="with --cv: run only the first N folds")
    ap.add_argument("--save-fold", help="with --cv: save each fold's model here (for error analysis)")
    ap.add_argument("--roles", type=Path, nargs="?", const=ROLES_OOF, default=None,
                    help="train the cue scorer with the role tagger's out-of-fold probabilities "
                    f"(default path {ROLES_OOF.relative_to(ROLES_OOF.parents[2])})")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _, golds, docs = load_split("train")
    hp = dict(c_cue=args.c_cue, c_src=args.c_src, cue_threshold=args.cue_threshold,
              src_threshold=args.src_threshold)
    roles = load_roles(args.roles, len(docs)) if args.roles else None
    t0 = time.perf_counter()
    examples = build_examples(docs, golds, roles)
    log.info("features of %d articles in %.0f s", len(docs), time.perf_counter() - t0)
    if args.cv:
        order = list(range(len(docs)))
        random.Random(13).shuffle(order)
        folds = [order[k::args.cv] for k in range(args.cv)]
        thresholds = [float(x) for x in args.thresholds.split(",")] if args.thresholds else [args.cue_threshold]
        pairs: dict[float, list] = {t: [] for t in thresholds}
        for k, held in enumerate(folds[:args.folds or args.cv]):
            held_set = set(held)
            model = train(examples, [i for i in order if i not in held_set], hp,
                          about={"roles": True} if roles else {})
            if args.save_fold:
                model.save(Path(args.save_fold))
            for t in thresholds:
                model.cue.threshold = t
                preds = predict([docs[i] for i in held], model, [roles[i] for i in held] if roles else None)
                fold_pairs = [(golds[i]["attributions"], p) for i, p in zip(held, preds)]
                pairs[t].extend(fold_pairs)
                log.info("fold %d, cue threshold %.2f: %s", k, t, summary(scorer()(fold_pairs)))
        for t in thresholds:
            log.info("CV %d-fold on train, cue threshold %.2f: %s", args.cv, t, summary(scorer()(pairs[t])))
        return 0
    about = {"trained_on": "PolNeAR v1.0.0 train split (840 articles); feature weights only, no text",
             "script": "benchmarks/attribution_train.py", "roles": bool(roles), **hp}
    model = train(examples, range(len(docs)), hp, about=about)
    if not args.no_save:
        model.save(args.out)
        log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)
    if args.dev:
        _, dgolds, ddocs = load_split("dev")
        log.info("dev: %s", summary(evaluate(ddocs, dgolds, model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
