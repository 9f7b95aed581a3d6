"""The flows that span stages, shared by the command line and the web app.

``Batch`` reads inputs and cleans them into articles (ingest + extract), reporting each failed
input through a callback and going on with the rest. ``ingest_into`` is ``rashomon ingest``: it
stores the articles in batches (one transaction each), places new ones into stories, and reports
what happened to every article — the CLI prints it, the web app shows it as a job's progress.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from rashomon.config import IngestOptions
from rashomon.errors import InputError
from rashomon.models import Article, RawDocument

log = logging.getLogger(__name__)

BATCH_SIZE = 50       # articles written per transaction
BATCH_SECONDS = 2.0   # ... or after this long, so a slow stream of URLs still commits often

ErrorCallback = Callable[[InputError], None]
ProgressCallback = Callable[[int, int], None]


class Batch:
    """Inputs (paths, directories, URLs, ``-``) read and extracted into articles, in order.

    ``on_error`` is called for each input that fails (the rest goes on); ``on_progress(done,
    total)`` after each input. Scraped-text pages are cleaned in batches (``extract_many``).
    """

    def __init__(self, inputs: Iterable[str], options: IngestOptions | None = None, templates=None, *,
                 on_error: ErrorCallback | None = None, on_progress: ProgressCallback | None = None) -> None:
        from rashomon.ingest import expand_inputs

        self.items = list(expand_inputs(inputs))
        self.options = options or IngestOptions()
        self.templates = templates
        self.failed = 0
        self.errors: list[InputError] = []
        self.on_error = on_error
        self.on_progress = on_progress

    def articles(self) -> Iterator[Article]:
        from rashomon.extract import extract_many
        from rashomon.ingest import read_inputs

        total = len(self.items)

        def documents() -> Iterator[RawDocument | InputError]:
            for done, item in enumerate(self.items, start=1):
                if isinstance(item, InputError):
                    yield item
                else:
                    yield from read_inputs([item], self.options)
                if self.on_progress:
                    self.on_progress(done, total)

        for result in extract_many(documents(), templates=self.templates):
            if isinstance(result, InputError):
                self._fail(result)
            else:
                yield result

    def _fail(self, error: InputError) -> None:
        self.failed += 1
        self.errors.append(error)
        if self.on_error:
            self.on_error(error)


@dataclass
class IngestSummary:
    """Counts of an ingest run and each stored article's id, status and story."""

    added: int = 0
    duplicate: int = 0
    failed: int = 0
    results: list[dict] = field(default_factory=list)


def ingest_into(store, batch: Batch, *, assign_stories: bool = True,
                on_result: Callable[[dict], None] | None = None) -> IngestSummary:
    """Store the batch's articles (each once), place new ones into stories, report every article."""
    from dataclasses import replace

    from rashomon.store import StoreTemplateMemory

    if batch.templates is None:
        batch.templates = StoreTemplateMemory(store.conn)
    placer = None
    if assign_stories:
        from rashomon.cluster.service import StoreStories
        placer = StoreStories(store)
    summary = IngestSummary()
    pending: list[Article] = []
    last = time.monotonic()

    def flush() -> None:
        if not pending:
            return
        results = store.write(pending, templates=batch.templates)
        if placer is not None:
            fresh = [replace(a, id=r.id) for a, r in zip(pending, results) if r.status == "added"]
            copies = [(r.id, a.outlet) for a, r in zip(pending, results) if r.status != "added" and a.outlet]
            placer.assign(fresh, copies)
        from rashomon.store import stories
        for article, result in zip(pending, results):
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            record = {"id": result.id, "source": result.source, "status": result.status, "title": article.title,
                      "story": stories.story_of(store.conn, result.id) if placer is not None else None}
            summary.results.append(record)
            if on_result:
                on_result(record)
        pending.clear()

    for article in batch.articles():
        pending.append(article)
        if len(pending) >= BATCH_SIZE or time.monotonic() - last > BATCH_SECONDS:
            flush()
            last = time.monotonic()
    flush()
    summary.failed = batch.failed
    return summary
