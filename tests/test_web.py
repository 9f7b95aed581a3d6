"""The web app over a real SQLite store: pages and their JSON twins, adding articles, security."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from rashomon.store import Store
from rashomon.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "lesbos-ferry-grounding"

HOSTILE = {"id": "hostile-1", "outlet": "Evil <b>Outlet</b>", "url": "javascript:alert(1)",
           "title": "<script>window.pwned=1</script>Harbour news",
           "published": "2025-03-06",
           "text": ("The harbour reopened on Thursday <script>window.pwned=1</script> after repairs, officials said. "
                    "<img src=x onerror=\"window.pwned=2\"> Click <a href=\"javascript:window.pwned=3\">here</a> "
                    "or <a href=\"data:text/html,<script>alert(1)</script>\">there</a> for the timetable.")}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from rashomon.workflow import Batch, ingest_into

    path = tmp_path_factory.mktemp("web") / "web.db"
    hostile = path.parent / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with Store(path) as store:
        summary = ingest_into(store, Batch([str(EXAMPLE), str(hostile)]))
    assert summary.added == 4
    return str(path)


@pytest.fixture(scope="module")
def client(store_path):
    app = create_app(store_path, refresh_on_start=False)
    app.state.site.refresh()
    return TestClient(app)


def _story_of_example(client) -> str:
    stories = client.get("/.json").json()["latest"]
    return next(s["id"] for s in stories if s["articles"] == 3)


def test_home_lists_the_stories_with_outlets(client):
    page = client.get("/")
    assert page.status_code == 200 and "Ferry" in page.text and 'href="/.json"' in page.text
    data = client.get("/.json").json()
    assert data["totals"]["articles"] == 4
    story = next(s for s in data["latest"] if s["articles"] == 3)
    assert story["outlet_count"] == 3 and story["per_day"]
    assert client.get("/index.json").json() == data


def test_every_page_has_a_json_twin(client):
    sid = _story_of_example(client)
    story = client.get(f"/stories/{sid}.json").json()
    aid = story["articles"][0]["id"]
    outlet = story["articles"][0]["outlet"]
    for path in (f"/stories/{sid}", f"/articles/{aid}", f"/outlets/{outlet}", "/entities/country:TUR",
                 "/search?q=ferry"):
        html = client.get(path)
        base, _, query = path.partition("?")
        twin = client.get(base + ".json" + (f"?{query}" if query else ""))
        assert html.status_code == twin.status_code == 200, path
        assert html.headers["content-type"].startswith("text/html")
        assert twin.headers["content-type"].startswith("application/json")
        assert f'href="{base}.json' in html.text


def test_story_page_is_the_comparison(client):
    sid = _story_of_example(client)
    data = client.get(f"/stories/{sid}.json").json()
    assert data["comparison"]["schema"] == 1
    facts = data["comparison"]["stories"][0]["facts"]
    assert any(f["status"] == "shared" for f in facts)
    html = client.get(f"/stories/{sid}").text
    assert 'data-sel="' in html and "/static/report.js" in html and "why each joined" in html


def test_search_filters_and_sql_is_just_text(client, store_path):
    assert [a["title"] for a in client.get("/search.json", params={"q": "Lesbos", "outlet": "Meridian Wire"})
            .json()["articles"]] == ["Ferry disaster off Lesbos: 12 hurt as Turkish vessel slams into rocks in storm"]
    assert client.get("/search.json", params={"q": "ferry", "since": "2025-03-05"}).json()["articles"]
    assert not client.get("/search.json", params={"q": "ferry", "until": "2025-03-03"}).json()["articles"]
    assert client.get("/search.json", params={"entity": "country:TUR"}).json()["articles"]
    for hostile in ["'; DROP TABLE articles; --", '" OR 1=1 --', "NEAR(a b", "*", "ferry) OR (1=1"]:
        assert client.get("/search", params={"q": hostile}).status_code == 200
    with Store(store_path) as store:
        assert store.count() == 4


def test_hostile_article_renders_inert(client):
    page = client.get("/articles/hostile-1").text
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "onerror=\"window" not in page and 'href="data:' not in page
    search = client.get("/search", params={"q": "harbour"}).text
    assert "<script>window.pwned" not in search
    headers = client.get("/articles/hostile-1").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_not_found_pages(client):
    assert client.get("/stories/nothing").status_code == 404
    assert client.get("/stories/nothing.json").json()["error"] == "not found"
    assert client.get("/articles/nothing").status_code == 404


def _wait(client, location: str) -> dict:
    for _ in range(600):
        job = client.get(location + ".json").json()
        if job["state"] != "running":
            return job
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_add_pasted_text_and_a_broken_upload(store_path):
    app = create_app(store_path, refresh_on_start=False)
    client = TestClient(app)
    text = ("Skip to content\nMenu\n\nFerry operator fined after Lesbos grounding\n\nBy Ana Reyes | March 9, 2025 "
            "10:00 AM\n\nThe operator of the ferry Cunda Star was fined on Sunday after the grounding off Lesbos "
            "last week, the Greek coast guard said, citing safety breaches found by its divers.\n\nThe captain, "
            "Mehmet Çelik, was not charged, the coast guard added in a statement issued in Mytilene.\n")
    response = client.post("/add", data={"text": text, "outlet": "Harbour Post", "urls": ""},
                           files={"files": ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(256), "text/html")},
                           follow_redirects=False)
    assert response.status_code == 303
    job = _wait(client, response.headers["location"])
    assert job["state"] == "done"
    assert [a["status"] for a in job["articles"]] == ["added"]
    assert job["errors"][0]["input"] == "photo.html" and "PNG" in job["errors"][0]["message"]
    assert "Ferry operator fined" in client.get(f'/articles/{job["articles"][0]["id"]}').text


def test_writes_need_the_token_when_one_is_set(store_path):
    client = TestClient(create_app(store_path, token="s3cret", refresh_on_start=False))
    refused = client.post("/add", data={"text": "Some article text that is long enough to matter here."})
    assert refused.status_code == 403 and "access token" in refused.text
    wrong = client.post("/add", data={"text": "x", "token": "guess"})
    assert wrong.status_code == 403
    ok = client.post("/add", data={"urls": "", "text": "", "token": "s3cret"})
    assert ok.status_code == 400  # accepted as a write, refused only because it is empty


def test_read_only_and_cross_origin_writes_are_refused(store_path):
    read_only = TestClient(create_app(store_path, read_only=True, refresh_on_start=False))
    assert read_only.post("/add", data={"text": "x"}).status_code == 403
    assert "Add articles" not in read_only.get("/").text.split("<main")[0]
    client = TestClient(create_app(store_path, refresh_on_start=False))
    evil = client.post("/add", data={"text": "x"}, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403 and "own pages" in evil.text


def test_read_only_store_shows_a_story_it_cannot_cache(store_path, tmp_path):
    import sqlite3

    copy = tmp_path / "ro.db"
    with sqlite3.connect(store_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as db:
        db.execute("DELETE FROM comparisons")
    read_only = TestClient(create_app(str(copy), read_only=True, refresh_on_start=False))
    sid = _story_of_example(read_only)
    first, again = read_only.get(f"/stories/{sid}"), read_only.get(f"/stories/{sid}.json")
    assert first.status_code == again.status_code == 200
    assert again.json()["comparison"]["schema"] == 1  # computed on the first visit, then kept in memory
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT COUNT(*) FROM comparisons").fetchone()[0] == 0


def test_serve_beyond_loopback_needs_a_token(cli, tmp_path):
    code, _, err = cli("serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0")
    assert code == 2 and "--token" in err
