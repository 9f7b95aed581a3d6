"""The web app end to end in a real browser (Debian's Chromium through Playwright) against a real
uvicorn server on loopback: home, search, a story's fact highlighting, adding an article."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "lesbos-ferry-grounding"
SHOTS = REPO / "build" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (`make install` installs it as root)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is a test dependency")

NEW_ARTICLE = """Skip to content
Harbour Post
News
Islands

Ferry Cunda Star towed off Lesbos shoal after grounding that injured passengers

By Ana Reyes | March 5, 2025 6:30 PM

The Turkish passenger ferry Cunda Star, which ran aground on rocks outside Mytilene harbour on the Greek island of Lesbos on Tuesday, was towed off the shoal on Wednesday, the Greek coast guard said.

The ferry from Ayvalık, operated by Ege Mavi Lines, struck the shoal in strong winds on Tuesday morning with 212 passengers on board; several people were injured and nobody was killed, officials on both sides of the Aegean said.

Sailings between Ayvalık and Lesbos remain suspended while Greek and Turkish investigators examine the ship and question its captain, Mehmet Çelik.

Subscribe to our newsletter
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from rashomon.store import Store
    from rashomon.web.app import create_app
    from rashomon.workflow import Batch, ingest_into

    db = tmp_path_factory.mktemp("webe2e") / "e2e.db"
    with Store(db) as store:
        ingest_into(store, Batch([str(EXAMPLE)]))
    app = create_app(str(db), refresh_on_start=True)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
        foreign, errors = [], []
        pg.on("request", lambda r: None if r.url.startswith(server) else foreign.append(r.url))
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.foreign, pg.errors = foreign, errors
        yield pg
        browser.close()


def test_home_search_story_and_fact_highlighting(server, page):
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text() == "Stories"
    page.fill("#q", "Lesbos ferry")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".list li").count() >= 3
    page.screenshot(path=str(SHOTS / "web-search.png"))
    page.locator(".two section").nth(1).locator("a.title").first.click()
    page.wait_for_url("**/stories/*")
    shared = page.locator('.matrix button[data-sel]').first
    key = shared.get_attribute("data-sel")
    shared.click()
    assert shared.get_attribute("aria-pressed") == "true"
    hits = page.evaluate("""key => [...document.querySelectorAll('.col')].map(
        col => col.querySelectorAll('mark.hit[data-b~="' + key + '"]').length)""", key)
    assert len(hits) == 3 and all(h >= 1 for h in hits), hits  # highlighted in every column
    page.screenshot(path=str(SHOTS / "web-story.png"))
    assert not page.foreign and not page.errors


def test_add_an_article_and_see_it_in_its_story(server, page):
    page.goto(server + "/add")
    page.fill("textarea[name=text]", NEW_ARTICLE)
    page.fill("input[name=outlet]", "Harbour Post")
    page.click("form.add button[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("text=Done.", timeout=120_000)
    assert page.locator(".errors li").count() == 0
    page.locator("main li a[href^=\"/stories/\"]").first.click()
    page.wait_for_url("**/stories/*")
    outlets = page.locator(".outlets .name").all_inner_texts()
    assert "Harbour Post" in outlets and len(outlets) == 4
    page.screenshot(path=str(SHOTS / "web-story-after-add.png"))
    assert not page.foreign and not page.errors
