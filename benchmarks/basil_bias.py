"""BASIL: are informational-bias spans (content one outlet chose to include) marked as not shared?

    .venv/bin/python benchmarks/basil_bias.py [--data build/eval] [--cache build/compare/cache.db]

BASIL (Fan et al., EMNLP 2019) has 100 triplets of articles (Fox, NYT, HuffPost) on one event each,
with annotated bias spans; ``bias: inf`` marks informational bias: content an outlet chose to
include (or frame) that tilts the story. The triplets are compared through ``rashomon compare``
(records carry the triplet as ``story``). For each span we find the statement(s) it lies in and ask
whether the comparison puts that statement in a fact that is ``unique`` to the outlet or ``partial``
(not told by all three). The figure to beat is the share of *all* statements so marked: the spans
should be clearly enriched. Lexical-bias spans are reported alongside (they are word choice, not
content, so they should be enriched much less).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alignment_data import DEFAULT_CACHE, DEFAULT_DATA, REPO, SHARED, read_jsonl  # noqa: E402

BASIL = SHARED / "eval" / "basil"


def sentence_offsets(article: dict) -> list[tuple[int, str]]:
    """(offset in the record text, sentence) as prepare.py joins them (sentences by ' ', paragraphs by blank lines)."""
    out, pos = [], 0
    for para in article.get("body-paragraphs") or []:
        sents = para if isinstance(para, list) else [para]
        for k, s in enumerate(sents):
            out.append((pos, s))
            pos += len(s) + (1 if k < len(sents) - 1 else 0)
        pos += 2
    return out


def spans(article: dict, annotations: dict) -> list[tuple[str, int, int]]:
    """(bias kind, start, end) in record-text offsets; a span's sentence is the one where its offsets fit."""
    sents = sentence_offsets(article)
    out = []
    for ann in annotations.get("phrase-level-annotations", []):
        txt, s, e = ann.get("txt") or "", ann.get("start"), ann.get("end")
        hits = [off + s for off, sent in sents if isinstance(s, int) and sent[s:e] == txt]
        if not hits:
            hits = [off + sent.find(txt) for off, sent in sents if txt and txt in sent][:1]
        if hits:
            out.append((ann.get("bias"), hits[0], hits[0] + len(txt)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args()
    if not BASIL.is_dir():
        sys.exit(f"needs BASIL at {BASIL}")
    gold = {g["id"]: g for g in read_jsonl(args.data / "basil-gold.jsonl")}
    records = REPO / "build" / "compare" / "basil-records-story.jsonl"
    records.parent.mkdir(parents=True, exist_ok=True)
    with open(records, "w", encoding="utf-8") as fh:
        for r in read_jsonl(args.data / "basil-records.jsonl"):
            fh.write(json.dumps({**r, "story": gold[r["id"]]["story"]}, ensure_ascii=False) + "\n")
    result = subprocess.run([str(REPO / ".venv" / "bin" / "rashomon"), "compare", "--db", str(args.cache),
                             "--format", "json", str(records)], capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"rashomon compare failed: {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    status_of: dict[str, list[tuple[int, int, str, str]]] = {}   # article -> (start, end, status, kind)
    for story in data["stories"]:
        for fact in story["facts"]:
            for m in fact["mentions"]:
                status_of.setdefault(m["article"], []).append((m["start"], m["end"], fact["status"], fact.get("kind")))
    articles = {}
    for path in BASIL.glob("articles/*/*.json"):
        art = json.loads(path.read_text(encoding="utf-8"))
        ann_path = BASIL / "annotations" / path.parent.name / (path.stem + "_ann.json")
        if ann_path.exists():
            articles[art["uuid"]] = (art, json.loads(ann_path.read_text(encoding="utf-8")))
    counts: dict[str, Counter] = {"all statements": Counter(), "inf spans": Counter(), "lex spans": Counter()}
    for aid, mentions in status_of.items():
        for _, _, status, _ in mentions:
            counts["all statements"][status] += 1
        if aid not in articles:
            continue
        for bias, s, e in spans(*articles[aid]):
            hit = [st for ms, me, st, _ in mentions if ms < e and s < me]
            if not hit:
                counts[f"{bias} spans"]["(outside statements)"] += 1
                continue
            best = "unique" if "unique" in hit else "partial" if "partial" in hit else "shared"
            counts[f"{bias} spans"][best] += 1
    out = {}
    for name, c in counts.items():
        n = sum(v for k, v in c.items() if not k.startswith("("))
        out[name] = {"n": n, "unique": round(c["unique"] / n, 3) if n else None,
                     "partial": round(c["partial"] / n, 3) if n else None,
                     "not_shared": round((c["unique"] + c["partial"]) / n, 3) if n else None,
                     "outside_statements": c["(outside statements)"]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
