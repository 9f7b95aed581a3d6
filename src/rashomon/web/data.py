"""What each page of the web app shows, as plain data: the JSON twin of every page.

Each function takes an open ``Store`` and returns a dict that ``views`` turns into HTML and the
app returns as JSON for ``PAGE.json``. Reads are plain SQL over the store's tables; the only
writes are the caches (comparisons, the entity and speaker indexes), through the ``Store``.
"""
from __future__ import annotations

import logging
import math
import re
import weakref
from collections import Counter, defaultdict
from typing import Any

from rashomon.store import Store
from rashomon.store import indexes, stories

log = logging.getLogger(__name__)

PAGE_SIZE = 50
RECENT_DAYS = 7          # "biggest stories" are the biggest of the newest week of the store
TERMS_SAMPLE = 300       # articles per outlet read to find its characteristic terms
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
_TOTALS: "weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], dict[str, int]]]" = weakref.WeakKeyDictionary()


def _story_records(store: Store, rows: list[stories.StoryRow]) -> list[dict]:
    """Story rows with their outlet counts and a per-day article count (the sparkline)."""
    ids = [row.id for row in rows]
    per_day: dict[str, list[list]] = {}
    if ids:
        for story_id, d, n in store.conn.execute(
                f"""SELECT s.story_id, substr(a.published, 1, 10) AS d, COUNT(*) FROM story_articles s
                    JOIN articles a ON a.id = s.article_id WHERE s.story_id IN ({', '.join('?' * len(ids))})
                    AND a.published IS NOT NULL GROUP BY s.story_id, d ORDER BY s.story_id, d""", ids):
            per_day.setdefault(story_id, []).append([d, n])
    out = []
    for row in rows:
        record = row.to_record()
        record["outlet_count"] = len(row.outlets)
        record["per_day"] = per_day.get(row.id, [])
        out.append(record)
    return out


def home(store: Store, limit: int = 20) -> dict[str, Any]:
    """Latest and biggest stories, and what the store holds."""
    conn = store.conn
    latest = stories.list_stories(conn, limit=limit)
    live = "merged_into IS NULL AND articles > 0"  # the condition of the stories_live_latest index
    newest = conn.execute(f"SELECT MAX(last_published) FROM stories WHERE {live}").fetchone()[0]
    biggest_rows = []
    if newest:
        since = _days_before(newest, RECENT_DAYS)
        ids = [r[0] for r in conn.execute(f"""SELECT id FROM stories WHERE {live} AND last_published >= ?
                                              ORDER BY articles DESC, last_published DESC LIMIT ?""", (since, limit))]
        biggest_rows = stories.story_rows(conn, ids, resolve_merged=False)
    return {"page": "home", "totals": _totals(store), "latest": _story_records(store, latest),
            "biggest": _story_records(store, biggest_rows)}


def _totals(store: Store) -> dict[str, int]:
    """Counts of articles, live stories and outlets. Counting 100,000 articles takes milliseconds, so
    the counts are kept per connection until the database changes (``PRAGMA data_version`` moves
    when another connection commits, ``total_changes`` when this one writes)."""
    conn = store.conn
    version = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    cached = _TOTALS.get(store)
    if cached is not None and cached[0] == version:
        return dict(cached[1])
    totals = {"articles": store.count(),
              "stories": conn.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND articles > 0")
              .fetchone()[0],
              "outlets": conn.execute("SELECT COUNT(DISTINCT outlet) FROM articles").fetchone()[0]}
    _TOTALS[store] = (version, totals)
    return dict(totals)


def _days_before(iso: str, days: int) -> str:
    from datetime import date, timedelta
    try:
        return (date.fromisoformat(iso[:10]) - timedelta(days=days)).isoformat()
    except ValueError:
        return iso[:10]


def search(store: Store, q: str = "", *, outlet: str | None = None, since: str | None = None,
           until: str | None = None, entity: str | None = None, offset: int = 0) -> dict[str, Any]:
    """Articles matching the words (FTS5) and filters, and the stories they belong to."""
    from rashomon.store.db import fts_query

    where, params = [], []
    query = fts_query(q or "")
    if outlet:
        where.append("(a.outlet = ? COLLATE NOCASE OR a.id IN (SELECT article_id FROM article_outlets "
                     "WHERE outlet = ? COLLATE NOCASE))")
        params += [outlet, outlet]
    if since:
        where.append("a.published >= ?")
        params.append(since)
    if until:
        where.append("a.published < ?")
        params.append(_next_day(until))
    if entity:
        where.append("a.id IN (SELECT article_id FROM article_entities WHERE key = ?)")
        params.append(entity)
    conn = store.conn
    if query:
        rows = _ranked_matches(conn, query, where, params, offset)
    else:
        sql = ("SELECT a.id, a.title, a.outlet, a.published, a.url, substr(a.text, 1, 240) AS snippet FROM articles a"
               + (f" WHERE {' AND '.join(where)}" if where else ""))
        rows = conn.execute(f"{sql} ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC LIMIT ? OFFSET ?",
                            [*params, PAGE_SIZE + 1, offset]).fetchall()
    shown = rows[:PAGE_SIZE]
    story_of = _stories_of(conn, [r[0] for r in shown])
    articles = [{"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "url": r[4],
                 "snippet": r[5], "story": story_of.get(r[0])} for r in shown]
    story_ids = list(dict.fromkeys(a["story"] for a in articles if a["story"]))[:20]
    found_stories = stories.story_rows(conn, story_ids)
    return {"page": "search", "query": {"q": q, "outlet": outlet, "since": since, "until": until, "entity": entity,
                                        "offset": offset},
            "articles": articles, "more": len(rows) > PAGE_SIZE, "stories": [r.to_record() for r in found_stories]}


