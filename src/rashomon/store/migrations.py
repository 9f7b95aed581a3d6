"""The store's schema, as an ordered list of recorded migrations.

Each migration runs once, in its own transaction, and is recorded in ``migrations``; a database
made by an older rashomon is brought up to date when it is opened. Never edit a released migration:
add a new one.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone

log = logging.getLogger(__name__)

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "articles, sources, full-text index, template memory", """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_key TEXT NOT NULL UNIQUE,
    title_key TEXT,
    url TEXT,
    outlet TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    published_from TEXT,
    modified TEXT,
    language TEXT,
    text TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_title_key ON articles(title_key);
CREATE INDEX articles_url ON articles(url);

-- Every input an article was read from (the same article may arrive from several).
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

-- Per-outlet template memory for scraped text (extract/templates.py).
CREATE TABLE template_pages (
    outlet TEXT NOT NULL,
    page_key TEXT NOT NULL,
    PRIMARY KEY (outlet, page_key)
) WITHOUT ROWID;
CREATE TABLE template_lines (
    outlet TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pages INTEGER NOT NULL,
    PRIMARY KEY (outlet, fingerprint)
) WITHOUT ROWID;
"""),
    (2, "analyses, kept per text, publication date and analyzer version", """
CREATE TABLE analyses (
    analysis_key TEXT NOT NULL,
    analyzer TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (analysis_key, analyzer)
) WITHOUT ROWID;
"""),
    (3, "stories: story assignments with their reasons, outlets of identical copies, clustering features", """
-- One row per story; a story merged into an older one keeps its row with merged_into set.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    first_published TEXT,
    last_published TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_published ON stories(last_published);
CREATE INDEX stories_merged_into ON stories(merged_into);

-- The story of each article and why it was placed there (scores, best matching articles).
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '{}',
    assigned_at TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);

-- Every outlet that published an article's text (identical copies are stored once).
CREATE TABLE article_outlets (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    outlet TEXT NOT NULL,
    PRIMARY KEY (article_id, outlet)
) WITHOUT ROWID;

-- Per-article clustering features (cluster/features.py), so the index can be rebuilt by day.
CREATE TABLE cluster_features (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    day INTEGER,
    model TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX cluster_features_day ON cluster_features(day);
"""),
    (4, "web: cached comparisons, entity and source indexes of the analyses", """
-- A story's comparison (and its rendered HTML) is kept until the story's articles or the
-- analyzer change: ``signature`` hashes both.
CREATE TABLE comparisons (
    story_id TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    data TEXT NOT NULL,
    html TEXT,
    created_at TEXT NOT NULL
);

-- What each article's analysis names and cites, for the entity and outlet pages.
CREATE TABLE article_entities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    canonical TEXT NOT NULL,
    label TEXT NOT NULL,
    surface TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, key, surface)
) WITHOUT ROWID;
CREATE INDEX article_entities_key ON article_entities(key);
CREATE TABLE article_speakers (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL,
    speaker_key TEXT,
    direct INTEGER NOT NULL,
    indirect INTEGER NOT NULL,
    PRIMARY KEY (article_id, speaker)
) WITHOUT ROWID;
CREATE INDEX article_speakers_key ON article_speakers(speaker_key);
CREATE TABLE indexed_analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    analyzer TEXT NOT NULL
) WITHOUT ROWID;
"""),
    (5, "web: index of the live stories, latest first", """
-- The home page and ``rashomon stories`` list the live stories (merged_into IS NULL) latest first:
-- this index gives them in that order, and their newest date, without sorting every story.
CREATE INDEX stories_live_latest ON stories(merged_into, last_published DESC, articles DESC, id);
"""),
]


def current_version(conn: sqlite3.Connection) -> int:
    """The highest migration recorded in this database (0 for a new one)."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM migrations").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations this database lacks; returns the versions applied."""
    done = current_version(conn)
    applied = []
    for version, name, sql in MIGRATIONS:
        if version <= done:
            continue
        log.info("applying migration %d: %s", version, name)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
