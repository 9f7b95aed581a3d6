"""Attribution finding on PolNeAR: predictions, scores (shared score.py) and speed.

    python3 shared/eval/tools/prepare.py polnear shared/eval/polnear/data/dev --out build/eval
    .venv/bin/python benchmarks/attribution_eval.py                 # dev, cached parses
    .venv/bin/python benchmarks/attribution_eval.py --parse         # also time spaCy's parse

Writes ``build/quotes/polnear-<split>-pred.jsonl`` ({"id", "text", "quotes"}), runs
``score.py attribution`` on it and prints ms/article of the attribution component alone (after
spaCy) and, with ``--parse``, of spaCy's pipeline.
"""
from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_data import CACHE_DIR, EVAL_DIR, TOOLS, load_split, quote_dict  # noqa: E402

from rashomon.analyze.attribution_model import default_model  # noqa: E402
from rashomon.analyze.quotes import find_attributions  # noqa: E402

log = logging.getLogger("attribution")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--parse", action="store_true", help="parse again with spaCy and time it")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    records, golds, docs = load_split(args.split)
    words = sum(len(r["text"].split()) for r in records)
    if args.parse:
        from rashomon.analyze.model import load_model

        nlp = load_model()
        t0 = time.perf_counter()
        docs = list(nlp.pipe((r["text"] for r in records), batch_size=32))
        spacy_s = time.perf_counter() - t0
        print(f"spaCy pipeline: {1000 * spacy_s / len(docs):.1f} ms/article "
              f"({words / spacy_s:.0f} words/s, 1 process)")
    default_model()  # load the weights outside the timing
    t0 = time.perf_counter()
    preds = [find_attributions(d) for d in docs]
    secs = time.perf_counter() - t0
    out = args.out or CACHE_DIR / f"polnear-{args.split}-pred.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r, qs in zip(records, preds):
            fh.write(json.dumps({"id": r["id"], "text": r["text"], "quotes": [quote_dict(q) for q in qs]},
                                ensure_ascii=False) + "\n")
    n_q = sum(len(q) for q in preds)
    print(f"attribution component: {1000 * secs / len(docs):.2f} ms/article after spaCy "
          f"({len(docs)} articles, {words / len(docs):.0f} words on average, {n_q} attributions)")
    gold = EVAL_DIR / f"polnear-{args.split}-gold.jsonl"
    res = subprocess.run([sys.executable, str(TOOLS / "score.py"), "attribution", "--gold", str(gold),
                          "--pred", str(out)], capture_output=True, text=True, check=True)
    m = json.loads(res.stdout)
    for k in ("source", "source_exact", "cue", "content", "attribution"):
        print(f"{k:>13} F1 {m[k + '_f1']:.3f}  P {m[k + '_precision']:.3f}  R {m[k + '_recall']:.3f}")
    for k in ("content_recall_direct", "content_recall_indirect"):
        if k in m:
            print(f"{k}: {m[k]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