def _ranked_matches(conn, query: str, where: list[str], params: list, offset: int) -> list[tuple]:
    """A page (plus one row) of full-text matches, best first, as (id, title, outlet, published, url,
    snippet). ``ORDER BY f.rank`` (bm25, the FTS5 default) is sorted inside the full-text index, so
    SQLite reads the articles and makes snippets for the page's rows alone; ``ORDER BY bm25(...)``
    gives the same order through a sorter that carries a snippet for every match of a common word."""
    sql = (f"SELECT a.id, a.title, a.outlet, a.published, a.url, "
           f"snippet(articles_fts, 1, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 24) FROM articles_fts f "
           f"JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH ?"
           + "".join(f" AND {w}" for w in where) + " ORDER BY f.rank LIMIT ? OFFSET ?")
    return conn.execute(sql, [query, *params, PAGE_SIZE + 1, offset]).fetchall()


def _stories_of(conn, article_ids: list[str]) -> dict[str, str]:
    """The story of each of these articles (one query)."""
    if not article_ids:
        return {}
    rows = conn.execute(f"SELECT article_id, story_id FROM story_articles WHERE article_id IN "
                        f"({', '.join('?' * len(article_ids))})", article_ids)
    return {r[0]: r[1] for r in rows}


def _next_day(iso: str) -> str:
    from datetime import date, timedelta
    try:
        return (date.fromisoformat(iso[:10]) + timedelta(days=1)).isoformat()
    except ValueError:
        return iso


def article(store: Store, article_id: str, analyzer_version: str) -> dict[str, Any] | None:
    """An article with its analysis (entities, times, attributions), its sources and its story."""
    from rashomon.models import analysis_key

    art = store.get(article_id)
    if art is None:
        return None
    record = art.to_record()
    analysis = store.analysis(analysis_key(art), analyzer_version) or {}
    story_id = stories.story_of(store.conn, art.id)
    return {"page": "article", "article": record, "sources": store.sources(art.id),
            "also_published_by": [r[0] for r in store.conn.execute(
                "SELECT outlet FROM article_outlets WHERE article_id = ? AND outlet != ? ORDER BY outlet",
                (art.id, art.outlet or ""))],
            "story": stories.resolve(store.conn, story_id) if story_id else None,
            "analysed": bool(analysis),
            "entities": analysis.get("entities", []), "times": analysis.get("times", []),
            "quotes": analysis.get("quotes", [])}


def outlet(store: Store, name: str) -> dict[str, Any] | None:
    """An outlet's stories, whom it cites most, and its characteristic terms against other outlets."""
    conn = store.conn
    count = conn.execute("SELECT COUNT(*) FROM articles WHERE outlet = ? COLLATE NOCASE", (name,)).fetchone()[0]
    if not count:
        return None
    story_ids = [r[0] for r in conn.execute("""SELECT s.story_id FROM story_articles s JOIN articles a
                                               ON a.id = s.article_id WHERE a.outlet = ? COLLATE NOCASE
                                               GROUP BY s.story_id ORDER BY MAX(a.published) DESC LIMIT 50""",
                                            (name,))]
    rows = stories.story_rows(conn, story_ids)
    cited = conn.execute("""SELECT sp.speaker, sp.speaker_key, SUM(sp.direct), SUM(sp.indirect), COUNT(*)
                            FROM article_speakers sp JOIN articles a ON a.id = sp.article_id
                            WHERE a.outlet = ? COLLATE NOCASE GROUP BY sp.speaker
                            ORDER BY SUM(sp.direct) + SUM(sp.indirect) DESC LIMIT 20""", (name,)).fetchall()
    return {"page": "outlet", "outlet": name, "articles": count, "stories": _story_records(store, rows),
            "cited": [{"speaker": r[0], "key": r[1], "direct": r[2], "indirect": r[3], "articles": r[4]}
                      for r in cited],
            "terms": characteristic_terms(store, name)}


