#!/usr/bin/env python3
"""Extraction speed on the Zyte benchmark pages: rashomon's HTML mode next to trafilatura alone, and
rashomon's text mode.

Measures, on one core and in the same run:
  * trafilatura alone with metadata: ``trafilatura.extract(html, url=..., with_metadata=True,
    include_comments=False)``, the reference;
  * rashomon HTML mode: ``rashomon.extract.html.extract_html(html, url=...)``, the library function
    behind ``rashomon extract --format jsonl DATA/zyte-html-records.jsonl``; it must stay within
    1.25x of trafilatura's time;
  * rashomon text mode, what ``rashomon extract DATA/zyte-text-records.jsonl`` runs: the records read
    into documents as the command reads them (not timed), then cleaned with a fresh template memory
    per pass, (a) one document at a time with ``rashomon.extract.extract`` (the library call for a
    single page) and (b) in batches with ``rashomon.extract.extract_many`` (what the command uses;
    consecutive scraped-text pages are cleaned together); (c) ``extract_text``, the cleaner alone.
The two HTML tools alternate over several rounds (caches emptied before every pass) and the best
pass of each is kept, so that load from other processes on a shared machine disturbs both alike.

Build the data folder first (from the repository root):
    python3 ../shared/eval/tools/prepare.py zyte --mode html --out build/eval
    python3 ../shared/eval/tools/prepare.py zyte --mode text --out build/eval

Run:  .venv/bin/python benchmarks/extract_speed.py [DATA_DIR] [--rounds N] [--text-only]
"""
from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Callable


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def clear_caches() -> None:
    """Empty every functools cache (trafilatura, htmldate and rashomon keep some), so that no pass
    profits from what an earlier pass over the same pages left behind."""
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper):
            obj.cache_clear()


def time_all(func: Callable[[dict], object], records: list[dict]) -> float:
    """Seconds to run ``func`` over every record, from cold caches (errors are counted, not fatal)."""
    clear_caches()
    func(records[0])  # reload data files and compiled patterns, as any run does once
    failed = 0
    start = time.perf_counter()
    for rec in records:
        try:
            func(rec)
        except Exception:  # noqa: BLE001 - a benchmark counts failures, it does not stop on them
            failed += 1
    spent = time.perf_counter() - start
    if failed:
        print(f"  ({failed} records raised)", file=sys.stderr)
    return spent


def pin_one_core() -> None:
    """Run on a single CPU where the OS allows it (and keep numeric libraries single-threaded)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default="build/eval", help="folder with zyte-html-records.jsonl "
                    "(and zyte-text-records.jsonl); default build/eval")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (the best pass of each tool is kept)")
    ap.add_argument("--text-only", action="store_true", help="only rashomon's text mode")
    args = ap.parse_args()
    data = Path(args.data)
    html_path = data / "zyte-html-records.jsonl"
    if args.text_only:
        pin_one_core()
        logging.disable(logging.WARNING)
        return text_mode(data, args.rounds)
    if not html_path.exists():
        print(f"{html_path} not found; build it with:\n"
              f"  python3 ../shared/eval/tools/prepare.py zyte --mode html --out {data}", file=sys.stderr)
        return 2
    pin_one_core()
    logging.disable(logging.WARNING)  # trafilatura logs discarded pages; not part of the timing
    import trafilatura

    from rashomon.extract.html import extract_html

    records = read_jsonl(html_path)
    n = len(records)
    tools = {
        "trafilatura (with metadata)": lambda r: trafilatura.extract(
            r["html"], url=r.get("url"), with_metadata=True, include_comments=False),
        "rashomon html": lambda r: extract_html(r["html"], url=r.get("url")),
    }
    best = {name: float("inf") for name in tools}
    names = list(tools)
    for round_no in range(max(1, args.rounds)):
        for name in names if round_no % 2 == 0 else names[::-1]:  # alternate who goes first
            best[name] = min(best[name], time_all(tools[name], records))
    ref = best["trafilatura (with metadata)"]
    print(f"pages: {n} ({html_path}), best of {args.rounds} alternating rounds, one core")
    for name, spent in best.items():
        print(f"  {name:28s} {n / spent:7.1f} docs/s  ({spent:.2f} s)")
    ratio = best["rashomon html"] / ref
    verdict = "ok" if ratio <= 1.25 else "TOO SLOW (limit 1.25x)"
    print(f"  time ratio rashomon/trafilatura: {ratio:.2f}x  {verdict}", flush=True)

    return text_mode(data, args.rounds)


def text_mode(data: Path, rounds: int) -> int:
    """Text-mode docs/s through the library calls of ``rashomon extract`` (see the module docstring)."""
    text_path = data / "zyte-text-records.jsonl"
    try:
        from rashomon.extract import TemplateMemory, extract, extract_many
        from rashomon.extract.text import extract_text
        from rashomon.ingest.records import parse_records
    except ImportError as err:
        print(f"  rashomon text: skipped ({err})")
        return 0
    if not text_path.exists():
        print(f"  rashomon text: skipped ({text_path} missing; build it with prepare.py zyte --mode text)")
        return 0
    docs = list(parse_records(text_path.read_text(encoding="utf-8"), source=str(text_path), lines=True))
    texts = read_jsonl(text_path)

    def one_by_one(_: object) -> None:
        memory = TemplateMemory()
        for doc in docs:
            try:
                extract(doc, templates=memory)
            except Exception:  # noqa: BLE001 - a page without an article is an error record, not a stop
                pass

    def batched(_: object) -> None:
        for _result in extract_many(docs, templates=TemplateMemory()):
            pass

    modes = {
        "rashomon text, extract (one by one)": one_by_one,
        "rashomon text, extract_many (batches)": batched,
    }
    n = len(docs)
    print(f"text pages: {n} ({text_path}), best of {rounds} passes, one core")
    for name, func in modes.items():
        spent = min(time_all(func, [None]) for _ in range(max(1, rounds)))
        print(f"  {name:40s} {n / spent:7.1f} docs/s  ({spent:.2f} s)", flush=True)
    spent = min(time_all(lambda r: extract_text(r["raw_text"], url=r.get("url")), texts) for _ in range(max(1, rounds)))
    print(f"  {'rashomon text, extract_text alone':40s} {len(texts) / spent:7.1f} docs/s  ({spent:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
