#!/usr/bin/env python3
"""Score headline and byline extraction on hand-labelled Zyte benchmark pages: rashomon vs trafilatura.

Gold (``--gold FILE``), two hand-labelled files with the visible headline and byline of Zyte
article-extraction benchmark pages, same guidelines and format (``benchmarks/data/README.md``):

* ``benchmarks/data/zyte-titles-authors.jsonl`` (the default): the first 100 page ids in sorted
  order. rashomon's HTML author rules were developed while looking at these pages, so its scores
  here are not an unbiased estimate.
* ``benchmarks/data/zyte-titles-authors-holdout.jsonl``: the remaining 81 pages (sorted ids
  101-181), labelled after those rules were fixed. Use it to check that the rules generalise.

Pages: ``../shared/eval/extraction/zyte-benchmark/html/<id>.html.gz``, read as UTF-8 with
undecodable bytes replaced (as ``shared/eval/tools/prepare.py`` does) and passed as ``str``.

Systems:

* **rashomon**: ``rashomon.extract.html.extract_html(html, url=url)`` returns an ``Article``. We
  score ``article.title`` and ``article.authors`` as they are. If that module does not exist yet,
  the script says so and scores trafilatura only. The checkout's ``src/`` comes first on
  ``sys.path``.
* **trafilatura** on its own: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``.
  We score its ``title`` as it is. Its ``author`` string (several authors joined with "; ") is
  split on ";", each part is stripped and empty parts are dropped. A ``None`` result counts as no
  title and no authors.

A page where a system raises an exception also counts as no title and no authors. The script
prints how many pages that happened on.

Metrics are those of ``shared/eval/tools/score.py`` (``title_exact``, ``authors_f1``) and use its
``eval_metrics`` module:

* title exact = mean over pages of ``norm_title(pred) == norm_title(gold)`` (NFKC, casefold,
  whitespace collapsed; punctuation and quote style still count);
* author F1 = mean over pages of ``set_f1(gold, pred)`` on normalised name sets (1.0 when both are
  empty). It is also shown for the pages with a gold byline and for those without.

Usage (from the repo root, with ../shared beside it)::

    .venv/bin/python benchmarks/titles_authors.py [--verbose]
    .venv/bin/python benchmarks/titles_authors.py --gold benchmarks/data/zyte-titles-authors-holdout.jsonl [--verbose]
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
Prediction = tuple[str | None, list[str]]  # (title, authors)


def load_metrics(tools: Path):
    """Import shared/eval/tools/eval_metrics.py, or exit explaining what is missing."""
    if not (tools / "eval_metrics.py").is_file():
        sys.exit(f"error: {tools}/eval_metrics.py not found. This script scores with the shared metric "
                 "definitions (norm_title, set_f1); put the shared eval tree beside the repo "
                 "(../shared/eval/tools) or pass --tools DIR.")
    sys.path.insert(0, str(tools))
    import eval_metrics
    return eval_metrics


def mean(xs: list[float]) -> float:
    """Arithmetic mean, NaN for an empty list."""
    return sum(xs) / len(xs) if xs else float("nan")


def run_trafilatura(html: str, url: str) -> Prediction:
    """trafilatura on its own: title as given, author string split on ';'."""
    import trafilatura
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return None, []
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    authors = [a.strip() for a in (get("author") or "").split(";") if a.strip()]
    return get("title"), authors


def load_rashomon() -> Callable[[str, str], Prediction] | None:
    """rashomon's HTML extractor, or None (with a message) while extract.html is not written yet."""
    sys.path.insert(0, str(REPO / "src"))
    try:
        from rashomon.extract.html import extract_html
    except ModuleNotFoundError as exc:
        if exc.name not in ("rashomon", "rashomon.extract", "rashomon.extract.html"):
            raise  # a dependency of extract.html is missing: a real error, not "not written yet"
        print(f"rashomon: not scored, {exc.name} cannot be imported (extract_html not written yet?)")
        return None

    def run(html: str, url: str) -> Prediction:
        art = extract_html(html, url=url)
        return art.title, list(art.authors or [])
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=REPO / "benchmarks" / "data" / "zyte-titles-authors.jsonl")
    ap.add_argument("--html", type=Path, default=SHARED / "extraction" / "zyte-benchmark" / "html",
                    help="folder of <id>.html.gz pages")
    ap.add_argument("--tools", type=Path, default=SHARED / "tools", help="folder holding eval_metrics.py")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each page a system gets wrong")
    args = ap.parse_args(argv)
    M = load_metrics(args.tools)
    logging.disable(logging.WARNING)  # trafilatura and htmldate log a lot on odd pages

    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [g["id"] for g in gold if not (args.html / f"{g['id']}.html.gz").is_file()]
    if missing:
        sys.exit(f"error: {len(missing)} labelled pages missing from {args.html} (first: {missing[0]})")
    n_byline = sum(1 for g in gold if g["authors"])
    print(f"{len(gold)} labelled pages ({n_byline} with a byline, {len(gold) - n_byline} without)")

    systems: dict[str, Callable[[str, str], Prediction]] = {}
    rashomon = load_rashomon()
    if rashomon:
        systems["rashomon"] = rashomon
    systems["trafilatura"] = run_trafilatura

    pages = []
    for g in gold:
        with gzip.open(args.html / f"{g['id']}.html.gz", "rt", encoding="utf-8", errors="replace") as fh:
            pages.append(fh.read())

    print(f"{'system':<12} {'title exact':>15} {'author F1':>10} {'F1 byline':>10} {'F1 none':>8} {'errors':>7}")
    details: dict[str, list[str]] = {}
    for name, run in systems.items():
        titles, f1s, errors, wrong = [], [], 0, []
        for g, html in zip(gold, pages):
            try:
                title, authors = run(html, g["url"])
            except Exception as exc:  # noqa: BLE001 - a crash on one page is scored as an empty prediction
                title, authors, errors = None, [], errors + 1
                wrong.append(f"  {g['id'][:8]} raised {type(exc).__name__}: {exc}")
            ok = M.norm_title(g["title"]) == M.norm_title(title)
            f1 = M.set_f1(g["authors"], authors)
            titles.append(ok)
            f1s.append(f1)
            if not ok:
                wrong.append(f"  {g['id'][:8]} title   gold {g['title']!r}\n{'':17}pred {title!r}")
            if f1 < 1:
                wrong.append(f"  {g['id'][:8]} authors gold {g['authors']!r}  pred {authors!r}  F1 {f1:.2f}")
        with_b = [f for f, g in zip(f1s, gold) if g["authors"]]
        without = [f for f, g in zip(f1s, gold) if not g["authors"]]
        print(f"{name:<12} {mean(titles):>6.3f} ({sum(titles):>2}/{len(titles)}) {mean(f1s):>10.3f} "
              f"{mean(with_b):>10.3f} {mean(without):>8.3f} {errors:>7}")
        details[name] = wrong
    if args.verbose:
        for name, wrong in details.items():
            print(f"\n{name}: {len(wrong)} mismatches")
            print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