def characteristic_terms(store: Store, name: str, top: int = 25) -> list[dict[str, Any]]:
    """Words this outlet uses more than the others: log-odds ratio with an informative Dirichlet
    prior (Monroe, Colaresi and Quinn 2008) over recent articles, z-scored, most distinctive first."""
    conn = store.conn
    mine = Counter()
    for (text,) in conn.execute("SELECT text FROM articles WHERE outlet = ? COLLATE NOCASE ORDER BY rowid DESC "
                                "LIMIT ?", (name, TERMS_SAMPLE)):
        mine.update(w.lower() for w in _WORD.findall(text))
    others = Counter()
    for (text,) in conn.execute("SELECT text FROM articles WHERE outlet IS NOT NULL AND outlet != ? COLLATE NOCASE "
                                "ORDER BY rowid DESC LIMIT ?", (name, TERMS_SAMPLE * 3)):
        others.update(w.lower() for w in _WORD.findall(text))
    if not mine or not others:
        return []
    prior = mine + others
    a0, n1, n2 = sum(prior.values()), sum(mine.values()), sum(others.values())
    scores = []
    for word, y1 in mine.items():
        if y1 < 3 or len(word) < 3:
            continue
        y2, a = others.get(word, 0), prior[word] * 0.01 + 0.01
        scale = a0 * 0.01 + 0.01 * len(prior)
        delta = (math.log((y1 + a) / (n1 + scale - y1 - a)) - math.log((y2 + a) / (n2 + scale - y2 - a)))
        var = 1 / (y1 + a) + 1 / (y2 + a)
        scores.append((delta / math.sqrt(var), word, y1, y2))
    scores.sort(reverse=True)
    return [{"term": w, "z": round(z, 2), "here": y1, "elsewhere": y2} for z, w, y1, y2 in scores[:top]]


def entity(store: Store, key: str) -> dict[str, Any] | None:
    """An entity's stories and how each outlet names it."""
    conn = store.conn
    rows = conn.execute("""SELECT e.canonical, e.label, e.surface, a.outlet, SUM(e.mentions)
                           FROM article_entities e JOIN articles a ON a.id = e.article_id WHERE e.key = ?
                           GROUP BY a.outlet, e.surface ORDER BY a.outlet, SUM(e.mentions) DESC""", (key,)).fetchall()
    if not rows:
        return None
    names: dict[str, list[dict]] = defaultdict(list)
    canonical = Counter()
    for canon, _label, surface, outlet_name, n in rows:
        names[outlet_name or "(unknown outlet)"].append({"term": surface, "mentions": n})
        canonical[canon] += n
    story_ids = [r[0] for r in conn.execute("""SELECT s.story_id FROM article_entities e
                                               JOIN story_articles s ON s.article_id = e.article_id
                                               JOIN articles a ON a.id = e.article_id WHERE e.key = ?
                                               GROUP BY s.story_id ORDER BY MAX(a.published) DESC LIMIT 50""", (key,))]
    story_rows = stories.story_rows(conn, story_ids)
    return {"page": "entity", "key": key, "name": canonical.most_common(1)[0][0], "label": rows[0][1],
            "names_by_outlet": dict(names), "stories": _story_records(store, story_rows)}


def story(store: Store, story_id: str, comparisons, with_data: bool = True) -> tuple[dict[str, Any], str] | None:
    """A story's articles, why each was placed there, and its comparison (``comparisons``: a
    ``web.comparisons.Comparisons``), with the comparison's rendered sections. ``with_data=False``
    leaves the comparison JSON out (the HTML page needs only its rendered sections)."""
    sid = stories.resolve(store.conn, story_id)
    row = stories.story_row(store.conn, sid) if sid else None
    if row is None:
        return None
    members = stories.story_articles(store.conn, row.id)
    comparison, html = comparisons.get(store, row.id, [m["id"] for m in members], with_data=with_data)
    return {"page": "story", "story": row.to_record(), "articles": members, "comparison": comparison}, html


def refresh_indexes(store: Store, analyzer_version: str, batch: int = 500) -> int:
    """Fill the entity and speaker rows of articles analysed since the last refresh; returns how many."""
    from rashomon.models import analysis_key
    from rashomon.store.db import row_to_article

    done = 0
    while True:
        rows = indexes.unindexed_articles(store.conn, analyzer_version, batch)
        items = []
        for row in rows:
            art = row_to_article(row)
            record = store.analysis(analysis_key(art), analyzer_version) or {}
            items.append((art.id, analyzer_version, record))
        if not items:
            return done
        store.write_analysis_index(items)
        done += len(items)
        if len(rows) < batch:
            return done


def marked_snippet(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, highlighted) pieces (FTS5 marks matches with control characters)."""
    pieces, pos = [], 0
    for match in re.finditer(f"{_MARK_OPEN}(.*?){_MARK_CLOSE}", snippet or "", re.S):
        if match.start() > pos:
            pieces.append((snippet[pos:match.start()], False))
        pieces.append((match.group(1), True))
        pos = match.end()
    if pos < len(snippet or ""):
        pieces.append((snippet[pos:], False))
    return pieces
