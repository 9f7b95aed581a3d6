"""Facts from aligned statements: mentions, status across outlets, omissions, news or background.

- status: ``shared`` when every outlet of the story tells the fact, ``partial`` when several but not
  all do, ``unique`` when one does. Outlets, not articles: two articles of one outlet telling a fact
  do not make it shared (an article without an outlet counts as its own outlet).
- omissions: for each article, the facts other articles tell and it does not.
- kind: ``background`` when the fact's dated mentions place it well before publication (history
  recalled for context: "the war began in February 2022", "a ship ran aground here in 2019"),
  else ``news``. A mention is dated when its statement carries a calendar time (not a duration);
  it is background when all its times end more than ``BACKGROUND_DAYS`` before its article's
  publication day, news when one of them is later. The fact follows the majority of its dated
  mentions; facts without dated mentions are news.
- text: the mention most strongly aligned with the others (the medoid), so the fact reads as one of
  the outlets actually wrote it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rashomon.compare.features import StoryStatements
from rashomon.compare.timevalues import day_of, interval

BACKGROUND_DAYS = 14   # two weeks: "last week" and "earlier this month" stay news, last season is history


@dataclass
class Fact:
    """One fact: statement rows of the story, in story order."""

    rows: list[int]
    id: str = ""
    status: str = "unique"
    kind: str = "news"
    text: str = ""
    articles: list[int] = field(default_factory=list)   # article indexes


def outlet_key(data: StoryStatements, article: int) -> str:
    a = data.articles[article].article
    return (a.outlet or "").strip().casefold() or f"id:{a.id}"


def build_facts(data: StoryStatements, groups: list[list[int]], edges: dict[tuple[int, int], float]) -> list[Fact]:
    """Facts of a story in reading order: shared first, then partial, then unique (each by first mention)."""
    outlets = {outlet_key(data, k) for k in range(len(data.articles))}
    reference = _story_reference_day(data)
    facts = []
    for rows in groups:
        rows = sorted(rows)
        fact = Fact(rows=rows, articles=sorted({int(data.article_of[r]) for r in rows}))
        told_by = {outlet_key(data, k) for k in fact.articles}
        fact.status = ("shared" if len(told_by) == len(outlets) and len(outlets) > 1
                       else "partial" if len(told_by) > 1 else "unique")
        fact.kind = _kind(data, rows, reference)
        fact.text = data.statement(_medoid(rows, edges)).text
        facts.append(fact)
    order = {"shared": 0, "partial": 1, "unique": 2}
    facts.sort(key=lambda f: (order[f.status], -len(f.articles), f.kind != "news",
                              min((data.index_in_article[r], data.article_of[r]) for r in f.rows)))
    for n, fact in enumerate(facts, 1):
        fact.id = f"f{n}"
    return facts


def omissions(data: StoryStatements, facts: list[Fact]) -> dict[int, list[str]]:
    """Article index -> ids of the facts other articles tell and it does not."""
    return {k: [f.id for f in facts if k not in f.articles] for k in range(len(data.articles))}


def _medoid(rows: list[int], edges: dict[tuple[int, int], float]) -> int:
    if len(rows) == 1:
        return rows[0]
    def strength(r: int) -> float:
        return sum(edges.get((min(r, o), max(r, o)), 0.0) for o in rows if o != r)
    return max(rows, key=lambda r: (strength(r), -r))


def _story_reference_day(data: StoryStatements) -> float | None:
    days = [d for a in data.articles if (d := day_of(a.article.published)) is not None]
    return max(days) if days else None


def _kind(data: StoryStatements, rows: list[int], reference: float | None) -> str:
    votes = []
    for r in rows:
        a = data.articles[int(data.article_of[r])]
        day = day_of(a.article.published)
        day = day if day is not None else reference
        if day is None:
            continue
        ends = []
        for t in data.statement(r).times:
            if 0 <= t < len(a.times) and a.times[t].type in ("DATE", "TIME"):
                span = interval(a.times[t].value, a.times[t].mod) or interval(a.times[t].value)
                if span:
                    ends.append(span[1])
        if ends:
            votes.append(max(ends) < day - BACKGROUND_DAYS)
    return "background" if votes and sum(votes) * 2 > len(votes) else "news"
