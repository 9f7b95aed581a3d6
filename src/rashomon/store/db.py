"""SQLite store: recorded migrations, WAL, one write path, batch transactions, FTS5 search.

Articles are keyed by a hash of their normalized body (``Article.content_key``): writing the same
article twice stores it once. Two extractions of one page (its HTML and its copied text) rarely
give byte-identical bodies, so an article whose URL or title matches a stored one is also compared
by word shingles, and a near-identical body counts as the same article. A duplicate fills
metadata the stored copy lacks and records the extra source; nothing stored is overwritten.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from rashomon.errors import StoreError
from rashomon.models import Article, normalize_body
from rashomon.store.migrations import migrate

log = logging.getLogger(__name__)

NEAR_DUPLICATE = 0.8  # shingle Jaccard above which two bodies with the same URL or title are one article
SHINGLE = 5
MERGEABLE = ("url", "outlet", "title", "published", "published_from", "modified", "language")
COLUMNS = ("id", "content_key", "title_key", "url", "outlet", "title", "authors", "published", "published_from",
           "modified", "language", "text", "captions", "extra", "source", "ingested_at")


@dataclass
class WriteResult:
    """What happened to one article on write: ``added``, or ``duplicate`` of an existing id."""

    id: str
    status: str
    source: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def title_key(title: str | None) -> str | None:
    """Normalized title used to find candidate duplicates (None for missing or very short titles)."""
    key = normalize_body(title or "")
    return key if len(key) >= 12 else None


def _shingles(text: str) -> set[str]:
    words = normalize_body(text).split()
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two bodies' word 5-gram sets."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


class Store:
    """One SQLite database file. Open it, read and write through its methods, close it."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                                            check_same_thread=False)
            else:
                if self.path.parent and not self.path.parent.exists():
                    raise StoreError(f"folder {self.path.parent} does not exist", source=str(self.path))
                self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc} (is it an SQLite file made by rashomon?)",
                             source=str(self.path)) from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------ write path

    def write(self, articles: Iterable[Article], *, templates=None) -> list[WriteResult]:
        """Store a batch of articles in one transaction (with pending template-memory counts)."""
        results = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for article in articles:
                results.append(self._write_one(article))
            if templates is not None:
                templates.flush(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            if templates is not None:
                templates.discard_pending()
            raise
        return results

    def _write_one(self, article: Article) -> WriteResult:
        key = article.content_key
        existing = self.conn.execute("SELECT * FROM articles WHERE content_key = ?", (key,)).fetchone()
        if existing is None:
            existing = self._near_duplicate(article)
        now = _now()
        if existing is not None:
            self._merge(existing, article)
            self.conn.execute("INSERT OR IGNORE INTO article_sources (article_id, source, seen_at) VALUES (?, ?, ?)",
                              (existing["id"], article.source, now))
            return WriteResult(existing["id"], "duplicate", article.source)
        article_id = article.id or key
        if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            log.warning("%s: id %s is taken by a different article; stored as %s", article.source, article_id, key)
            article_id = key
        row = {"id": article_id, "content_key": key, "title_key": title_key(article.title), "url": article.url,
               "outlet": article.outlet, "title": article.title, "authors": json.dumps(article.authors, ensure_ascii=False),
               "published": article.published, "published_from": article.published_from,
               "modified": article.modified, "language": article.language, "text": article.text,
               "captions": json.dumps(article.captions, ensure_ascii=False),
               "extra": json.dumps(article.extra, ensure_ascii=False), "source": article.source,
               "ingested_at": now}
        self.conn.execute(f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                          [row[c] for c in COLUMNS])
        self.conn.execute("INSERT INTO article_sources (article_id, source, seen_at) VALUES (?, ?, ?)",
                          (article_id, article.source, now))
        return WriteResult(article_id, "added", article.source)

    def _near_duplicate(self, article: Article) -> sqlite3.Row | None:
        clauses, params = [], []
        if article.url:
            clauses.append("url = ?")
            params.append(article.url)
        tkey = title_key(article.title)
        if tkey:
            clauses.append("title_key = ?")
            params.append(tkey)
        if not clauses:
            return None
        rows = self.conn.execute(f"SELECT * FROM articles WHERE {' OR '.join(clauses)} LIMIT 20", params).fetchall()
        best = max(rows, key=lambda r: similarity(r["text"], article.text), default=None)
        if best is not None and similarity(best["text"], article.text) >= NEAR_DUPLICATE:
            return best
        return None

    def _merge(self, row: sqlite3.Row, article: Article) -> None:
        """Fill fields the stored article lacks from a duplicate; never overwrite what is stored."""
        updates = {name: getattr(article, name) for name in MERGEABLE
                   if not row[name] and getattr(article, name)}
        if updates.get("published") and not updates.get("published_from"):
            updates["published_from"] = article.published_from
        if article.authors and row["authors"] in (None, "[]"):
            updates["authors"] = json.dumps(article.authors, ensure_ascii=False)
        if article.captions and row["captions"] in (None, "[]"):
            updates["captions"] = json.dumps(article.captions, ensure_ascii=False)
        if "title" in updates:
            updates["title_key"] = title_key(article.title)
        if updates:
            sets = ", ".join(f"{name} = ?" for name in updates)
            self.conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*updates.values(), row["id"]])

    def write_analyses(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Store analyses as (analysis key, analyzer version, analysis record) in one transaction."""
        now = _now()
        with_rows = [(key, analyzer, json.dumps(data, ensure_ascii=False), now) for key, analyzer, data in items]
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany("INSERT OR REPLACE INTO analyses (analysis_key, analyzer, data, created_at) "
                                  "VALUES (?, ?, ?, ?)", with_rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _transaction(self, work) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            work(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def write_comparison(self, story_id: str, signature: str, data: dict, html: str | None) -> None:
        """Keep a story's comparison (and its rendered HTML) until its signature changes."""
        from rashomon.store import indexes
        self._transaction(lambda c: indexes.save_comparison(c, story_id, signature, data, html, _now()))

    def write_analysis_index(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Entity and speaker rows from (article id, analyzer version, analysis record), one transaction."""
        from rashomon.store import indexes
        items = list(items)

        def work(conn):
            for article_id, analyzer, record in items:
                indexes.save_analysis_index(conn, article_id, analyzer, record)
        self._transaction(work)

    def analysis(self, key: str, analyzer: str) -> dict | None:
        """A stored analysis record for this key and analyzer version, or None."""
        row = self.conn.execute("SELECT data FROM analyses WHERE analysis_key = ? AND analyzer = ?",
                                (key, analyzer)).fetchone()
        return json.loads(row[0]) if row else None

    def write_stories(self, assignments: Iterable, features: dict[str, tuple[int | None, str, bytes]] | None = None,
                      outlets: Iterable[tuple[str, str]] = ()) -> None:
        """Store story assignments (``cluster.online.Assignment``), their articles' clustering features
        (article id -> (day, model, bytes)) and outlets of identical copies, in one transaction."""
        from rashomon.store import stories

        now = _now()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for a in assignments:
                if features and a.id in features:
                    stories.save_features(self.conn, a.id, *features[a.id])
                stories.save_assignment(self.conn, a.id, a.story, a.score, a.reasons, a.merged, now)
            for article_id, outlet in outlets:
                stories.add_outlet(self.conn, article_id, outlet)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------------------ reads

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def get(self, article_id: str) -> Article | None:
        """The article with this id (or a unique id prefix of at least 6 characters)."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self.conn.execute("SELECT * FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                                     (_like_prefix(article_id),)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return row_to_article(row) if row else None

    def sources(self, article_id: str) -> list[str]:
        """Every input this article was read from, first seen first."""
        rows = self.conn.execute("SELECT source FROM article_sources WHERE article_id = ? ORDER BY seen_at, source",
                                 (article_id,))
        return [r[0] for r in rows]

    def search(self, query: str | None = None, *, outlet: str | None = None, limit: int = 50,
               offset: int = 0) -> Iterator[Article]:
        """Articles matching a full-text query (words, all required) and/or an outlet, newest first."""
        where, params = [], []
        sql = "SELECT a.* FROM articles a"
        if query and query.strip():
            sql += " JOIN articles_fts f ON f.rowid = a.rowid"
            where.append("articles_fts MATCH ?")
            params.append(fts_query(query))
        if outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            params.append(outlet)
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "bm25(articles_fts), " if query and query.strip() else ""
        sql += f" ORDER BY {order}a.published DESC, a.rowid DESC LIMIT ? OFFSET ?"
        params += [limit, offset]
        for row in self.conn.execute(sql, params):
            yield row_to_article(row)


def fts_query(text: str) -> str:
    """An FTS5 query that treats the user's words as plain text: each word quoted, all required."""
    words = [w for w in text.replace('"', " ").split() if w]
    return " ".join(f'"{w}"' for w in words)


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def row_to_article(row: sqlite3.Row) -> Article:
    """An ``Article`` from a row of the ``articles`` table."""
    return Article(id=row["id"], source=row["source"], text=row["text"], url=row["url"], outlet=row["outlet"],
                   title=row["title"], authors=json.loads(row["authors"]), published=row["published"],
                   published_from=row["published_from"], modified=row["modified"], language=row["language"],
                   captions=json.loads(row["captions"]), extra=json.loads(row["extra"]))
