"""Renderers of a comparison: HTML structure and escaping, Markdown, JSON, the data reader, TimeML ranges."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rashomon.render import RenderError, render
from rashomon.render import _model, _timeml
from rashomon.render import html as html_render
from rashomon.render import markdown as md_render

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / f"comparison-{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lesbos() -> dict:
    return load("lesbos")


@pytest.fixture(scope="module")
def hostile() -> dict:
    return load("hostile")


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each article column."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.columns: list[list[str]] = []
        self._depth = 0  # inside a .col-body: element depth
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._depth:
            self._depth += 1
            if tag == "p" and self.columns[-1]:
                self.columns[-1].append("\n\n")
        elif "col-body" in (a.get("class") or "").split():
            self._depth = 1
            self.columns.append([])
        self._script = tag == "script"

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
        self._script = False

    def handle_data(self, data):
        if self._depth:
            self.columns[-1].append(data)
        if self._script:
            self.scripts.append(data)


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    return p


# ------------------------------------------------------------------------------------------ fixtures


def test_fixture_offsets_point_at_the_exact_words(lesbos):
    story = lesbos["stories"][0]
    texts = {a["id"]: a["text"] for a in story["articles"]}
    spans = [m for f in story["facts"] for m in f["mentions"]]
    spans += [v for c in story["conflicts"] for v in c["values"]]
    spans += [m for s in story["sources"] for m in s["mentions"]]
    spans += [m for t in story["timeline"] for m in t["mentions"]]
    assert len(spans) > 80
    for m in spans:
        assert texts[m["article"]][m["start"]:m["end"]] == m["text"]


# ------------------------------------------------------------------------------------------ HTML


def test_html_is_self_contained_with_a_strict_csp(lesbos):
    page = render(lesbos, "html")
    assert page.startswith("<!DOCTYPE html>")
    p = parse(page)
    csp = next(a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "base-uri 'none'" in csp and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    for body in (style, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # nothing that could load: no src, no stylesheet links, no url() or @import in the CSS, no web fonts
    assert not [a for t, a in p.tags if "src" in a or t in ("link", "img", "iframe", "object", "embed")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert sum(1 for t, _ in p.tags if t == "script") == 1
    assert sum(1 for t, _ in p.tags if t == "style") == 1


def test_html_shows_every_section(lesbos):
    page = render(lesbos, "html")
    for section in ("coverage", "read", "omissions", "conflicts", "framing", "sources", "timeline"):
        assert f'id="s0-{section}"' in page
    for outlet in ("The Aegean Lantern", "Meridian Wire", "The Ionian Clarion"):
        assert outlet in page
    assert "Elif Karataş, Jonas Whitfield" in page
    assert "number of people injured" in page and "a crew of 11" in page
    assert "violent storm" in page and "Nikolaos Stamatiou" in page
    assert "<svg" in page and "week 9 of 2025" in page
    # the article without a URL is not a link; the others are
    p = parse(page)
    hrefs = [a["href"] for t, a in p.tags if t == "a" and not a["href"].startswith("#")]
    assert sorted(hrefs) == sorted(a["url"] for a in lesbos["stories"][0]["articles"] if a["url"])


def test_columns_hold_each_article_text_exactly(lesbos):
    p = parse(render(lesbos, "html"))
    articles = lesbos["stories"][0]["articles"]
    assert len(p.columns) == len(articles)
    for col, art in zip(p.columns, articles):
        assert "".join(col) == re.sub(r"\n[ \t]*\n\s*", "\n\n", art["text"]).strip()


def test_every_fact_mention_is_marked_in_its_column(lesbos):
    page = render(lesbos, "html")
    story = lesbos["stories"][0]
    for i, fact in enumerate(story["facts"]):
        key = f"s0f{i}"
        begins = re.findall(r'<mark [^>]*data-b="[^"]*\b' + key + r'\b', page)
        assert len(begins) == len(fact["mentions"]), fact["id"]
        marked = "".join(unescape(t) for t in re.findall(r'<mark [^>]*data-k="[^"]*\b' + key + r'\b[^"]*"[^>]*>([^<]*)</mark>', page))
        for m in fact["mentions"]:
            assert m["text"].replace("\n\n", "") in marked


def test_selection_keys_are_internal_never_data(hostile):
    tags = parse(render(hostile, "html")).tags
    keys = [a[n] for _, a in tags for n in ("data-k", "data-b", "data-sel") if n in a]
    assert len(keys) > 20
    for group in keys:
        for key in group.split():
            assert re.fullmatch(r"s\d+[a-z]\d+", key), key


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "a", "header", "div", "span", "small", "main", "nav", "h2",
                "h3", "h4", "ol", "ul", "li", "p", "section", "b", "button", "table", "caption", "thead", "tbody",
                "tfoot", "tr", "th", "td", "abbr", "article", "mark", "q", "blockquote", "svg", "rect", "path", "circle",
                "line", "text", "tspan", "g", "kbd", "title", "desc", "footer", "script"}


def test_hostile_text_is_escaped_everywhere(hostile):
    page = render(hostile, "html")
    p = parse(page)
    assert {t for t, _ in p.tags} <= ALLOWED_TAGS
    assert len(p.scripts) == 1 and "pwned" not in p.scripts[0]
    for tag, attrs in p.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower() or name in ("data-label", "title", "aria-label"), (tag, name)
        if "href" in attrs:
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs["href"]
    # only the well-formed https URL is a link; javascript:, data:, protocol-relative and quoted ones are not
    assert [a["href"] for t, a in p.tags if t == "a" and not a["href"].startswith("#")] == []
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;" in page
    assert "&lt;b onmouseover=window.pwned=12&gt;Evil Outlet&lt;/b&gt;" in page
    assert "&lt;/title&gt;&lt;script&gt;window.pwned=11&lt;/script&gt;" in page
    assert "<title>&lt;/title&gt;" not in page  # multi-story page title is generic
    assert "&lt;/p&gt;&lt;/div&gt;&lt;/section&gt;&lt;/main&gt;" in page
    # the text of the hostile article survives character for character
    col = "".join(p.columns[0])
    assert "<script>window.pwned=1</script>" in col and '<a href="javascript:window.pwned=3">this link</a>' in col


def test_hostile_data_of_the_wrong_shape_still_renders(hostile):
    stories = _model.read(hostile)
    assert len(stories) == 2
    s = stories[0]
    broken = next(f for f in s.facts if f.text == "Broken offsets")
    # offsets outside the text, reversed, non-numeric or with words not in the text are dropped;
    # words that are in the text are re-found ("Evran" was given at 0..4)
    b_text = s.articles[1].text
    assert [(m.start, m.end, m.text) for m in broken.mentions if m.article == s.articles[1].id] == [
        (b_text.index("Evran"), b_text.index("Evran") + 5, "Evran")]
    assert s.facts[1].status == "unique"  # "<script>" is no status: derived from one article
    assert s.sources[0].direct == 3 and s.sources[0].indirect == 0
    assert [t.range is None for t in s.timeline] == [False, False, True, True, True, True]
    assert "ghost<script>" in s.omissions and "a3" in s.omissions
    assert stories[1].title == "Untitled story"
    page = render(hostile, "html")
    assert page.count('class="story"') == 2 and 'class="toc"' in page


def test_render_is_a_pure_function(lesbos):
    before = copy.deepcopy(lesbos)
    assert render(lesbos, "html") == render(lesbos, "html")
    assert render(lesbos, "md") == render(lesbos, "md")
    assert lesbos == before


def test_without_texts_the_passages_are_quoted(lesbos):
    data = copy.deepcopy(lesbos)
    for a in data["stories"][0]["articles"]:
        del a["text"]
    page = render(data, "html")
    assert 'class="columns"' not in page and 'class="passages"' in page
    assert "<q>injuring at least 14 people</q>" in page
    assert 'data-k="s0f2"' in page


def test_minimal_story_without_extras():
    data = {"schema": 1, "stories": [{"id": "x", "title": "T", "articles": [{"id": "a", "outlet": "A", "title": "t",
                                                                                 "published": None, "url": None}],
                                      "facts": [], "omissions": {}, "conflicts": [], "framing": [], "sources": [],
                                      "timeline": []}]}
    page = render(data, "html")
    assert "No facts were aligned" in page and "No conflicting claims" in page and "No dated events" in page
    assert "# T" in render(data, "md")


def test_empty_and_invalid_inputs():
    assert "holds no stories" in render({"schema": 1, "stories": []}, "html")
    with pytest.raises(RenderError, match="schema"):
        render({"schema": 2, "stories": []}, "html")
    with pytest.raises(RenderError):
        render(["not", "a", "dict"], "md")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format"):
        render({"schema": 1, "stories": []}, "pdf")


def test_lone_surrogates_and_controls_do_not_break_output():
    text = "Bad \ud800 char and \x00 nul \x1b esc."
    data = {"schema": 1, "stories": [{"id": "x", "title": "T\ud800", "articles": [{"id": "a", "outlet": "A", "text": text}],
                                      "facts": [{"id": "f", "text": "f", "status": "unique", "articles": ["a"],
                                                 "mentions": [{"article": "a", "start": 9, "end": 13, "text": "char"}]}]}]}
    for fmt in ("html", "md"):
        out = render(data, fmt)
        out.encode("utf-8")  # no lone surrogates left
        assert "\x00" not in out and "\x1b" not in out
    assert "<mark" in render(data, "html")


def test_timeline_draws_coarse_dates_as_ranges(lesbos):
    page = render(lesbos, "html")
    svg = re.search(r"<svg viewBox=\"0 0 960 \d+\".*?</svg>", page, re.S).group(0)
    rows = re.findall(r'<g class="row" data-k="(s0t\d+)">(.*?)</g>', svg, re.S)
    assert len(rows) == 12
    widths = {}
    for key, body in rows:
        bar = re.search(r'<rect class="(bar-\w+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', body)
        widths[key] = (bar.group(1), float(bar.group(2))) if bar else ("point", 0.0)
    story = _model.read(lesbos)[0]
    kinds = {t.value: widths[f"s0t{t.index}"] for t in story.timeline}
    assert kinds["2025-03-04T10:00"][0] == "point"
    assert kinds["2025-03-04"][0] == "bar-day" and kinds["2025-02"][0] == "bar-coarse"
    assert kinds["2025"][1] > kinds["2025-W09"][1] > kinds["2025-03-04"][1]
    assert "≈ 5 yr" in svg  # the gap from 2019 is cut and marked


def test_timeml_ranges():
    r = _timeml.parse("2025-02", "MID")
    assert (r.start.day, r.end.day, r.label) == (10, 19, "mid-Feb 2025") and r.coarse
    w = _timeml.parse("2025-W09")
    assert (w.start.isoformat(), w.end.isoformat()) == ("2025-02-24T00:00:00", "2025-03-03T00:00:00")
    assert _timeml.parse("2025-03-04TEV").label == "4 Mar 2025, evening"
    assert _timeml.parse("2025-03-04T10:20").point
    assert _timeml.parse("2025-WI").end.isoformat() == "2026-03-01T00:00:00"
    assert _timeml.parse("2025-Q2").start.month == 4
    for bad in ("PRESENT_REF", "P18M", "XXXX-03", "2024-13-45", "2024-02-30", "", None, 2025):
        assert _timeml.parse(bad) is None
    assert _timeml.human_published("2025-03-04T15:40:00+02:00") == "4 Mar 2025, 15:40"
    assert _timeml.human_published("yesterday") == "yesterday"


def test_safe_url():
    ok = ["https://www.example.org/a?b=1#c", "http://x.example/"]
    bad = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "//x.example/a", "ftp://x/", "https://",
           'https://x.example/"><script>', "https://x.example/a b", "vbscript:x", None, 5]
    assert [_model.safe_url(u) for u in ok] == ok
    assert [_model.safe_url(u) for u in bad] == [None] * len(bad)


def test_escape_helper():
    assert html_render.e('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"
    assert html_render.e(None) == "" and html_render.e(3.0) == "3"


# ------------------------------------------------------------------------------------------ Markdown


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_markdown_carries_the_same_content(lesbos):
    out = render(lesbos, "md")
    assert out.startswith("# Ferry Cunda Star runs aground off Lesbos\n")
    for heading in ("## Outlets", "## Coverage", "## Facts and passages", "## Omissions", "## Conflicts",
                    "## Framing", "## Sources", "## Timeline"):
        assert f"\n{heading}\n" in out
    assert "> “Twelve people were injured” — *Meridian Wire*" in out
    assert "| The Aegean Lantern | **14** | “at least 14” |" in out
    assert "[Ferry from Ayvalık runs aground off Lesbos, at least 14 injured](<https://www.aegeanlantern.example/" in out
    assert "violent storm **(loaded)**" in out
    assert "- **Sep 2019** — A Maltese-flagged ship runs aground on the same shoal — “In September 2019” " in out
    # tables are well formed: every row of a table has as many cells as its header
    table: list[str] = []
    for line in out.splitlines() + [""]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            assert len({_cells(x) for x in table}) == 1, table[0]
            table = []


def test_markdown_escapes_hostile_text(hostile):
    out = render(hostile, "md")
    outside_code = re.sub(r"`[^`]*`", "", out)
    assert not re.search(r"(?<!\\)<(?!https?://)", outside_code)  # no raw HTML outside code spans and <url> links
    assert "](javascript" not in out.replace("\\](javascript", "")
    assert not re.search(r"\]\(<(?!https?://)", out)
    assert "\\<script\\>window.pwned=1\\</script\\>" in out
    assert "the mayor \\| \\[x\\](javascript:alert(1))" in out
    for line in out.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_markdown_inline_escape():
    assert md_render.md("1. not a list") == "1\\. not a list"
    assert md_render.md("a\n\nb  c") == "a b c"
    assert md_render.md("*x* _y_ [z](u) <b> | &amp;") == "\\*x\\* \\_y\\_ \\[z\\](u) \\<b\\> \\| \\&amp;"


# ------------------------------------------------------------------------------------------ JSON


def test_json_round_trips(lesbos):
    assert json.loads(render(lesbos, "json")) == lesbos
    assert "Karataş" in render(lesbos, "json")
