#!/usr/bin/env python3
"""Train and cross-validate the scraped-text line model on the Zyte pages rendered to text.

Labels come from aligning each page's lines with its gold body (a line is body when most of its
words align). Pages are split into k folds grouped by site (no site is both trained on and scored);
every page is scored by a model that never saw it, with the product's own ``extract_text``, and the
Zyte metric of ``shared/eval/tools/eval_metrics.py`` is printed. ``--write`` then trains on all pages
and writes the package's default weights (``src/rashomon/extract/data/text_model.json``). The speed
line times ``extract_text`` over all pages on one core.

  .venv/bin/python benchmarks/text_extraction_cv.py [--data build/eval] [--folds 5] [--write]

Needs scikit-learn (training only; the package reads the weights in plain Python).
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: the machine is shared, and threads only contend here

ROOT = Path(__file__).resolve().parents[1]
EVAL_TOOLS = ROOT.parent / "shared" / "eval" / "tools"
MODEL_PATH = ROOT / "src" / "rashomon" / "extract" / "data" / "text_model.json"
TOKEN = re.compile(r"\w+")
WEIGHT_POWER = 1.5  # default of --weight-power: a line's sample weight is min(words, 40) ** WEIGHT_POWER: long lines carry the metric


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def line_labels(lines: list[str], gold: str) -> list[int]:
    """1 for lines whose words mostly align with the gold body (difflib over word sequences)."""
    tokens, owner = [], []
    for i, line in enumerate(lines):
        for t in TOKEN.findall(line):
            tokens.append(t)
            owner.append(i)
    matcher = difflib.SequenceMatcher(None, tokens, TOKEN.findall(gold), autojunk=False)
    matched = [0] * len(lines)
    count = [0] * len(lines)
    for i in owner:
        count[i] += 1
    for a, _, size in matcher.get_matching_blocks():
        for k in range(a, a + size):
            matched[owner[k]] += 1
    return [int(c > 0 and m / c >= 0.5) for m, c in zip(matched, count)]


def site(url: str) -> str:
    from rashomon.extract.text import registered_domain
    return registered_domain(url) or url


class PageData:
    """Features and labels of one page."""

    def __init__(self, record: dict, gold: str) -> None:
        import numpy as np
        from rashomon.extract.lines import line_features, read_page
        self.record = record
        self.gold = gold
        self.page = read_page(record["raw_text"], record.get("url"))
        self.x = line_features(self.page)
        self.y = np.array(line_labels(self.page.lines, gold))
        self.weights = np.minimum(np.array(self.page.words, dtype=float), 40) ** WEIGHT_POWER


def fit_logistic(x, y, w, c: float):
    """Logistic regression on standardised features; returns (coef, intercept) for raw features."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=1000)
    model.fit((x - mean) / scale, y, sample_weight=w)
    coef = model.coef_[0] / scale
    return coef, float(model.intercept_[0] - np.dot(coef, mean))


def train(pages: list[PageData], c: float, inner_folds: int = 4):
    """Stage 1 on line features; stage 2 on line features plus out-of-fold stage-1 scores."""
    import numpy as np
    from rashomon.extract.linemodel import LineModel, stacked_features

    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.y for p in pages])
    w = np.concatenate([p.weights for p in pages])
    coef1, bias1 = fit_logistic(x, y, w, c)
    # Out-of-fold stage-1 scores, so stage 2 learns from scores like those it will see.
    z1 = [None] * len(pages)
    for k in range(inner_folds):
        held = [i for i in range(len(pages)) if i % inner_folds == k]
        rest = [i for i in range(len(pages)) if i % inner_folds != k]
        coef, bias = fit_logistic(np.vstack([pages[i].x for i in rest]), np.concatenate([pages[i].y for i in rest]),
                                  np.concatenate([pages[i].weights for i in rest]), c)
        for i in held:
            z1[i] = pages[i].x @ coef + bias
    x2 = np.vstack([np.hstack((p.x, stacked_features(p.page, z))) for p, z in zip(pages, z1)])
    coef2, bias2 = fit_logistic(x2, y, w, c)
    return LineModel(stage1=coef1, bias1=bias1, stage2=coef2, bias2=bias2)


