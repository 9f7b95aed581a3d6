#!/usr/bin/env python3
"""Speed of ``rashomon analyze`` next to spaCy's own ``nlp.pipe`` over the same texts, in one run.

    python3 ../shared/eval/tools/prepare.py polnear --out build/eval      # 840 news articles
    .venv/bin/python benchmarks/analyze_speed.py [--records build/eval/polnear-train-records.jsonl]
        [--limit 300] [--jobs 2]

Prints articles/s and words/s for (a) spaCy's pipeline alone (the same model, same batch size and
processes) and (b) rashomon's whole analysis (spaCy + entities, times, attributions, statements),
and their ratio. The CLI form of (b) is ``rashomon analyze --jobs 2 RECORDS``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rashomon.analyze.model import load_model
from rashomon.analyze.pipeline import Analyzer
from rashomon.models import Article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", default="build/eval/polnear-train-records.jsonl")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    path = Path(args.records)
    if not path.exists():
        raise SystemExit(f"{path} not found: build it with python3 ../shared/eval/tools/prepare.py polnear --out build/eval")
    articles = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            articles.append(Article(id=r["id"], source=str(path), text=r["text"], published=r.get("published"),
                                    language="en"))
            if len(articles) >= args.limit:
                break
    words = sum(len(a.text.split()) for a in articles)
    nlp = load_model()
    list(nlp.pipe([a.text for a in articles[:4]]))  # warm-up outside the timings

    t = time.perf_counter()
    for _ in nlp.pipe([a.text for a in articles], batch_size=args.batch_size, n_process=args.jobs):
        pass
    spacy_s = time.perf_counter() - t

    analyzer = Analyzer(nlp=nlp, batch_size=args.batch_size, n_process=args.jobs)
    t = time.perf_counter()
    results = list(analyzer.analyze_many(articles))
    ours_s = time.perf_counter() - t

    n = len(articles)
    print(f"{n} articles, {words} words ({words / n:.0f} words/article), {args.jobs} process(es)")
    print(f"spaCy nlp.pipe alone : {n / spacy_s:7.1f} articles/s  {words / spacy_s:8.0f} words/s  ({spacy_s:.1f} s)")
    print(f"rashomon analyze     : {n / ours_s:7.1f} articles/s  {words / ours_s:8.0f} words/s  ({ours_s:.1f} s)")
    print(f"ratio rashomon/spaCy : {ours_s / spacy_s:.2f}x")
    at650 = (n / ours_s) * (words / n) / 650
    print(f"at 650 words/article : {at650:.1f} articles/s")
    print(f"found: {sum(len(r.entities) for r in results)} entities, {sum(len(r.times) for r in results)} times, "
          f"{sum(len(r.quotes) for r in results)} attributions, {sum(len(r.statements) for r in results)} statements")


if __name__ == "__main__":
    main()
