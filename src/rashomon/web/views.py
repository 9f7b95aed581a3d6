"""HTML of the web app's pages, from the dicts of ``web.data`` (the same dicts the JSON twins return).

Every value from the store is escaped; links are built from ids with ``quote``; only http(s) URLs
of articles become outbound links. Story pages reuse the report's sections
(``render.html.story_sections``) with its stylesheet and script served as files. Pages work without
JavaScript; the script only adds the report's fact highlighting and the add form's progress.
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable
from urllib.parse import quote, urlencode

from rashomon.render._model import safe_url
from rashomon.web.data import marked_snippet


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _q(value: str) -> str:
    return quote(value, safe="")


def layout(title: str, body: str, *, json_href: str | None, query: str = "", writable: bool = True,
           refresh: int | None = None) -> str:
    """A whole page: header with search, the body, a footer linking the page's JSON twin."""
    add = '<a href="/add">Add articles</a>' if writable else ""
    meta_refresh = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    json_link = f'<a href="{e(json_href)}">This page as JSON</a>' if json_href else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">{meta_refresh}
<title>{e(title)} · rashomon</title>
<link rel="stylesheet" href="/static/report.css"><link rel="stylesheet" href="/static/app.css">
</head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="app-head"><div class="inner">
<a class="brand" href="/">rashomon<small>how each outlet tells the story</small></a>
<form class="search" action="/search" method="get" role="search">
<label class="sr-only" for="q">Search articles and stories</label>
<input id="q" name="q" type="search" value="{e(query)}" placeholder="Search articles and stories">
<button type="submit">Search</button></form>
<nav aria-label="Site"><a href="/">Stories</a> <a href="/search">Search</a> {add}</nav>
</div></header>
<main id="main" class="app-main">
{body}
</main>
<footer class="page-foot"><p>{json_link}</p></footer>
<script src="/static/report.js"></script><script src="/static/app.js"></script>
</body></html>
"""


def _sparkline(per_day: list) -> str:
    """Articles per day as a small inline SVG bar chart."""
    if not per_day:
        return ""
    counts = [n for _, n in per_day][-30:]
    top = max(counts) or 1
    width = 4 * len(counts)
    bars = "".join(f'<rect x="{4 * i}" y="{16 - 16 * n / top:.1f}" width="3" height="{16 * n / top:.1f}"></rect>'
                   for i, n in enumerate(counts))
    label = ", ".join(f"{d}: {n}" for d, n in per_day[-30:])
    return (f'<svg class="spark" width="{width}" height="16" viewBox="0 0 {width} 16" role="img" '
            f'aria-label="articles per day: {e(label)}">{bars}</svg>')


def story_list(items: Iterable[dict], empty: str = "No stories yet.") -> str:
    rows = []
    for s in items:
        outlets = ", ".join(s.get("outlets") or [])
        dates = (s.get("first_published") or "")[:10]
        last = (s.get("last_published") or "")[:10]
        if last and last != dates:
            dates += f" – {last}"
        rows.append(f'<li><a class="title" href="/stories/{_q(s["id"])}">{e(s.get("title") or "(untitled story)")}</a>'
                    f'<span class="meta">{e(s.get("articles"))} articles · {e(s.get("outlet_count", len(s.get("outlets") or [])))} '
                    f'outlets · {e(dates)}</span> {_sparkline(s.get("per_day") or [])}'
                    f'<span class="outlets">{e(outlets)}</span></li>')
    return '<ol class="list">' + "".join(rows) + "</ol>" if rows else f'<p class="empty">{e(empty)}</p>'


def home(d: dict) -> str:
    t = d["totals"]
    if not t["articles"]:
        return ('<h1>No articles yet</h1><p>Add articles with <a href="/add">the form</a> or '
                '<code>rashomon ingest FILES…</code>, then come back.</p>')
    return (f'<h1>Stories</h1><p class="summary">{t["articles"]} articles from {t["outlets"]} outlets in '
            f'{t["stories"]} stories.</p>'
            f'<div class="two"><section><h2>Latest</h2>{story_list(d["latest"])}</section>'
            f'<section><h2>Biggest this week</h2>{story_list(d["biggest"])}</section></div>')


def search(d: dict) -> str:
    q = d["query"]
    form = (f'<form class="filters" action="/search" method="get"><label>Words <input name="q" value="{e(q["q"])}">'
            f'</label><label>Outlet <input name="outlet" value="{e(q["outlet"] or "")}"></label>'
            f'<label>From <input name="since" type="date" value="{e(q["since"] or "")}"></label>'
            f'<label>Until <input name="until" type="date" value="{e(q["until"] or "")}"></label>'
            f'<label>Entity <input name="entity" value="{e(q["entity"] or "")}" placeholder="e.g. country:TUR">'
            f'</label><button type="submit">Search</button></form>')
    if not any(q[k] for k in ("q", "outlet", "since", "until", "entity")):
        return "<h1>Search</h1>" + form
    items = []
    for a in d["articles"]:
        snippet = "".join(f"<mark>{e(t)}</mark>" if hit else e(t) for t, hit in marked_snippet(a["snippet"] or ""))
        story = f' · <a href="/stories/{_q(a["story"])}">its story</a>' if a.get("story") else ""
        outlet = (f'<a href="/outlets/{_q(a["outlet"])}">{e(a["outlet"])}</a>' if a.get("outlet") else "")
        items.append(f'<li><a class="title" href="/articles/{_q(a["id"])}">{e(a["title"] or "(untitled)")}</a>'
                     f'<span class="meta">{outlet} · {e((a["published"] or "")[:16])}{story}</span>'
                     f'<p class="snippet">{snippet}</p></li>')
    more = ""
    if d["more"]:
        params = {k: v for k, v in q.items() if v and k != "offset"}
        params["offset"] = q["offset"] + len(d["articles"])
        more = f'<p><a href="/search?{e(urlencode(params))}">More results</a></p>'
    stories_html = story_list(d["stories"], "No stories.") if d["stories"] else ""
    found = f'<ol class="list">{"".join(items)}</ol>' if items else '<p class="empty">No articles match.</p>'
    return (f"<h1>Search</h1>{form}<div class=\"two\"><section><h2>Articles</h2>{found}{more}</section>"
            f"<section><h2>Stories</h2>{stories_html or '<p class=empty>No stories.</p>'}</section></div>")


def story(d: dict, sections_html: str) -> str:
    rows = []
    for a in d["articles"]:
        reasons = a.get("reasons") or {}
        why = ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                        for k, v in list(reasons.items())[:6] if not isinstance(v, (dict, list)))
        also = f' (also {e(", ".join(a["also_published_by"]))})' if a.get("also_published_by") else ""
        rows.append(f'<tr><td><a href="/articles/{_q(a["id"])}">{e(a["title"] or a["id"])}</a></td>'
                    f'<td><a href="/outlets/{_q(a["outlet"] or "")}">{e(a["outlet"])}</a>{also}</td>'
                    f'<td>{e((a["published"] or "")[:16])}</td><td>{e(round(a.get("score") or 0, 2))}</td>'
                    f'<td class="why">{e(why)}</td></tr>')
    table = ('<details class="block"><summary>Articles and why each joined this story</summary>'
             '<div class="table-wrap"><table><thead><tr><th>Article</th><th>Outlet</th><th>Published</th>'
             '<th>Score</th><th>Why</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div></details>")
    return sections_html + table


def _highlighted(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The article text with non-overlapping spans wrapped in ``<mark class=kind title=...>``."""
    out, pos = [], 0
    for start, end, kind, title in sorted(spans):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(e(text[pos:start]))
        out.append(f'<mark class="{kind}" title="{e(title)}">{e(text[start:end])}</mark>')
        pos = end
    out.append(e(text[pos:]))
    return "".join(out).replace("\n\n", "</p><p>")


