"""The HTML report in a real browser (Debian's Chromium through Playwright): selection, safety, layout.

`make install` puts Chromium in /usr/bin; these tests skip, saying why, only when it is absent.
Screenshots land in build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from rashomon.render import render

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "build" / "screenshots"
FIXTURES = Path(__file__).parent / "fixtures"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (`make install` installs it as root; "
                "here apt-get could not)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is a test dependency: "
                               "pip install -e '.[test]'")


def load(name: str) -> dict:
    return json.loads((FIXTURES / f"comparison-{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "lesbos.html"
    path.write_text(render(load("lesbos"), "html"), encoding="utf-8")
    return path


class Guard:
    """Records every request and script error of a page; only the report file itself may load."""

    def __init__(self, page, allowed: str) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r):
            self.requests.append(r.request.url)
            if r.request.url == allowed:
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        self.allowed = allowed

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requests if u != self.allowed]


def open_page(browser, path: Path, viewport: dict):
    page = browser.new_page(viewport=viewport, reduced_motion="reduce")  # no smooth scrolling to wait for
    guard = Guard(page, path.as_uri())
    page.goto(path.as_uri())
    return page, guard


def column_state(page, key: str) -> list[dict]:
    """Per article column: passages highlighted for ``key``, whether the first is scrolled into view, status text."""
    return page.evaluate("""key => [...document.querySelectorAll('#s0 .col')].map(col => {
        const body = col.querySelector('.col-body');
        const first = col.querySelector('mark[data-b~="' + key + '"]');
        const b = body.getBoundingClientRect();
        let visible = false;
        if (first) { const r = first.getBoundingClientRect(); visible = r.top >= b.top - 1 && r.bottom <= b.bottom + 1; }
        return {hits: col.querySelectorAll('mark.hit').length, begins: col.querySelectorAll('mark.hit[data-b~="' + key + '"]').length,
                visible, status: col.querySelector('.col-status').textContent,
                bg: first ? getComputedStyle(first).backgroundColor : null};
    })""", key)


def test_click_a_fact_highlights_it_in_every_column(browser, report):
    page, guard = open_page(browser, report, DESKTOP)
    # "The crossing is suspended": the last passage of two of the articles, far down each column
    button = page.locator('.matrix button[data-sel="s0f8"]')
    button.click()
    page.wait_for_timeout(300)
    assert button.get_attribute("aria-pressed") == "true"
    cols = column_state(page, "s0f8")
    assert [c["begins"] for c in cols] == [1, 1, 1]
    assert all(c["visible"] for c in cols), cols
    assert all(c["bg"] == "rgb(255, 226, 122)" for c in cols)
    assert [c["status"] for c in cols] == ["1 passage"] * 3
    label = page.locator("#s0-read .sel-label").inner_text()
    assert "Crossings between Ayvalık and Lesbos are suspended" in label and "in 3 of 3 articles" in label
    # the columns were brought into view
    assert page.evaluate("document.querySelector('#s0-read .columns').getBoundingClientRect().top") < DESKTOP["height"]
    page.screenshot(path=str(SHOTS / "report-desktop-selected.png"))

    # a partial fact: the article that lacks it says so
    page.locator('.matrix button[data-sel="s0f9"]').click()
    cols = column_state(page, "s0f9")
    assert [c["begins"] for c in cols] == [1, 0, 1]
    assert cols[1]["status"] == "Not in this article"
    assert page.locator('.matrix button[data-sel="s0f8"]').get_attribute("aria-pressed") == "false"
    assert guard.foreign == [] and guard.errors == []


def test_keyboard_selects_steps_and_clears(browser, report):
    page, guard = open_page(browser, report, DESKTOP)
    page.locator('.matrix button[data-sel="s0f0"]').focus()
    page.keyboard.press("Enter")
    assert [c["begins"] for c in column_state(page, "s0f0")] == [1, 1, 1]
    assert page.evaluate("document.activeElement.classList.contains('sel-label')")  # focus follows to the columns
    page.keyboard.press("Tab")  # into the toolbar: "Clear" is reachable
    page.locator("#s0-read [data-nav='1']").focus()
    page.keyboard.press("Enter")
    assert sum(c["begins"] for c in column_state(page, "s0f1")) == 3
    page.keyboard.press("j")
    assert sum(c["begins"] for c in column_state(page, "s0f2")) == 3
    page.keyboard.press("Escape")
    assert page.locator("#s0 mark.hit").count() == 0
    assert page.locator("#s0 [aria-pressed=true]").count() == 0
    # the "Back to list" link returns to the button that made the selection
    page.locator('#s0-omissions button[data-sel="s0f9"]').click()
    page.locator("#s0-read .back").click()
    assert page.evaluate("document.activeElement.getAttribute('data-sel')") == "s0f9"
    assert guard.foreign == [] and guard.errors == []


def test_click_a_passage_selects_its_fact_and_other_selections(browser, report):
    page, guard = open_page(browser, report, DESKTOP)
    page.locator("#s0 .col").nth(1).locator("mark[data-b~='s0f19']").click()  # "The rescue took about two hours."
    assert page.locator('.matrix button[data-sel="s0f19"]').get_attribute("aria-pressed") == "true"
    assert [c["status"] for c in column_state(page, "s0f19")] == ["Not in this article", "1 passage", "Not in this article"]
    for key, expected in (("s0c0", [1, 1, 1]), ("s0c1", [1, 0, 1]), ("s0r2", [1, 1, 1])):
        page.locator(f'button[data-sel="{key}"]').click()
        assert [c["begins"] for c in column_state(page, key)] == expected, key
    page.locator('#s0-timeline button[data-sel="s0t6"]').click()  # the grounding, dated by all three
    assert [c["begins"] for c in column_state(page, "s0t6")] == [1, 1, 1]
    assert page.locator('#s0-timeline .wide g.row.hit').count() == 1  # the wide chart (the phone one is hidden)
    assert guard.foreign == [] and guard.errors == []


def test_injected_markup_stays_inert(browser, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(render(load("hostile"), "html"), encoding="utf-8")
    page, guard = open_page(browser, path, DESKTOP)
    page.wait_for_timeout(300)
    for button in page.locator("button[data-sel], button[data-nav]").all():
        if button.is_visible():
            button.click()
    for mark in page.locator("mark").all()[:15]:
        mark.hover()
    page.mouse.click(5, 5)
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, link, math, style').length") == 1  # our style
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                         ".some(a => a.name.startsWith('on'))).length") == 0
    assert page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                         ".filter(h => !h.startsWith('#'))") == []
    text = page.locator("#s0 .col").first.inner_text()
    assert "<script>window.pwned=1</script>" in text and 'href="javascript:window.pwned=3"' in text
    assert guard.dialogs == []
    assert guard.foreign == [], guard.foreign
    page.screenshot(path=str(SHOTS / "hostile-desktop.png"), full_page=True)


def test_a_link_cannot_fetch_anything_on_its_own(browser, tmp_path):
    """The https link of an article is a plain link: nothing is loaded until a person follows it."""
    data = load("lesbos")
    path = tmp_path / "r.html"
    path.write_text(render(data, "html"), encoding="utf-8")
    page, guard = open_page(browser, path, DESKTOP)
    page.wait_for_timeout(500)
    assert page.locator(".outlets a[href^='https://']").count() == 2
    assert guard.foreign == []


def test_screenshots_desktop_phone_and_print(browser, report):
    page, guard = open_page(browser, report, DESKTOP)
    page.screenshot(path=str(SHOTS / "report-desktop.png"))
    page.screenshot(path=str(SHOTS / "report-desktop-full.png"), full_page=True)
    width = page.evaluate("getComputedStyle(document.querySelector('#s0 .col')).width")
    assert float(width[:-2]) > 300  # three columns side by side

    phone, guard2 = open_page(browser, report, PHONE)
    phone.screenshot(path=str(SHOTS / "report-phone.png"))
    phone.screenshot(path=str(SHOTS / "report-phone-full.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out sideways
    boxes = phone.evaluate("[...document.querySelectorAll('#s0 .col')].map(c => c.getBoundingClientRect().top)")
    assert boxes == sorted(boxes) and len(set(boxes)) == 3  # the columns are stacked
    phone.locator('.matrix button[data-sel="s0f2"]').click()
    phone.wait_for_timeout(400)
    phone.screenshot(path=str(SHOTS / "report-phone-selected.png"))
    assert [c["begins"] for c in column_state(phone, "s0f2")] == [1, 1, 1]

    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('#s0-read .toolbar')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('#s0 .col-body')).maxHeight") == "none"
    page.screenshot(path=str(SHOTS / "report-print.png"), full_page=True)
    assert guard.foreign == [] and guard2.foreign == []


def test_several_stories_and_a_story_without_texts(browser, tmp_path):
    data = load("lesbos")
    second = copy.deepcopy(data["stories"][0])
    second["id"], second["title"] = "no-texts", "The same story without article texts"
    for a in second["articles"]:
        a.pop("text")
    data["stories"].append(second)
    path = tmp_path / "two.html"
    path.write_text(render(data, "html"), encoding="utf-8")
    page, guard = open_page(browser, path, DESKTOP)
    assert page.locator(".toc li").count() == 2
    page.locator(".toc a").nth(1).click()
    page.locator('#s1 .matrix button[data-sel="s1f2"]').click()
    assert page.locator('#s1 .passage.hit').count() == 1
    page.wait_for_timeout(600)
    box = page.locator('#s1 .passage.hit').bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= DESKTOP["height"]  # brought into view
    assert page.locator('#s0 .hit').count() == 0  # selections are per story
    page.screenshot(path=str(SHOTS / "two-stories-passages.png"))
    assert guard.foreign == [] and guard.errors == []
