"""Stories in the store: ``ingest`` assigns them, ``stories`` lists them, ``show`` explains them."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUAKE = ("A magnitude 6.1 earthquake struck the coastal province of Veloria early on Monday, collapsing dozens of "
         "homes in the port town of Karsel and killing at least eleven people, the regional governor said. Rescue "
         "teams from the national disaster agency worked through the night to reach families trapped under rubble.")
QUAKE_REWRITE = ("At least eleven people died when a 6.1-magnitude quake hit Veloria province on Monday, officials said, "
                 "as rescuers in Karsel searched collapsed houses for survivors. The governor of Veloria said the "
                 "national disaster agency had sent teams and heavy equipment to the port town overnight.")
BUDGET = ("The parliament of Ostrava approved next year's budget on Tuesday after a twelve-hour debate, raising "
          "pensions by four percent and cutting the fuel subsidy that the finance minister called unaffordable. "
          "Opposition deputies walked out before the final vote.")


def records(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_ingest_assigns_stories_and_show_explains(cli, tmp_path):
    first = records(tmp_path / "day1.jsonl", [
        {"id": "q1", "outlet": "Coast Herald", "published": "2025-03-03T08:00:00", "title": "Quake kills 11 in Veloria",
         "text": QUAKE},
        {"id": "q2", "outlet": "Wire Service", "published": "2025-03-03T10:00:00",
         "title": "Veloria earthquake: eleven dead in Karsel", "text": QUAKE_REWRITE},
        {"id": "copy", "outlet": "Second Wire", "published": "2025-03-03T11:00:00",
         "title": "Quake kills 11 in Veloria", "text": QUAKE},
    ])
    code, out, err = cli("ingest", "--format", "jsonl", first)
    assert code == 0, err
    db = sqlite3.connect(tmp_path / "test.db")
    stories = dict(db.execute("SELECT article_id, story_id FROM story_articles"))
    assert set(stories) == {"q1", "q2"}  # the identical copy is stored once
    assert stories["q1"] == stories["q2"]
    story = stories["q1"]

    # an unrelated article later does not move the earthquake story
    code, _, err = cli("ingest", records(tmp_path / "day2.jsonl", [
        {"id": "b1", "outlet": "Capital Times", "published": "2025-03-04T09:00:00", "title": "Budget passes",
         "text": BUDGET}]))
    assert code == 0, err
    stories = dict(db.execute("SELECT article_id, story_id FROM story_articles"))
    assert stories["q1"] == stories["q2"] == story and stories["b1"] != story
    db.close()

    code, out, _ = cli("stories", "--format", "jsonl")
    listed = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert listed[story]["articles"] == 2
    assert set(listed[story]["outlets"]) == {"Coast Herald", "Wire Service", "Second Wire"}
    code, out, _ = cli("stories", "--search", "parliament budget", "--format", "jsonl")
    assert [r["id"] for r in map(json.loads, out.splitlines())] == [stories["b1"]]
    code, out, _ = cli("stories", "--since", "2025-03-04", "--format", "jsonl")
    assert [r["id"] for r in map(json.loads, out.splitlines())] == [stories["b1"]]

    code, out, _ = cli("show", story)
    assert code == 0
    assert "q1" in out and "q2" in out and "joined" in out and "Second Wire" in out
    code, out, _ = cli("show", story, "--format", "json")
    shown = json.loads(out)
    joined = [a for a in shown["articles"] if a["reasons"].get("decision") == "join"]
    assert len(joined) == 1 and joined[0]["reasons"]["pairs"][0]["cos"] > 0.5
    code, out, _ = cli("show", "q1")  # an article id still shows the article
    assert code == 0 and QUAKE[:40] in out

    # the story's comparison report, as `compare` writes it, computed once and cached in the store
    report = tmp_path / "story.html"
    code, _, err = cli("show", story, "--format", "html", "-o", str(report))
    assert code == 0, err
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert "Coast Herald" in page and "Wire Service" in page and "Karsel" in page
    code, out, _ = cli("show", story[:8], "--format", "md")
    assert code == 0 and out.startswith("# ") and "| Coast Herald |" in out
    db = sqlite3.connect(tmp_path / "test.db")
    assert db.execute("SELECT COUNT(*) FROM comparisons WHERE story_id = ?", (story,)).fetchone()[0] == 1
    db.close()
    code, _, err = cli("show", "q1", "--format", "html")
    assert code == 2 and "is an article" in err


def test_reingest_is_stable_and_index_reloads_from_the_store(cli, tmp_path):
    day1 = records(tmp_path / "a.jsonl", [{"id": "q1", "outlet": "Coast Herald", "published": "2025-03-03",
                                           "title": "Quake kills 11", "text": QUAKE}])
    day2 = records(tmp_path / "b.jsonl", [{"id": "q2", "outlet": "Wire Service", "published": "2025-03-04",
                                           "title": "Veloria earthquake", "text": QUAKE_REWRITE}])
    assert cli("ingest", day1)[0] == 0
    assert cli("ingest", day2)[0] == 0  # a new process: the index is rebuilt from stored features
    assert cli("ingest", day1, day2)[0] == 0  # already stored: nothing moves
    db = sqlite3.connect(tmp_path / "test.db")
    rows = dict(db.execute("SELECT article_id, story_id FROM story_articles"))
    assert rows["q1"] == rows["q2"]
    assert db.execute("SELECT COUNT(*) FROM cluster_features").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND articles > 0").fetchone()[0] == 1
    db.close()