def article(d: dict) -> str:
    a = d["article"]
    spans = [(x["start"], x["end"], "ent", f'{x.get("label")}: {x.get("canonical")}') for x in d["entities"]]
    spans += [(x["start"], x["end"], "time", f'{x.get("type")}: {x.get("value")}') for x in d["times"]]
    for qt in d["quotes"]:
        if qt.get("cue_start") is not None:
            spans.append((qt["cue_start"], qt["cue_end"], "cue", f'{qt.get("speaker") or "unnamed"}'
                          + (f' via {", ".join(qt["via"])}' if qt.get("via") else "")))
    url = safe_url(a.get("url"))
    source = f'<a href="{e(url)}" rel="noopener noreferrer external">{e(url)}</a>' if url else e(a.get("url") or "")
    meta = [("Outlet", f'<a href="/outlets/{_q(a["outlet"])}">{e(a["outlet"])}</a>' if a.get("outlet") else ""),
            ("Authors", e(", ".join(a.get("authors") or []))),
            ("Published", e(f'{a.get("published") or ""} ({a.get("published_from") or "unknown"})')),
            ("Language", e(a.get("language") or "")), ("Original", source),
            ("Read from", e(", ".join(d["sources"]))),
            ("Also published by", e(", ".join(d["also_published_by"]))),
            ("Story", f'<a href="/stories/{_q(d["story"])}">{e(d["story"])}</a>' if d.get("story") else "")]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta if v)
    entities = sorted({(x.get("canonical") or x["text"], x["key"]) for x in d["entities"]})
    ent_links = ", ".join(f'<a href="/entities/{_q(k)}">{e(n)}</a>' for n, k in entities)
    note = "" if d["analysed"] else '<p class="hint">This article has not been analysed yet.</p>'
    captions = "".join(f"<li>{e(c)}</li>" for c in a.get("captions") or [])
    return (f'<article class="read-article"><h1>{e(a.get("title") or "(untitled)")}</h1><dl class="meta">{dl}</dl>'
            f'{note}<p class="legend"><mark class="ent">entity</mark> <mark class="time">time</mark> '
            f'<mark class="cue">attribution</mark></p>'
            f'<div class="text"><p>{_highlighted(a["text"], spans)}</p></div>'
            + (f"<h2>Captions</h2><ul>{captions}</ul>" if captions else "")
            + (f"<h2>Entities</h2><p>{ent_links}</p>" if ent_links else "") + "</article>")


