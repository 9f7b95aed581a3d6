"""PolNeAR records, gold and cached spaCy parses for the attribution training and evaluation scripts.

Records and gold come from the shared evaluation tools:
``python3 shared/eval/tools/prepare.py polnear [shared/eval/polnear/data/dev] --out build/eval``.
The parses are cached once per split with DocBin in ``build/quotes/`` (spaCy is the slow part).
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_DIR = REPO / "build" / "eval"
CACHE_DIR = REPO / "build" / "quotes"
TOOLS = SHARED / "eval" / "tools"
ROLES_OOF = CACHE_DIR / "polnear-train-roles-oof.npz"  # attribution_tagger.py --cv, read by attribution_train.py

log = logging.getLogger("attribution")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_split(split: str, eval_dir: Path = EVAL_DIR, cache_dir: Path = CACHE_DIR, n_process: int = 1):
    """(records, gold rows, spaCy docs) of a PolNeAR split, parsing and caching the docs if needed."""
    from spacy.tokens import DocBin

    from rashomon.analyze.model import load_model

    records = read_jsonl(eval_dir / f"polnear-{split}-records.jsonl")
    gold = read_jsonl(eval_dir / f"polnear-{split}-gold.jsonl")
    by_id = {g["id"]: g for g in gold}
    gold = [by_id.get(r["id"], {"id": r["id"], "attributions": []}) for r in records]
    nlp = load_model()
    cache = cache_dir / f"polnear-{split}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(records) and all(d.text == r["text"] for d, r in zip(docs, records)):
            return records, gold, docs
        log.warning("cache %s does not match the records: parsing again", cache)
    t0 = time.perf_counter()
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=32, n_process=n_process))
    log.info("parsed %d %s articles in %.0f s", len(docs), split, time.perf_counter() - t0)
    cache_dir.mkdir(parents=True, exist_ok=True)
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(cache)
    return records, gold, docs


def scorer():
    """The shared ``attribution_scores`` function (shared/eval/tools/eval_metrics.py)."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    from eval_metrics import attribution_scores  # noqa: E402

    return attribution_scores


def quote_dict(att) -> dict:
    """An Attribution as the JSON the scorer reads."""
    from dataclasses import asdict

    return {k: v for k, v in asdict(att).items() if v is not None}
