"""Stories for stored articles: what ``rashomon ingest`` calls after each batch it writes.

The clusterer's index is rebuilt lazily from the store, one publication day at a time: before an
article is placed, the days of its window (and the undated shard) are loaded from the
``cluster_features`` table with their stories, so a process only ever holds the days it needs and
any process can take over where another stopped. Analyses are read from and written to the store
(one per text and analyzer version), and so are the new articles' features and assignments,
through ``Store.write_stories`` (one transaction per batch).
"""
from __future__ import annotations

import logging
from typing import Iterable

from rashomon.cluster import features as feats
from rashomon.cluster.batch import arrival_order, featurize
from rashomon.cluster.embeddings import MODEL_NAME, Embedder
from rashomon.cluster.index import CandidateIndex
from rashomon.cluster.online import Assignment, StoryClusterer
from rashomon.models import AnalyzedArticle, Article

log = logging.getLogger(__name__)


def analyze_for_clustering(articles: list[Article], analyzer=None, store=None) -> list[AnalyzedArticle]:
    """Analyses of the articles (entities and times are what clustering reads).

    Without an English model (or with ``analyzer=False``) the articles are clustered on text,
    embeddings and dates alone, and a warning says so once.
    """
    if analyzer is False:
        return [AnalyzedArticle(article=a, language_supported=False) for a in articles]
    from rashomon.analyze.model import ModelMissingError
    from rashomon.analyze.stored import analyzed_records

    try:
        if analyzer is None:
            from rashomon.analyze.pipeline import Analyzer
            analyzer = Analyzer()
        analyzer.nlp  # noqa: B018 - load now so that a missing model is caught here
    except ModelMissingError as exc:
        log.warning("stories are formed without entities or datelines: %s", exc)
        return [AnalyzedArticle(article=a, language_supported=False) for a in articles]
    records = analyzed_records(articles, analyzer, store)
    return [feats.analyzed_from_record(r, a) for r, a in zip(records, articles)]


class StoreStories:
    """Assigns stories to articles as they are stored (see the module docstring)."""

    def __init__(self, store, analyzer=None, embedder: Embedder | None = None, clusterer: StoryClusterer | None = None):
        self.store = store
        self.analyzer = analyzer
        self.embedder = embedder or Embedder()
        self.clusterer = clusterer or StoryClusterer()
        self.loaded: set[int | None] = set()

    def _latest_day(self) -> int | None:
        row = self.store.conn.execute("SELECT MAX(day) FROM cluster_features WHERE model = ?", (MODEL_NAME,)).fetchone()
        days = [d for d in (row[0] if row else None, self.clusterer.index.latest_day()) if d is not None]
        return max(days) if days else None

    def _load(self, f: feats.ArticleFeatures) -> None:
        """Load from the store every day of this article's window not yet in memory (and the undated)."""
        from rashomon.store import stories

        index = self.clusterer.index
        days: set[int | None] = set(index.window_days(f, None if f.day else self._latest_day()))
        days.add(None)
        todo = sorted(days - self.loaded, key=lambda d: -1 if d is None else d)
        if not todo:
            return
        count = 0
        for story_id, data in stories.features_by_day(self.store.conn, todo, MODEL_NAME):
            self.clusterer.add_known(feats.from_bytes(data), stories.resolve(self.store.conn, story_id) or story_id)
            count += 1
        self.loaded.update(todo)
        if count:
            log.info("loaded %d stored articles of %d day(s) into the story index", count, len(todo))

    def assign(self, articles: list[Article], copies: Iterable[tuple[str, str]] = ()) -> list[Assignment]:
        """Place newly stored articles (ids as stored) and record them; ``copies`` are (article id, outlet)
        pairs of identical texts that other outlets published."""
        analyzed = analyze_for_clustering(articles, self.analyzer, self.store)
        features = list(featurize(analyzed, self.embedder))
        done: list[Assignment] = []
        blobs = {}
        for i in arrival_order(features):
            f = features[i]
            self._load(f)
            done.append(self.clusterer.add(f))
            blobs[f.id] = (CandidateIndex.shard_day(f), MODEL_NAME, feats.to_bytes(f))
        self.store.write_stories(done, blobs, copies)
        return done
