"""Comparisons of stored stories for the web app, computed once and kept in the store.

A story's comparison depends on its articles and on the analyzer and comparison code, so the
cache key (``signature``) hashes the sorted article ids with those versions: adding an article to
the story, or upgrading rashomon, recomputes it on the next visit. The rendered HTML sections are
kept beside the JSON, so serving a story page is one indexed read. A read-only store cannot keep
them: its comparisons are computed on the first visit and kept in memory (the last ``MEMORY``).
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from typing import Any

from rashomon import __version__
from rashomon.store import Store
from rashomon.store import indexes, stories

log = logging.getLogger(__name__)

MEMORY = 64  # comparisons of a read-only store kept in memory


class _ReadingStore:
    """A read-only store as the analysis and comparison code sees it: cached analyses and vectors
    are read from it, new ones are not written back."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def write_analyses(self, items) -> None:
        for _ in items:
            pass


class Comparisons:
    """Computes and caches story comparisons; the analyzer and embedder load on first need."""

    def __init__(self) -> None:
        from rashomon.analyze.pipeline import Analyzer

        self.analyzer = Analyzer()
        self._vectors = None
        self._lock = threading.Lock()  # one computation at a time: spaCy and the embedder are heavy
        self._memory: OrderedDict[tuple[str, str], tuple[dict[str, Any], str]] = OrderedDict()

    @property
    def analyzer_version(self) -> str:
        return self.analyzer.version

    def signature(self, article_ids: list[str]) -> str:
        data = "\n".join([__version__, self.analyzer_version, *sorted(article_ids)])
        return hashlib.sha1(data.encode("utf-8")).hexdigest()

    def get(self, store: Store, story_id: str, ids: list[str] | None = None,
            with_data: bool = True) -> tuple[dict[str, Any] | None, str]:
        """(schema-1 comparison, rendered story sections) of a stored story (``ids``: its article ids,
        when the caller has them; ``with_data=False``: skip decoding the JSON, for the HTML page)."""
        if ids is None:
            ids = [a["id"] for a in stories.story_articles(store.conn, story_id)]
        sig = self.signature(ids)
        cached = indexes.cached_comparison(store.conn, story_id, sig, with_data=with_data)
        if cached is not None and cached[1] is not None:
            return cached
        with self._lock:
            cached = indexes.cached_comparison(store.conn, story_id, sig, with_data=with_data)
            if cached is not None and cached[1] is not None:
                return cached
            if getattr(store, "readonly", False):
                return self._read_only(store, story_id, sig, ids)
            data = self.compute(store, story_id, ids)
            from rashomon.render.html import story_sections
            html = story_sections(data)
            store.write_comparison(story_id, sig, data, html)
            return data, html

    def _read_only(self, store: Store, story_id: str, sig: str, ids: list[str]) -> tuple[dict[str, Any], str]:
        """A comparison the store cannot keep: computed once, then served from memory (caller holds the lock)."""
        from rashomon.render.html import story_sections

        found = self._memory.get((story_id, sig))
        if found is None:
            data = self.compute(_ReadingStore(store), story_id, ids)  # type: ignore[arg-type]
            found = self._memory[(story_id, sig)] = (data, story_sections(data))
            while len(self._memory) > MEMORY:
                self._memory.popitem(last=False)
        self._memory.move_to_end((story_id, sig))
        return found

    def compute(self, store: Store, story_id: str, ids: list[str]) -> dict[str, Any]:
        """The comparison of these stored articles as one story (analysing any not yet analysed)."""
        from rashomon.analyze.stored import analyzed_records
        from rashomon.compare import Comparison, StatementVectors, compare_story
        from rashomon.compare.records import analyzed_from_record
        from rashomon.compare.vectors import paraphrase_vectors

        articles = [a for a in (store.get(i) for i in ids) if a is not None]
        records = list(analyzed_records(articles, self.analyzer, store))
        analysed = [analyzed_from_record(r, a) for r, a in zip(records, articles)]
        if self._vectors is None:
            self._vectors = StatementVectors(store=store)
        self._vectors.store = store
        comparison = Comparison()
        if analysed:
            comparison.stories.append(compare_story(analysed, self._vectors.vectors(analysed), story=story_id,
                                                    para=paraphrase_vectors(analysed, store)))
        log.info("compared story %s (%d articles)", story_id, len(analysed))
        return comparison.to_json()