def outlet(d: dict) -> str:
    cited = "".join(f'<tr><td>{e(c["speaker"])}</td><td>{e(c["direct"])}</td><td>{e(c["indirect"])}</td>'
                    f'<td>{e(c["articles"])}</td></tr>' for c in d["cited"])
    terms = " ".join(f'<span class="term" title="z {e(t["z"])}: {e(t["here"])} here, {e(t["elsewhere"])} elsewhere">'
                     f'{e(t["term"])}</span>' for t in d["terms"])
    return (f'<h1>{e(d["outlet"])}</h1><p class="summary">{e(d["articles"])} articles stored.</p>'
            f'<div class="two"><section><h2>Its stories</h2>{story_list(d["stories"])}</section><section>'
            f'<h2>Whom it cites most</h2>'
            + (f'<div class="table-wrap"><table><thead><tr><th>Source</th><th>Direct</th><th>Reported</th>'
               f'<th>Articles</th></tr></thead><tbody>{cited}</tbody></table></div>' if cited
               else '<p class="empty">No attributions analysed yet.</p>')
            + f'<h2>Characteristic terms</h2><p class="terms">{terms or "Not enough text yet."}</p></section></div>')


def entity(d: dict) -> str:
    rows = "".join(f'<tr><td><a href="/outlets/{_q(o)}">{e(o)}</a></td><td>'
                   + ", ".join(f'{e(t["term"])} <span class="muted">×{e(t["mentions"])}</span>' for t in terms)
                   + "</td></tr>" for o, terms in d["names_by_outlet"].items())
    return (f'<h1>{e(d["name"])}</h1><p class="summary">{e(d["label"])} · key <code>{e(d["key"])}</code> · '
            f'<a href="/search?entity={_q(d["key"])}">articles</a></p><h2>How each outlet names it</h2>'
            f'<div class="table-wrap"><table><thead><tr><th>Outlet</th><th>Names used</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div><h2>Stories</h2>{story_list(d["stories"])}')


def add_form(error: str | None = None, token_needed: bool = False) -> str:
    token = ('<label>Access token <input name="token" type="password" autocomplete="off" required></label>'
             if token_needed else "")
    err = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
    return f"""<h1>Add articles</h1>{err}
<form class="add" action="/add" method="post" enctype="multipart/form-data">
<label>URLs, one per line<textarea name="urls" rows="4" placeholder="https://…"></textarea></label>
<fieldset><legend>Or paste an article (the whole page's text is fine: rashomon cleans it)</legend>
<label>Text<textarea name="text" rows="8"></textarea></label>
<label>Outlet (optional) <input name="outlet"></label> <label>Its URL (optional) <input name="url"></label>
</fieldset>
<label>Or upload files (.html, .txt, .json, .jsonl, also .gz)<input name="files" type="file" multiple></label>
{token}<button type="submit">Add</button></form>"""


def job(d: dict) -> str:
    rows = "".join(f'<li><code>{e(x["input"])}</code>: {e(x["message"])}</li>' for x in d["errors"])
    added = "".join(f'<li><a href="/articles/{_q(x["id"])}">{e(x["title"] or x["id"])}</a> — {e(x["status"])}'
                    + (f' · <a href="/stories/{_q(x["story"])}">story</a>' if x.get("story") else "") + "</li>"
                    for x in d["articles"])
    state = {"running": "Working…", "done": "Done.", "failed": "Stopped by an error."}[d["state"]]
    return (f'<h1>Adding articles</h1><p class="summary" data-job="{e(d["id"])}">{e(state)} '
            f'{e(d["done"])} of {e(d["total"])} inputs read.</p>'
            f'<progress max="{e(max(1, d["total"]))}" value="{e(d["done"])}"></progress>'
            + (f"<h2>Articles</h2><ul>{added}</ul>" if added else "")
            + (f"<h2>Inputs that failed</h2><ul class=\"errors\">{rows}</ul>" if rows else ""))


def not_found(what: str) -> str:
    return f'<h1>Not found</h1><p>{e(what)}</p><p><a href="/">Back to the stories</a></p>'
