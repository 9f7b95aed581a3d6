"""Tables read by the web app (migration 4): cached comparisons and what each analysis names and cites.

Written only through ``Store``'s transaction methods; read with plain queries. An article's entity
and speaker rows are derived from its stored analysis, so they can be rebuilt at any time
(``indexed_analyses`` says which analyzer version they came from).
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any, Iterable


def save_comparison(conn: sqlite3.Connection, story_id: str, signature: str, data: dict, html: str | None,
                    now: str) -> None:
    conn.execute("INSERT OR REPLACE INTO comparisons (story_id, signature, data, html, created_at) "
                  "VALUES (?, ?, ?, ?, ?)", (story_id, signature, json.dumps(data, ensure_ascii=False), html, now))


def cached_comparison(conn: sqlite3.Connection, story_id: str, signature: str,
                      with_data: bool = True) -> tuple[dict | None, str | None] | None:
    """(comparison, rendered HTML) when the cache holds this story at this signature (the
    comparison is None when ``with_data`` is false: decoding it is the costly part)."""
    column = "data" if with_data else "NULL"
    row = conn.execute(f"SELECT {column}, html FROM comparisons WHERE story_id = ? AND signature = ?",
                       (story_id, signature)).fetchone()
    return (json.loads(row[0]) if with_data else None, row[1]) if row else None


def save_analysis_index(conn: sqlite3.Connection, article_id: str, analyzer: str, record: dict[str, Any]) -> None:
    """Replace an article's entity and speaker rows with those of its analysis record."""
    conn.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM article_speakers WHERE article_id = ?", (article_id,))
    surfaces: Counter[tuple[str, str]] = Counter()
    names: dict[str, tuple[str, str]] = {}
    for e in record.get("entities") or []:
        surfaces[(e["key"], e["text"])] += 1
        names.setdefault(e["key"], (e.get("canonical") or e["text"], e.get("label") or ""))
    conn.executemany("INSERT INTO article_entities (article_id, key, canonical, label, surface, mentions) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(article_id, key, *names[key], surface, n) for (key, surface), n in surfaces.items()])
    speakers: dict[str, list] = {}
    for q in record.get("quotes") or []:
        name = q.get("speaker")
        if not name:
            continue
        entry = speakers.setdefault(name, [q.get("speaker_key"), 0, 0])
        entry[1 if q.get("direct") else 2] += 1
    conn.executemany("INSERT INTO article_speakers (article_id, speaker, speaker_key, direct, indirect) "
                     "VALUES (?, ?, ?, ?, ?)", [(article_id, name, *v) for name, v in speakers.items()])
    conn.execute("INSERT OR REPLACE INTO indexed_analyses (article_id, analyzer) VALUES (?, ?)",
                 (article_id, analyzer))


def unindexed_articles(conn: sqlite3.Connection, analyzer: str, limit: int = 500) -> Iterable[sqlite3.Row]:
    """Articles whose entity and speaker rows are missing or come from another analyzer version."""
    return conn.execute("""SELECT a.* FROM articles a LEFT JOIN indexed_analyses i ON i.article_id = a.id
                           WHERE i.analyzer IS NULL OR i.analyzer != ? LIMIT ?""", (analyzer, limit)).fetchall()
