"""The SQLite store: migrations, one write path, deduplication, merge, full-text search, crash safety."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from rashomon.errors import StoreError
from rashomon.models import Article
from rashomon.store import Store, StoreTemplateMemory
from rashomon.store.migrations import MIGRATIONS

BODY = ("The harbour of Port Evran reopened on Monday after a three-day closure caused by the storm, "
        "the port authority said. Ships that had waited offshore began entering the port at dawn. "
        "Repairs to the northern breakwater will take several months and cost four million euros.")


def art(text=BODY, **kw) -> Article:
    kw.setdefault("source", "test")
    return Article(id=kw.pop("id", ""), text=text, **kw)


def test_new_store_is_migrated_and_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.db") as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM migrations")]
        assert versions == [m[0] for m in MIGRATIONS]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "s.db") as store:  # reopening applies nothing twice
        assert store.conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(path)


def test_same_article_twice_is_stored_once_with_both_sources(tmp_path):
    with Store(tmp_path / "s.db") as store:
        [first] = store.write([art(source="a.html", title="Harbour reopens")])
        [second] = store.write([art(text=BODY.upper().replace(".", " ."), source="b.txt")])
        assert (first.status, second.status) == ("added", "duplicate")
        assert second.id == first.id and store.count() == 1
        assert store.sources(first.id) == ["a.html", "b.txt"]


def test_near_identical_body_with_same_title_is_a_duplicate(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write([art(title="Harbour reopens after storm", source="page.html")])
        [result] = store.write([art(text=BODY + " Photo: Port authority", title="Harbour reopens after storm",
                                    source="copied.txt", authors=["Ana Reyes"], published="2025-03-04")])
        assert result.status == "duplicate" and store.count() == 1
        stored = store.get(result.id)
        assert stored.authors == ["Ana Reyes"] and stored.published == "2025-03-04"  # filled, not overwritten
        assert stored.text == BODY


def test_different_article_with_the_same_title_is_kept(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write([art(title="Live updates: the storm")])
        [result] = store.write([art(text="Wind speeds reached 120 km/h overnight on the northern coast, "
                                         "and ferries stayed in port.", title="Live updates: the storm")])
        assert result.status == "added" and store.count() == 2


def test_duplicate_never_overwrites_stored_metadata(tmp_path):
    with Store(tmp_path / "s.db") as store:
        [r] = store.write([art(title="Original title", outlet="The Harbor Ledger")])
        store.write([art(title="Other title", outlet="Elsewhere")])
        stored = store.get(r.id)
        assert (stored.title, stored.outlet) == ("Original title", "The Harbor Ledger")


def test_given_id_is_kept_and_a_clash_gets_the_content_key(tmp_path):
    with Store(tmp_path / "s.db") as store:
        [a] = store.write([art(id="story-1")])
        [b] = store.write([art(id="story-1", text="A completely different body about the elections in spring.")])
        assert a.id == "story-1" and b.status == "added" and b.id != "story-1"


def test_search_is_full_text_and_treats_input_as_text(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write([art(title="Harbour reopens", outlet="The Harbor Ledger"),
                     art(text="Elections in Evran: the mayor wins a second term.", title="Mayor re-elected",
                         outlet="Evran Daily")])
        assert [a.title for a in store.search("breakwater")] == ["Harbour reopens"]
        assert [a.title for a in store.search("mayor", outlet="evran daily")] == ["Mayor re-elected"]
        for hostile in ['"; DROP TABLE articles; --', "NEAR(a b)", "title:*", "' OR 1=1", "AND OR NOT"]:
            assert list(store.search(hostile)) == []
        assert store.count() == 2


def test_search_folds_accents(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write([art(text="President Erdoğan met the delegation in Ankara on Tuesday.", title="Talks")])
        assert len(list(store.search("erdogan"))) == 1


def test_get_by_unique_prefix(tmp_path):
    with Store(tmp_path / "s.db") as store:
        [r] = store.write([art()])
        assert store.get(r.id[:8]).id == r.id
        assert store.get("zzzzzzzz") is None


def test_failed_batch_is_rolled_back_whole(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.write([art(title="kept")])
        bad = art(text="Another article entirely, about wind farms off the coast.")
        bad.authors = object()  # not JSON-serialisable: fails inside the transaction
        with pytest.raises(TypeError):
            store.write([art(text="A third article, about rail strikes in the north."), bad])
        assert store.count() == 1


def test_template_memory_persists_and_counts_a_page_once(tmp_path):
    menu = ["Home", "World", "Sign in", "Subscribe to our newsletter"]
    with Store(tmp_path / "s.db") as store:
        memory = StoreTemplateMemory(store.conn)
        for word in ("alpha", "beta", "gamma", "delta"):
            memory.observe("ledger.example", menu + [f"Body line of page {word} with its own words"])
        memory.observe("ledger.example", menu + ["Body line of page alpha with its own words"])  # seen before
        store.write([], templates=memory)
    with Store(tmp_path / "s.db") as store:
        memory = StoreTemplateMemory(store.conn)
        assert memory.pages("ledger.example") == 4
        assert memory.line_share("ledger.example", "Sign in") == 1.0
        assert memory.line_share("ledger.example", "Body line of page beta with its own words") == 0.25
        assert memory.line_share("other.example", "Sign in") == 0.0


def test_sigkill_during_ingest_loses_nothing_committed_and_rerun_completes(tmp_path):
    records = tmp_path / "batch.jsonl"
    with open(records, "w") as fh:
        for i in range(4000):
            fh.write(json.dumps({"id": f"a{i}", "title": f"Report number {i}", "published": "2025-03-04",
                                 "text": f"Report {i}: the council met on Monday and approved budget line {i} "
                                         f"for the harbour district after a long debate."}) + "\n")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "rashomon.cli", "ingest", "--db", str(db), str(records)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                committed = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if committed >= 100:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the batch bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        survived = store.count()
        assert 100 <= survived < 4000
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    with Store(db) as store:
        assert store.count() == 4000
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        assert len(set(ids)) == 4000 and set(ids) == {f"a{i}" for i in range(4000)}
        assert store.conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == 4000
