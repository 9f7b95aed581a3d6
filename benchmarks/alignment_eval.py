"""Fact alignment on ECB+ through the real ``rashomon compare`` path, scored by ``score.py alignment``.

    .venv/bin/python benchmarks/alignment_eval.py [--data build/eval] [--cache build/compare/cache.db]

The gold sub-topic is added to each record as ``story`` (so the comparison is scored apart from
clustering), ``rashomon compare --format json`` runs on the records, every pair of mentions of one
fact in two different articles becomes a link, and the shared scorer counts them. The model's
cross-validated figure (topics held out) comes from ``alignment_train.py``; this script scores the
shipped model on all topics (it was trained on them: an in-sample figure, see the README section).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment_data import DEFAULT_CACHE, DEFAULT_DATA, REPO, TOOLS, fact_links, need_shared, read_jsonl  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--out", type=Path, default=REPO / "build" / "compare")
    args = ap.parse_args()
    need_shared()
    gold = {g["id"]: g for g in read_jsonl(args.data / "ecbplus-gold.jsonl")}
    args.out.mkdir(parents=True, exist_ok=True)
    records = args.out / "ecbplus-records-story.jsonl"
    with open(records, "w", encoding="utf-8") as fh:
        for r in read_jsonl(args.data / "ecbplus-records.jsonl"):
            fh.write(json.dumps({**r, "story": gold[r["id"]]["story"]}, ensure_ascii=False) + "\n")
    t0 = time.time()
    result = subprocess.run([str(REPO / ".venv" / "bin" / "rashomon"), "compare", "--db", str(args.cache),
                             "--format", "json", str(records)], capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"rashomon compare failed: {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    links = [link for story in data["stories"] for link in fact_links(story["facts"])]
    links_path = args.out / "ecbplus-links.jsonl"
    with open(links_path, "w", encoding="utf-8") as fh:
        for link in links:
            fh.write(json.dumps(link) + "\n")
    score = subprocess.run([sys.executable, str(TOOLS / "score.py"), "alignment", "--gold",
                            str(args.data / "ecbplus-pairs-gold.jsonl"), "--pred", str(links_path)],
                           capture_output=True, text=True)
    metrics = json.loads(score.stdout)
    print(json.dumps({"stories": len(data["stories"]), "facts": sum(len(s["facts"]) for s in data["stories"]),
                      "seconds": round(time.time() - t0, 1), **{k: metrics[k] for k in
                      ("f1", "precision", "recall", "pred_links", "gold_pairs")}}))
    print(score.stderr.strip(), file=sys.stderr)


if __name__ == "__main__":
    main()