def predict(pages: list[PageData], model) -> dict[str, str]:
    from rashomon.extract.text import extract_text
    return {p.record["id"]: extract_text(p.record["raw_text"], url=p.record.get("url"), model=model).text
            for p in pages}


def score(pages: list[PageData], texts: dict[str, str]) -> dict:
    sys.path.insert(0, str(EVAL_TOOLS))
    import eval_metrics as M
    docs = [M.shingle_tp_fp_fn(p.gold, texts.get(p.record["id"], "")) for p in pages]
    out = M.extraction_prf(docs)
    out["empty"] = sum(1 for p in pages if not texts.get(p.record["id"]))
    return out


def cross_validate(pages: list[PageData], folds: int, c: float, decode: dict) -> dict[str, str]:
    """Out-of-fold predictions: folds grouped by site."""
    sites = sorted({site(p.record["url"]) for p in pages})
    fold_of = {s: i % folds for i, s in enumerate(sites)}
    texts: dict[str, str] = {}
    for k in range(folds):
        train_pages = [p for p in pages if fold_of[site(p.record["url"])] != k]
        test_pages = [p for p in pages if fold_of[site(p.record["url"])] == k]
        model = train(train_pages, c)
        for name, value in decode.items():
            setattr(model, name, value)
        texts.update(predict(test_pages, model))
    return texts


def time_extraction(records: list[dict], repeat: int = 3) -> float:
    """Documents per second of ``extract_text`` with the shipped model (best of ``repeat`` runs)."""
    from rashomon.extract.text import extract_text
    extract_text(records[0]["raw_text"], url=records[0].get("url"))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for r in records:
            extract_text(r["raw_text"], url=r.get("url"))
        best = min(best, time.perf_counter() - start)
    return len(records) / best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT / "build" / "eval"), help="folder with zyte-text-records.jsonl and zyte-gold.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--threshold", type=float, default=-1.5)
    ap.add_argument("--span-margin", type=float, default=-1.5)
    ap.add_argument("--boundary-penalty", type=float, default=0.0)
    ap.add_argument("--feed-stop-words", type=int, default=50, help="body words after which a feed heading may end the body")
    ap.add_argument("--feed-penalty", type=float, default=2.0, help="logit removed from lines after such a heading")
    ap.add_argument("--weight-power", type=float, default=1.5, help="sample weight exponent of line length")
    ap.add_argument("--write", action="store_true", help="train on all pages and write the package's weights")
    ap.add_argument("--pred", help="write out-of-fold predictions (JSONL: id, text) here")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()

    global WEIGHT_POWER
    WEIGHT_POWER = args.weight_power
    data = Path(args.data)
    records = read_jsonl(data / "zyte-text-records.jsonl")
    gold = {g["id"]: g["text"] for g in read_jsonl(data / "zyte-gold.jsonl")}
    pages = [PageData(r, gold[r["id"]]) for r in records if r["id"] in gold]
    decode = {"threshold": args.threshold, "span_margin": args.span_margin,
              "boundary_penalty": args.boundary_penalty, "feed_stop_words": args.feed_stop_words,
              "feed_penalty": args.feed_penalty}
    texts = cross_validate(pages, args.folds, args.c, decode)
    res = score(pages, texts)
    print(f"cross-validated ({args.folds} folds by site, {len(pages)} pages): F1 {res['f1']:.3f} "
          f"(P {res['precision']:.3f}, R {res['recall']:.3f}), {res['empty']} empty")
    if args.pred:
        with open(args.pred, "w", encoding="utf-8") as f:
            for doc_id, text in texts.items():
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    if args.write:
        model = train(pages, args.c)
        for name, value in decode.items():
            setattr(model, name, value)
        MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    if not args.no_speed and MODEL_PATH.exists():
        print(f"speed: {time_extraction(records):.0f} docs/s (extract_text, one core, {len(records)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
