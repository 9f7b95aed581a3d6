"""Story tables of the store (migration 3): written only through ``Store``'s transaction methods.

``stories`` holds one row per story (a story merged into an older one keeps its row, with
``merged_into`` set, so an old id still leads somewhere); ``story_articles`` the story of every
article with the score and reasons of the decision; ``article_outlets`` the outlets of identical
copies (the store keeps one article per text); ``cluster_features`` the per-article features the
clusterer rebuilds its index from, keyed by the shard day.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Iterator


@dataclass
class StoryRow:
    """A story as listed: id, title, dates, article count and outlets."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    outlets: list[str] = field(default_factory=list)

    def to_record(self) -> dict:
        return {"id": self.id, "title": self.title, "first_published": self.first_published,
                "last_published": self.last_published, "articles": self.articles, "outlets": self.outlets}


def save_assignment(conn: sqlite3.Connection, article_id: str, story_id: str, score: float, reasons: dict,
                    merged: list[str], now: str) -> None:
    """Record an article's story (and the merges its arrival caused); refresh the story's summary."""
    for gone in merged:
        conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (story_id, gone))
        conn.execute("UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", (story_id, now, gone))
        conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (story_id, gone))
    conn.execute("INSERT OR REPLACE INTO story_articles (article_id, story_id, score, reasons, assigned_at) "
                 "VALUES (?, ?, ?, ?, ?)", (article_id, story_id, score, json.dumps(reasons, ensure_ascii=False), now))
    conn.execute("INSERT OR IGNORE INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)", (story_id, now, now))
    refresh(conn, story_id, now)


def refresh(conn: sqlite3.Connection, story_id: str, now: str) -> None:
    """Recompute a story's title (its first article's), dates and article count."""
    row = conn.execute("""SELECT COUNT(*) AS n, MIN(a.published) AS first, MAX(a.published) AS last
                          FROM story_articles s JOIN articles a ON a.id = s.article_id
                          WHERE s.story_id = ?""", (story_id,)).fetchone()
    title = conn.execute("""SELECT a.title FROM story_articles s JOIN articles a ON a.id = s.article_id
                            WHERE s.story_id = ? AND a.title IS NOT NULL
                            ORDER BY a.published IS NULL, a.published, a.rowid LIMIT 1""", (story_id,)).fetchone()
    conn.execute("UPDATE stories SET articles = ?, first_published = ?, last_published = ?, title = ?, "
                 "updated_at = ? WHERE id = ?", (row[0], row[1], row[2], title[0] if title else None, now, story_id))


def save_features(conn: sqlite3.Connection, article_id: str, day: int | None, model: str, data: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO cluster_features (article_id, day, model, data) VALUES (?, ?, ?, ?)",
                 (article_id, day, model, data))


def add_outlet(conn: sqlite3.Connection, article_id: str, outlet: str) -> None:
    conn.execute("INSERT OR IGNORE INTO article_outlets (article_id, outlet) VALUES (?, ?)", (article_id, outlet))


