"""Clustering a finite set of articles (``rashomon cluster``) with the online clusterer.

Features are computed per article (analysis, then the embedding of headline and lead in batches);
articles are then placed one by one in order of publication day (undated ones first, input order
within a day), which is the order a live feed would deliver them. The result lists every article
in input order with the story it ended in (a later bridging article may have merged its story).
"""
from __future__ import annotations

import logging
from typing import Iterable, Iterator

from rashomon.cluster.embeddings import Embedder
from rashomon.cluster.features import ArticleFeatures, compute, lead_text
from rashomon.cluster.online import Assignment, StoryClusterer
from rashomon.models import AnalyzedArticle

log = logging.getLogger(__name__)

EMBED_BATCH = 64


def featurize(analyzed: Iterable[AnalyzedArticle], embedder: Embedder | None = None) -> Iterator[ArticleFeatures]:
    """Features of each analysed article, in order (embeddings computed ``EMBED_BATCH`` at a time)."""
    embedder = embedder or Embedder()
    pending: list[AnalyzedArticle] = []

    def flush() -> Iterator[ArticleFeatures]:
        leads = [lead_text(a.article.title, a.article.text) for a in pending]
        vectors = embedder.embed(leads)
        for a, v in zip(pending, vectors):
            yield compute(a, v)
        pending.clear()

    for item in analyzed:
        pending.append(item)
        if len(pending) >= EMBED_BATCH:
            yield from flush()
    if pending:
        yield from flush()


def arrival_order(features: list[ArticleFeatures]) -> list[int]:
    """Indexes in the order articles are placed: by first publication day, undated first, then input order."""
    return sorted(range(len(features)), key=lambda i: (features[i].day[0] if features[i].day else -1, i))


def cluster_features(features: list[ArticleFeatures], clusterer: StoryClusterer | None = None) -> list[Assignment]:
    """Place every article; assignments in input order with each article's final story id."""
    clusterer = clusterer or StoryClusterer()
    placed: dict[int, Assignment] = {}
    for i in arrival_order(features):
        placed[i] = clusterer.add(features[i])
    out = []
    for i in range(len(features)):
        a = placed[i]
        a.story = clusterer.story_of_slot(a.slot)
        out.append(a)
    return out


def story_counts(assignments: list[Assignment]) -> dict[str, int]:
    """Articles per story."""
    counts: dict[str, int] = {}
    for a in assignments:
        counts[a.story] = counts.get(a.story, 0) + 1
    return counts

