"""ECB+ for fact alignment: analysed articles grouped by gold sub-topic, statement vectors, gold links.

Shared by ``alignment_train.py`` and ``alignment_eval.py``. Analyses and statement vectors are cached
in a store (default ``build/compare/cache.db``), so only the first run parses and embeds.
"""
from __future__ import annotations

import json
import logging
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TOOLS = SHARED / "eval" / "tools"
DEFAULT_DATA = REPO / "build" / "eval"
DEFAULT_CACHE = REPO / "build" / "compare" / "cache.db"

log = logging.getLogger("alignment")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def analysed(records_path: Path, cache: Path, story_of: dict[str, str] | None = None):
    """AnalyzedArticles of a records file (through the CLI's extract + cached analysis path).

    ``story_of`` (id -> story) is set on each article's ``extra["story"]`` as the compare command reads it.
    """
    from rashomon.analyze.pipeline import Analyzer
    from rashomon.cli import Batch, analyzed_records
    from rashomon.config import IngestOptions
    from rashomon.compare.records import analyzed_from_record
    from rashomon.store import Store

    batch = Batch([str(records_path)], IngestOptions())
    articles = list(batch.articles())
    if story_of:
        for a in articles:
            if a.id in story_of:
                a.extra["story"] = story_of[a.id]
    cache.parent.mkdir(parents=True, exist_ok=True)
    store = Store(cache)
    records = list(analyzed_records(articles, Analyzer(), store))
    return [analyzed_from_record(r, article=a) for r, a in zip(records, articles)], store


def gold_index(pairs_path: Path) -> dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """(doc a, doc b) -> [(span in a, span in b)], both orders."""
    index: dict = defaultdict(list)
    for g in read_jsonl(pairs_path):
        sa, sb = (g["a_start"], g["a_end"]), (g["b_start"], g["b_end"])
        index[(g["a"], g["b"])].append((sa, sb))
        index[(g["b"], g["a"])].append((sb, sa))
    return index


def is_gold(index, a: str, sa: tuple[int, int], b: str, sb: tuple[int, int]) -> bool:
    """True when a gold sentence pair overlaps both spans (the scorer's rule)."""
    return any(sa[0] < x[1] and x[0] < sa[1] and sb[0] < y[1] and y[0] < sb[1] for x, y in index.get((a, b), ()))


def score_links(links: list[dict], pairs_path: Path, docs: set[str] | None = None) -> dict:
    """``score.py alignment`` on in-memory links (same function, imported from the shared tools);
    with ``docs``, only gold pairs between those documents count (to score a subset of topics)."""
    sys.path.insert(0, str(TOOLS))
    import eval_metrics  # noqa: E402

    gold = _gold_pairs(str(pairs_path))
    if docs is not None:
        gold = [g for g in gold if g["a"] in docs and g["b"] in docs]
    return eval_metrics.alignment_scores(gold, links)


@lru_cache(maxsize=2)
def _gold_pairs(path: str) -> list[dict]:
    return read_jsonl(Path(path))


def fact_links(facts: list[dict]) -> list[dict]:
    """Every pair of mentions of one fact in two different articles, as scorer links."""
    out = []
    for fact in facts:
        ms = fact["mentions"]
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                a, b = ms[i], ms[j]
                if a["article"] != b["article"]:
                    out.append({"a": a["article"], "a_start": a["start"], "a_end": a["end"],
                                "b": b["article"], "b_start": b["start"], "b_end": b["end"]})
    return out


def topic_folds(topics: list[str], k: int) -> dict[str, int]:
    """Topics dealt round-robin into k folds (in natural order)."""
    ordered = sorted(set(topics), key=lambda t: (len(t), t))
    return {t: i % k for i, t in enumerate(ordered)}


def need_shared() -> None:
    if not TOOLS.is_dir():
        sys.exit(f"needs the shared evaluation tools at {TOOLS}")


def story_groups(items, key) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for x in items:
        out[key(x)].append(x)
    return dict(out)


def as_array(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)