def resolve(conn: sqlite3.Connection, story_id: str) -> str | None:
    """The surviving story of an id (or of a unique id prefix of at least 6 characters)."""
    row = conn.execute("SELECT id, merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None and len(story_id) >= 6:
        rows = conn.execute("SELECT id, merged_into FROM stories WHERE id LIKE ? LIMIT 2",
                            (story_id.replace("%", "").replace("_", "") + "%",)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    seen = set()
    while row is not None and row[1] and row[1] not in seen:
        seen.add(row[0])
        row = conn.execute("SELECT id, merged_into FROM stories WHERE id = ?", (row[1],)).fetchone()
    return row[0] if row else None


def story_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def features_by_day(conn: sqlite3.Connection, days: Iterable[int | None], model: str) -> Iterator[tuple[str, bytes]]:
    """(story id, features) of the stored articles of these shard days (``None``: the undated ones)."""
    sql = ("SELECT s.story_id, f.data FROM cluster_features f JOIN story_articles s ON s.article_id = f.article_id "
           "JOIN articles a ON a.id = f.article_id WHERE f.model = ? AND ")
    for day in days:
        clause = "f.day IS NULL" if day is None else "f.day = ?"
        params = (model,) if day is None else (model, day)
        for story_id, data in conn.execute(sql + clause + " ORDER BY a.rowid", params):
            yield story_id, data


def outlets(conn: sqlite3.Connection, story_id: str) -> list[str]:
    """Outlets of a story's articles and of their identical copies, first seen first."""
    return outlets_of(conn, [story_id]).get(story_id, [])


def outlets_of(conn: sqlite3.Connection, story_ids: list[str]) -> dict[str, list[str]]:
    """``outlets`` of several stories in one query: story id -> outlets, first seen first."""
    if not story_ids:
        return {}
    marks = ", ".join("?" * len(story_ids))
    rows = conn.execute(f"""SELECT story, outlet FROM (
                               SELECT s.story_id AS story, a.outlet AS outlet, a.rowid AS k FROM story_articles s
                               JOIN articles a ON a.id = s.article_id
                               WHERE s.story_id IN ({marks}) AND a.outlet IS NOT NULL
                               UNION ALL
                               SELECT s.story_id, o.outlet, a.rowid FROM story_articles s JOIN article_outlets o
                               ON o.article_id = s.article_id JOIN articles a ON a.id = s.article_id
                               WHERE s.story_id IN ({marks})) ORDER BY k""", [*story_ids, *story_ids])
    seen: dict[str, dict[str, None]] = {}
    for story, name in rows:
        seen.setdefault(story, {}).setdefault(name, None)
    return {story: list(names) for story, names in seen.items()}


def list_stories(conn: sqlite3.Connection, since: str | None = None, search_rowids: str | None = None,
                 params: tuple = (), limit: int = 50) -> list[StoryRow]:
    """Live stories (not merged away), latest first; ``since`` keeps stories published on or after it.

    Dated stories come first, newest first (read in order from the ``stories_live_latest`` index),
    then undated ones, biggest first."""
    live = "merged_into IS NULL AND articles > 0"
    where, args = [], []
    if search_rowids:
        where.append(f"id IN (SELECT s.story_id FROM story_articles s JOIN articles a ON a.id = s.article_id "
                     f"WHERE a.rowid IN ({search_rowids}))")
        args.extend(params)
    columns = "SELECT id, title, first_published, last_published, articles FROM stories"
    dated = [live, "last_published IS NOT NULL", *(["last_published >= ?"] if since else []), *where]
    rows = conn.execute(f"{columns} WHERE {' AND '.join(dated)} ORDER BY last_published DESC, articles DESC, id "
                        f"LIMIT ?", [*([since] if since else []), *args, limit]).fetchall()
    if len(rows) < limit:
        undated = [live, "last_published IS NULL", *where]
        rows += conn.execute(f"{columns} WHERE {' AND '.join(undated)} ORDER BY articles DESC, id LIMIT ?",
                             [*args, limit - len(rows)]).fetchall()
    found = outlets_of(conn, [r[0] for r in rows])
    return [StoryRow(r[0], r[1], r[2], r[3], r[4], found.get(r[0], [])) for r in rows]


def story_rows(conn: sqlite3.Connection, story_ids: list[str], resolve_merged: bool = True) -> list[StoryRow]:
    """The rows of these stories in the given order (each followed to the story it was merged into
    when ``resolve_merged``), without repeats or unknown ids; a few queries for all of them."""
    ids = list(dict.fromkeys(story_ids))
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    found = {r[0]: r for r in conn.execute(f"SELECT id, title, first_published, last_published, articles, "
                                           f"merged_into FROM stories WHERE id IN ({marks})", ids)}
    if resolve_merged:
        order = []
        for i in ids:
            if i in found and found[i][5]:
                i = resolve(conn, i) or i
                if i not in found:
                    row = conn.execute("SELECT id, title, first_published, last_published, articles, merged_into "
                                       "FROM stories WHERE id = ?", (i,)).fetchone()
                    if row is not None:
                        found[i] = row
            order.append(i)
        ids = list(dict.fromkeys(order))
    rows = [found[i] for i in ids if i in found]
    names = outlets_of(conn, [r[0] for r in rows])
    return [StoryRow(r[0], r[1], r[2], r[3], r[4], names.get(r[0], [])) for r in rows]


def story_articles(conn: sqlite3.Connection, story_id: str) -> list[dict]:
    """A story's articles (chronological) with their scores and reasons."""
    rows = conn.execute("""SELECT a.id, a.outlet, a.title, a.published, a.url, s.score, s.reasons
                           FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?
                           ORDER BY a.published IS NULL, a.published, a.rowid""", (story_id,)).fetchall()
    out = []
    for r in rows:
        extra = [o[0] for o in conn.execute("SELECT outlet FROM article_outlets WHERE article_id = ? ORDER BY outlet",
                                            (r[0],)) if o[0] != r[1]]
        out.append({"id": r[0], "outlet": r[1], "also_published_by": extra, "title": r[2], "published": r[3],
                    "url": r[4], "score": r[5], "reasons": json.loads(r[6])})
    return out


def story_row(conn: sqlite3.Connection, story_id: str) -> StoryRow | None:
    r = conn.execute("SELECT id, title, first_published, last_published, articles FROM stories WHERE id = ?",
                     (story_id,)).fetchone()
    return StoryRow(r[0], r[1], r[2], r[3], r[4], outlets(conn, r[0])) if r else None
