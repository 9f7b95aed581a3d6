"""Analyses kept in the store: each article analysed once per analyzer version.

``analyzed_records`` is the one place that decides whether an article needs spaCy: it looks the
article's analysis up by ``analysis_key`` (text and publication date) and analyzer version,
analyses only what is missing, and stores what it computed. The CLI's ``analyze``, ``compare`` and
``ingest`` and the web app all go through it.
"""
from __future__ import annotations

import logging
from typing import Iterable, Iterator

from rashomon.models import Article

log = logging.getLogger(__name__)


def analyzed_records(articles: Iterable[Article], analyzer, store=None, chunk: int = 256) -> Iterator[dict]:
    """Analysis records in input order, re-using and filling the store's analyses when one is given."""
    from itertools import islice

    from rashomon.models import analysis_key

    def on_skip(article: Article, reason: str) -> None:
        log.warning("%s: %s", article.source, reason)

    articles = iter(articles)
    while window := list(islice(articles, chunk)):
        cached = {}
        if store is not None:
            for a in window:
                found = store.analysis(analysis_key(a), analyzer.version)
                if found is not None:
                    cached[id(a)] = found
        todo = [a for a in window if id(a) not in cached]
        fresh = {id(r.article): r.to_record() for r in analyzer.analyze_many(todo, on_skip=on_skip)}
        if store is not None and fresh:
            store.write_analyses((analysis_key(a), analyzer.version, _analysis_part(fresh[id(a)])) for a in todo)
        for a in window:
            if id(a) in fresh:
                yield fresh[id(a)]
            else:
                record = a.to_record()
                record.update(cached[id(a)])
                yield record


def _analysis_part(record: dict) -> dict:
    """The fields an analysis adds to the extract record (what the store keeps)."""
    keys = ("analyzer", "skipped", "entities", "times", "quotes", "statements", "caption_times")
    return {k: record[k] for k in keys if k in record}
