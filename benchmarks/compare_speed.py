"""Speed of the comparison of one 50-article story, after analysis (analyses and vectors cached).

    .venv/bin/python benchmarks/compare_speed.py [--articles 50] [--records build/eval/basil-records.jsonl]

Takes the first N articles of a records file (default BASIL: full news articles of ~700 words) as
one story, analyses and embeds them once through the store (``--cache``), then times
``compare_story`` alone (alignment, facts, conflicts, framing, sources, timeline), best of
``--repeat`` runs, plus the part spent reading the cached analyses and vectors.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment_data import DEFAULT_CACHE, DEFAULT_DATA, analysed  # noqa: E402

from rashomon.compare import StatementVectors, compare_story  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=Path, default=DEFAULT_DATA / "basil-records.jsonl")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    subset = args.cache.parent / f"speed-{args.articles}.jsonl"
    with open(args.records, encoding="utf-8") as src, open(subset, "w", encoding="utf-8") as dst:
        for k, line in enumerate(src):
            if k >= args.articles:
                break
            dst.write(line)
    arts, store = analysed(subset, args.cache)           # first run analyses; later runs read the cache
    StatementVectors(store=store).vectors(arts)           # likewise for the vectors
    t0 = time.perf_counter()
    arts, store = analysed(subset, args.cache)
    vectors = StatementVectors(store=store).vectors(arts)
    load = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = compare_story(arts, vectors)
        times.append(time.perf_counter() - t0)
    statements = sum(len(a.statements) for a in arts)
    print(json.dumps({"articles": len(arts), "statements": statements, "facts": len(result.facts),
                      "compare_seconds_best": round(min(times), 3), "compare_seconds_all": [round(t, 3) for t in times],
                      "load_cached_seconds": round(load, 3)}))


if __name__ == "__main__":
    main()
