"""Train the attribution role tagger (``rashomon.analyze.attribution_tagger``) on the PolNeAR train split.

    .venv/bin/python benchmarks/attribution_tagger.py --cv 5      # out-of-fold role probabilities of train
    .venv/bin/python benchmarks/attribution_tagger.py             # train on all of train, write the weights

The cue scorer (``benchmarks/attribution_train.py``) is trained on the out-of-fold probabilities
(``build/quotes/polnear-train-roles-oof.npz``, written by ``--cv``), so that it learns how much
to trust the tagger on articles the tagger has not seen; at run time the tagger trained on all of
train scores new text. spaCy's own training step (``nlp.update``, Adam), one thread, seeds fixed.
Writes ``src/rashomon/analyze/data/attribution_tagger.bin`` (weights only, no PolNeAR text).
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_data import ROLES_OOF, load_split  # noqa: E402
from attribution_train import cue_head  # noqa: E402

from rashomon.analyze.attribution_tagger import LABELS, TAGGER_PATH, new_tagger, predict  # noqa: E402

log = logging.getLogger("attribution")
CHUNK_TOKENS = 120  # training examples: runs of whole sentences of about this many tokens


def role_labels(doc, attributions) -> list[str]:
    """One label of ``LABELS`` per token (PolNeAR is univocal: a token has at most one role)."""
    rank = {lab: k for k, lab in enumerate(("O", "CON", "SRC", "CUE", "CUEH"))}
    labels = ["O"] * len(doc)

    def put(span, lab):
        for t in span:
            if rank[lab] > rank[labels[t.i]]:
                labels[t.i] = lab

    for a in attributions:
        for role, lab in (("content", "CON"), ("source", "SRC"), ("cue", "CUE")):
            if a.get(role):
                span = doc.char_span(a[role][0], a[role][1], alignment_mode="expand")
                if span is not None and len(span):
                    put(span, lab)
                    if lab == "CUE":
                        put([cue_head(span)], "CUEH")
    return labels


def examples_of(doc, labels):
    """Training examples: runs of sentences of about ``CHUNK_TOKENS`` tokens, labels as tags."""
    from spacy.training import Example

    out, start = [], 0
    bounds = [s.end for s in doc.sents]
    for end in bounds:
        if end - start >= CHUNK_TOKENS or end == len(doc):
            if end > start:
                piece = doc[start:end].as_doc()
                out.append(Example.from_dict(piece, {"tags": labels[start:end]}))
            start = end
    return out


def train_tagger(docs, labels, hp, seed: int = 0, on_epoch=None):
    """A role tagger trained on ``docs`` for ``hp['epochs']`` epochs (one thread, fixed seeds);
    ``on_epoch(epoch, tagger)`` is called after each epoch (cross-validation reports)."""
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam, set_gpu_allocator  # noqa: F401

    fix_random_seed(seed)
    nlp, tagger = new_tagger(width=hp["width"], depth=hp["depth"], window=hp["window"])
    examples = [eg for d, lab in zip(docs, labels) for eg in examples_of(d, lab)]
    optimizer = nlp.initialize(lambda: examples[:500])
    optimizer.learn_rate = hp["lr"]
    rng = random.Random(seed)
    n_words = sum(len(eg.predicted) for eg in examples)
    for epoch in range(hp["epochs"]):
        t0 = time.perf_counter()
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=hp["batch"]):
            nlp.update(batch, sgd=optimizer, drop=hp["dropout"], losses=losses)
        log.info("epoch %d: loss %.1f, %.0f words/s", epoch, losses.get("roles", 0.0),
                 n_words / (time.perf_counter() - t0))
        if on_epoch:
            on_epoch(epoch + 1, tagger)
    return tagger


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", type=int, default=0, help="k-fold on train: write out-of-fold probabilities")
    ap.add_argument("--folds", type=int, default=0, help="with --cv: run only the first N folds")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--window", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=16, help="examples per update")
    ap.add_argument("--snapshots", default="", help="with --cv: also keep the out-of-fold probabilities "
                    "after these epochs (comma-separated), to choose the number of epochs")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import numpy as np

    hp = dict(epochs=args.epochs, width=args.width, depth=args.depth, window=args.window, lr=args.lr,
              dropout=args.dropout, batch=args.batch)
    _, golds, docs = load_split("train")
    labels = [role_labels(d, g["attributions"]) for d, g in zip(docs, golds)]
    if args.cv:
        order = list(range(len(docs)))
        random.Random(13).shuffle(order)  # the folds of attribution_train.py --cv
        folds = [order[k::args.cv] for k in range(args.cv)]
        snaps = sorted({int(x) for x in args.snapshots.split(",") if x} | {args.epochs})
        probs: dict[int, dict[int, np.ndarray]] = {e: {} for e in snaps}
        for k, held in enumerate(folds[:args.folds or args.cv]):
            held_set = set(held)
            rest = [i for i in order if i not in held_set]
            t0 = time.perf_counter()

            def on_epoch(epoch, tagger, held=held):
                ps = predict([docs[i] for i in held], tagger)
                log.info("fold %d epoch %d: %s", k, epoch, token_report([labels[i] for i in held], ps))
                if epoch in probs:
                    probs[epoch].update(zip(held, ps))

            train_tagger([docs[i] for i in rest], [labels[i] for i in rest], hp, on_epoch=on_epoch)
            log.info("fold %d trained in %.0f s", k, time.perf_counter() - t0)
            out = args.out or ROLES_OOF
            for e in snaps:  # written after each fold, so a partial run can be used
                path = out if e == args.epochs else out.with_name(out.stem + f"-e{e}.npz")
                np.savez_compressed(path, **{str(i): p.astype(np.float16) for i, p in probs[e].items()})
                log.info("wrote %s (%d articles, epoch %d)", path, len(probs[e]), e)
        return 0
    t0 = time.perf_counter()
    tagger = train_tagger(docs, labels, hp)
    out = args.out or TAGGER_PATH
    out.write_bytes(tagger.to_bytes(exclude=["vocab"]))
    log.info("trained in %.0f s; wrote %s (%.1f MB)", time.perf_counter() - t0, out, out.stat().st_size / 1e6)
    return 0


def token_report(labels, probs) -> str:
    """Token-level cue F1 (CUEH or CUE as argmax) and cue-head average precision."""
    import numpy as np
    from sklearn.metrics import average_precision_score

    y = np.concatenate([[lab in ("CUE", "CUEH") for lab in ls] for ls in labels])
    yh = np.concatenate([[lab == "CUEH" for lab in ls] for ls in labels])
    p = np.concatenate(probs)
    pred = np.isin(p.argmax(1), [LABELS.index("CUE"), LABELS.index("CUEH")])
    tp = (pred & y).sum()
    f1 = 2 * tp / max(1, pred.sum() + y.sum())
    ap_head = average_precision_score(yh, p[:, LABELS.index("CUEH")])
    return f"token cue F1 {f1:.3f}, cue-head AP {ap_head:.3f}"


if __name__ == "__main__":
    sys.exit(main())
