"""The comparison as one self-contained HTML page: ``render(data) -> str``.

No network requests at all: CSS and JS are inlined and allowed by hash in a strict
Content-Security-Policy, the timeline is inline SVG, there are no images or fonts. Every piece of
text from the data is escaped; only http(s) URLs become links.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from html import escape
from importlib import resources

from rashomon.render import _model, _timeml
from rashomon.render._model import ArticleView, Span, StoryView
from rashomon.render._svg import timeline_svg

STATUS_NAMES = {"shared": "Shared", "partial": "Partial", "unique": "Unique"}
STATUS_HINTS = {"shared": "reported by every outlet", "partial": "reported by some outlets",
                "unique": "reported by one outlet only"}
N_COLOURS = 8
_DASH = "<span class=\"muted\">—</span>"


def e(value: object) -> str:
    """Escape text for HTML content and double-quoted attributes."""
    return escape(value if isinstance(value, str) else _model.clean(value), quote=True)


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    return resources.files("rashomon.render").joinpath("static", name).read_text(encoding="utf-8")


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _o(a: ArticleView | None) -> str:
    return f"o{a.index % N_COLOURS}" if a else ""


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def render(data: dict) -> str:
    """The whole report page for a schema-1 comparison dict."""
    stories = _model.read(data)
    css, js = _static("report.css"), _static("report.js")
    csp = (f"default-src 'none'; style-src {_sha(css)}; script-src {_sha(js)}; img-src 'none'; "
           "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    if len(stories) == 1:
        page_title = f"{stories[0].title} · rashomon"
    else:
        page_title = f"{_plural(len(stories), 'story', 'stories')} compared · rashomon"
    out = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{e(csp)}\">\n",
        "<meta name=\"referrer\" content=\"no-referrer\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<meta name=\"generator\" content=\"rashomon\">\n",
        f"<title>{e(page_title)}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        "<a class=\"skip\" href=\"#main\">Skip to the comparison</a>\n",
        "<header class=\"page-head\"><div class=\"inner\"><span class=\"brand\">rashomon"
        "<small>how each outlet tells the story</small></span></div></header>\n",
        "<main id=\"main\">\n",
    ]
    if not stories:
        out.append("<p class=\"empty block\">This comparison holds no stories.</p>\n")
    if len(stories) > 1:
        out.append(_toc(stories))
    for story in stories:
        out.append(_story(story, len(stories)))
    out.append("</main>\n<footer class=\"page-foot\"><p>Made with rashomon from a comparison (schema 1). "
               "Every highlighted passage is the exact text of its article; facts, conflicts and framing "
               "are machine-made and worth checking against the articles themselves.</p></footer>\n")
    out.append(f"<script>{js}</script>\n</body>\n</html>\n")
    return "".join(out)


def story_sections(data: dict) -> str:
    """The stories' sections alone (no page, styles or script), for pages that bring their own:
    the web app serves ``report.css`` and ``report.js`` (``asset``) as files beside this markup."""
    stories = _model.read(data)
    return "".join(_story(story, len(stories)) for story in stories)


def asset(name: str) -> str:
    """The report's stylesheet (``report.css``) or script (``report.js``)."""
    if name not in ("report.css", "report.js"):
        raise KeyError(name)
    return _static(name)


def _toc(stories: list[StoryView]) -> str:
    items = []
    for s in stories:
        outlets = ", ".join(a.outlet for a in s.articles)
        items.append(f"<li><a href=\"#s{s.index}\">{e(s.title)}</a> <span class=\"muted\">— "
                     f"{e(_plural(len(s.articles), 'article'))}{': ' + e(outlets) if outlets else ''}</span></li>")
    return ("<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">"
            f"{e(_plural(len(stories), 'story', 'stories'))}</h2><ol>" + "".join(items) + "</ol></nav>\n")


def _story(s: StoryView, total: int) -> str:
    sid = f"s{s.index}"
    counts = {k: sum(1 for f in s.facts if f.status == k) for k in _model.STATUSES}
    parts = [f"<section class=\"story\" id=\"{sid}\" aria-labelledby=\"{sid}-h\">\n<header class=\"story-head\">"]
    eyebrow = f"Story {s.index + 1} of {total}" if total > 1 else "Story"
    parts.append(f"<p class=\"eyebrow\">{e(eyebrow)} · <span title=\"story id\">{e(s.id)}</span></p>")
    parts.append(f"<h2 id=\"{sid}-h\">{e(s.title)}</h2>")
    bits = [f"<b>{len(s.articles)}</b> {'article' if len(s.articles) == 1 else 'articles'}",
            f"<b>{len(s.facts)}</b> {'fact' if len(s.facts) == 1 else 'facts'}"
            + (f" ({counts['shared']} shared, {counts['partial']} partial, {counts['unique']} unique)" if s.facts else ""),
            f"<b>{len(s.conflicts)}</b> {'conflict' if len(s.conflicts) == 1 else 'conflicts'}"]
    span = _published_span(s)
    if span:
        bits.append(f"published {e(span)}")
    parts.append("<p class=\"summary\">" + " · ".join(bits) + "</p>")
    parts.append(_outlets(s))
    parts.append("</header>\n")
    sections = [("coverage", "Coverage", len(s.facts)), ("read", "Side by side" if s.has_texts else "Passages", None),
                ("omissions", "Omissions", sum(len(v) for v in s.omissions.values())),
                ("conflicts", "Conflicts", len(s.conflicts)), ("framing", "Framing", len(s.framing)),
                ("sources", "Sources", len(s.sources)), ("timeline", "Timeline", len(s.timeline))]
    nav = " ".join(f"<a href=\"#{sid}-{k}\">{e(name)}" + (f" <span class=\"count\">{n}</span>" if n is not None else "")
                   + "</a>" for k, name, n in sections)
    parts.append(f"<nav class=\"story-nav\" aria-label=\"Sections of this story\">{nav}</nav>\n")
    parts.append(_coverage(s, counts))
    parts.append(_reading(s) if s.has_texts else _passages(s))
    parts.append(_omissions(s))
    parts.append(_conflicts(s))
    parts.append(_framing(s))
    parts.append(_sources(s))
    parts.append(_timeline(s))
    if s.unknown_articles:
        parts.append("<p class=\"hint block\">The data also refers to articles this story does not list: "
                     + e(", ".join(s.unknown_articles[:20])) + ("…" if len(s.unknown_articles) > 20 else "") + ".</p>")
    parts.append("</section>\n")
    return "".join(parts)


def _published_span(s: StoryView) -> str:
    """'4 Mar 2025 – 5 Mar 2025' from the articles' readable publication times."""
    days = sorted({d.date() for d in (_timeml.published(a.published_raw) for a in s.articles) if d})
    if not days:
        return ""
    first, last = (_timeml.human_published(d.isoformat()) for d in (days[0], days[-1]))
    return first if first == last else f"{first} – {last}"


def _outlets(s: StoryView) -> str:
    items = []
    for a in s.articles:
        title = e(a.title or "(untitled)")
        if a.url:
            title = f"<a href=\"{e(a.url)}\" rel=\"noopener noreferrer external\">{title}</a>"
        elif a.url_text:
            title += f" <span class=\"tag\" title=\"{e(a.url_text[:300])}\">not a web link</span>"
        meta = [a.published]
        if a.authors:
            meta.append("by " + ", ".join(a.authors))
        meta_html = " · ".join(e(m) for m in meta if m)
        items.append(f"<li class=\"{_o(a)}\"><span class=\"sw\" aria-hidden=\"true\"></span><div>"
                     f"<span class=\"name\">{e(a.outlet)}</span><span class=\"atitle\">{title}</span>"
                     f"<span class=\"meta\">{meta_html}</span></div></li>")
    if not items:
        return "<p class=\"empty\">No articles listed.</p>"
    return "<ol class=\"outlets\" aria-label=\"Outlets\">" + "".join(items) + "</ol>"


def _sel(key: str, label: str, what: str, inner: str, cls: str = "sel") -> str:
    """A button that highlights the passages tagged ``key`` in every article column."""
    return (f"<button type=\"button\" class=\"{cls}\" data-sel=\"{key}\" data-jump aria-pressed=\"false\" "
            f"data-what=\"{e(what)}\" data-label=\"{e(label[:400])}\">{inner}</button>")


def _show(key: str, label: str, what: str, has_spans: bool) -> str:
    if not has_spans:
        return ""
    return _sel(key, label, what, "Show in text", "show")


# ------------------------------------------------------------------------------------------ coverage

def _coverage(s: StoryView, counts: dict[str, int]) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-coverage\" aria-labelledby=\"{sid}-coverage-h\">"
           f"<h3 id=\"{sid}-coverage-h\">Coverage</h3>"]
    if not s.facts:
        return "".join(out) + "<p class=\"empty\">No facts were aligned for this story.</p></section>\n"
    out.append("<p class=\"hint\">Each row is one fact, each column one outlet. Select a fact to read its passages"
               + (" side by side.</p>" if s.has_texts else ".</p>"))
    initials = _initials([a.short for a in s.articles])
    out.append(_status_bar(counts, len(s.facts), "".join(
        f"<span class=\"key ini-key\"><b>{e(ini)}</b> {e(a.outlet)}</span>" for a, ini in zip(s.articles, initials))))
    ncols = len(s.articles) + 1
    head = "".join(f"<th scope=\"col\" class=\"oc {_o(a)}\" title=\"{e(a.outlet)}\"><span class=\"sw\" aria-hidden=\"true\">"
                   f"</span><span class=\"full\">{e(a.short)}</span><span class=\"ini\" aria-hidden=\"true\">{e(ini)}</span></th>"
                   for a, ini in zip(s.articles, initials))
    out.append(f"<div class=\"table-wrap\"><table class=\"matrix\"><caption class=\"sr-only\">Facts reported by each "
               f"outlet</caption><thead><tr><th scope=\"col\">Fact</th>{head}</tr></thead>")
    order = [k for k in _model.STATUSES if counts[k]]
    for status in order:
        rows = [f for f in s.facts if f.status == status]
        out.append(f"<tbody><tr class=\"grp\"><th colspan=\"{ncols}\" scope=\"rowgroup\">"
                   f"<span class=\"badge {status}\">{STATUS_NAMES[status]}</span> {e(STATUS_HINTS[status])} · "
                   f"<b>{len(rows)}</b></th></tr>")
        for f in rows:
            tag = f" <span class=\"tag\">{e(s.kind_label(f))}</span>" if s.kind_label(f) else ""
            btn = _sel(f"{sid}f{f.index}", f.text, f"{STATUS_NAMES[f.status]} fact", e(f.text))
            cells = []
            for a in s.articles:
                quotes = [m.text for m in f.mentions if m.article == a.id]
                if a.id in f.articles or quotes:
                    tip = e(" / ".join(quotes)[:300])
                    n = f"<span class=\"n\">×{len(quotes)}</span>" if len(quotes) > 1 else ""
                    cells.append(f"<td class=\"cell yes\" title=\"{tip}\"><span aria-hidden=\"true\">●</span>{n}"
                                 f"<span class=\"sr-only\">reported by {e(a.outlet)}</span></td>")
                else:
                    cells.append(f"<td class=\"cell no\"><span aria-hidden=\"true\">–</span>"
                                 f"<span class=\"sr-only\">not in {e(a.outlet)}</span></td>")
            out.append(f"<tr class=\"st-{f.status}\"><th scope=\"row\">{btn}{tag}</th>{''.join(cells)}</tr>")
        out.append("</tbody>")
    foot = "".join(f"<td>{sum(1 for f in s.facts if a.id in f.articles)}</td>" for a in s.articles)
    out.append(f"<tfoot><tr><th scope=\"row\">Facts reported</th>{foot}</tr></tfoot></table></div></section>\n")
    return "".join(out)


def _initials(names: list[str]) -> list[str]:
    """Short column labels for narrow screens: 'Aegean Lantern' → 'AL', made unique with a number."""
    out = []
    for name in names:
        words = [w for w in re.split(r"[\s\-–]+", name) if w[:1].isalnum()]
        ini = "".join(w[0] for w in words[:3]).upper() or name[:2]
        out.append(ini)
    return [f"{x}{i + 1}" if out.count(x) > 1 else x for i, x in enumerate(out)]


def _status_bar(counts: dict[str, int], total: int, extra: str = "") -> str:
    x, rects = 0.0, []
    for k in _model.STATUSES:
        w = 1000 * counts[k] / total if total else 0
        if w:
            rects.append(f"<rect class=\"{k}\" x=\"{x:.1f}\" y=\"0\" width=\"{w:.1f}\" height=\"10\"/>")
        x += w
    legend = "".join(f"<span class=\"key\"><span class=\"dot {k}\" aria-hidden=\"true\"></span>"
                     f"{STATUS_NAMES[k]}: {counts[k]}</span>" for k in _model.STATUSES)
    legend += ("<span class=\"key\"><span aria-hidden=\"true\">●</span> reported</span>"
               "<span class=\"key\"><span aria-hidden=\"true\">–</span> not reported</span>") + extra
    return ("<svg class=\"bar-svg\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
            + "".join(rects) + f"</svg><div class=\"legend\">{legend}</div>")


# ------------------------------------------------------------------------------------------ side by side

def _spans_by_article(s: StoryView) -> dict[str, list[tuple[int, int, str, str]]]:
    """Every placed span per article as (start, end, key, css class)."""
    sid = f"s{s.index}"
    spans: dict[str, list[tuple[int, int, str, str]]] = {a.id: [] for a in s.articles}

    def add(span: Span, key: str, cls: str) -> None:
        if span.placed and span.article in spans:
            spans[span.article].append((span.start, span.end, key, cls))

    for f in s.facts:
        for m in f.mentions:
            add(m, f"{sid}f{f.index}", f"f-{f.status}")
    for c in s.conflicts:
        for v in c.values:
            add(v.span, f"{sid}c{c.index}", "cf")
    for fr in s.framing:
        for m in fr.spans:
            add(m, f"{sid}r{fr.index}", "")
    for so in s.sources:
        for m in so.mentions:
            add(m, f"{sid}p{so.index}", "")
    for t in s.timeline:
        for m in t.mentions:
            add(m, f"{sid}t{t.index}", "")
    return spans


_RANK = {"f-shared": 3, "f-partial": 2, "f-unique": 1}


def _marked_text(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The article text as paragraphs, each covered stretch wrapped in one <mark> listing its keys."""
    n = len(text)
    spans = [(max(0, a), min(n, b), k, c) for a, b, k, c in spans if a < b and a < n]
    cuts = {0, n}
    for a, b, _, _ in spans:
        cuts.update((a, b))
    paras: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        paras.append((pos, m.start()))
        pos = m.end()
    paras.append((pos, n))
    for a, b in paras:
        cuts.update((a, b))
    points = sorted(cuts)
    starts: dict[int, list] = {}
    for sp in spans:
        starts.setdefault(sp[0], []).append(sp)
    out = []
    active: list[tuple[int, int, str, str]] = []
    pending: list[tuple[int, int, str, str]] = []  # spans whose first visible piece is still to come
    para_iter = iter(paras)
    para = next(para_iter, None)
    open_p = False
    for i, p in enumerate(points[:-1]):
        q = points[i + 1]
        active = [sp for sp in active if sp[1] > p] + starts.get(p, [])
        pending = [sp for sp in pending if sp[1] > p] + starts.get(p, [])
        while para and p >= para[1]:
            if open_p:
                out.append("</p>")
                open_p = False
            para = next(para_iter, None)
        if para is None or p < para[0]:
            continue  # the blank lines between paragraphs
        if not open_p:
            out.append("<p dir=\"auto\">")
            open_p = True
        chunk = e(text[p:min(q, para[1])])
        if active:
            keys = " ".join(dict.fromkeys(sp[2] for sp in active))
            classes = {sp[3] for sp in active if sp[3]}
            fact = max((c for c in classes if c in _RANK), key=_RANK.get, default="")
            cls = " ".join(x for x in ("hl", fact, "cf" if "cf" in classes else "") if x)
            begins = " ".join(dict.fromkeys(sp[2] for sp in pending))
            pending = []
            b = f" data-b=\"{begins}\"" if begins else ""
            out.append(f"<mark class=\"{cls}\" data-k=\"{keys}\"{b}>{chunk}</mark>")
        else:
            out.append(chunk)
    if open_p:
        out.append("</p>")
    return "".join(out)


def _reading(s: StoryView) -> str:
    sid = f"s{s.index}"
    spans = _spans_by_article(s)
    legend = ("<div class=\"legend\"><span class=\"key\"><span class=\"u shared\"></span>shared fact</span>"
              "<span class=\"key\"><span class=\"u partial\"></span>partial</span>"
              "<span class=\"key\"><span class=\"u unique\"></span>unique</span>"
              "<span class=\"key\"><span class=\"u cf\"></span>conflicting value</span>"
              "<span class=\"key no-print\"><span class=\"u sel-sample\"></span>selected</span>"
              "<span class=\"key no-print\">keys: <kbd>j</kbd> / <kbd>k</kbd> next and previous fact, <kbd>Esc</kbd> "
              "clears</span></div>")
    idle = "Select a fact in the coverage table, or an underlined passage, to highlight it in every article."
    out = [f"<section class=\"block read\" id=\"{sid}-read\" aria-labelledby=\"{sid}-read-h\">"
           f"<h3 id=\"{sid}-read-h\">Side by side</h3>{legend}"
           "<div class=\"toolbar\" role=\"group\" aria-label=\"Highlighted passages\">"
           "<button type=\"button\" class=\"tb\" data-nav=\"-1\" disabled aria-label=\"Previous fact\">‹ Prev</button>"
           "<button type=\"button\" class=\"tb\" data-nav=\"1\" disabled aria-label=\"Next fact\">Next ›</button>"
           f"<p class=\"sel-label\" tabindex=\"-1\" aria-live=\"polite\">{e(idle)}</p>"
           "<button type=\"button\" class=\"tb clear\" hidden>Clear</button>"
           "<a class=\"tb back\" href=\"#\" hidden>Back to list</a></div>"
           "<div class=\"columns\">"]
    for a in s.articles:
        notext = "" if a.text is not None else " data-notext"
        meta = " · ".join(x for x in (a.published, ", ".join(a.authors)) if x)
        out.append(f"<article class=\"col {_o(a)}\" aria-labelledby=\"{sid}-a{a.index}-h\"{notext}><header>"
                   f"<h4 id=\"{sid}-a{a.index}-h\">{e(a.outlet)}</h4>"
                   + (f"<p class=\"col-title\">{e(a.title)}</p>" if a.title else "")
                   + (f"<p class=\"col-meta\">{e(meta)}</p>" if meta else "")
                   + "<p class=\"col-status\" aria-live=\"polite\"></p></header>"
                   f"<div class=\"col-body\" tabindex=\"0\" role=\"region\" aria-label=\"Text of {e(a.outlet)}\"{_lang(a)}>")
        if a.text is None:
            out.append("<p class=\"missing\">The text of this article is not included in the comparison.</p>")
        elif not a.text.strip():
            out.append("<p class=\"missing\">This article's text is empty.</p>")
        else:
            out.append(_marked_text(a.text, spans.get(a.id, [])))
        out.append("</div></article>")
    out.append("</div></section>\n")
    return "".join(out)


def _lang(a: ArticleView) -> str:
    """A lang attribute for the article's text when its language code is well formed."""
    code = a.extra.get("language", "")
    return f" lang=\"{code}\"" if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", code) else ""


def _passages(s: StoryView) -> str:
    """Without article texts: each fact with its quoted passages, outlet by outlet."""
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-read\" aria-labelledby=\"{sid}-read-h\">"
           f"<h3 id=\"{sid}-read-h\">Passages</h3><p class=\"hint\">The article texts are not part of this "
           "comparison, so the passages are quoted here fact by fact.</p>"]
    if not s.facts:
        return "".join(out) + "<p class=\"empty\">No facts.</p></section>\n"
    out.append("<div class=\"passages\">")
    for f in s.facts:
        quotes = "".join(f"<blockquote><q>{e(m.text)}</q> — <span class=\"{_o(s.article(m.article))}\">"
                         f"<span class=\"sw\" aria-hidden=\"true\"></span> {e(s.outlet(m.article))}</span></blockquote>"
                         for m in f.mentions if m.text)
        out.append(f"<div class=\"passage\" data-k=\"{sid}f{f.index}\"><span class=\"badge {f.status}\">"
                   f"{STATUS_NAMES[f.status]}</span> {e(f.text)}{quotes}</div>")
    out.append("</div></section>\n")
    return "".join(out)


# ------------------------------------------------------------------------------------------ omissions etc.

def _omissions(s: StoryView) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-omissions\" aria-labelledby=\"{sid}-omissions-h\">"
           f"<h3 id=\"{sid}-omissions-h\">Omissions</h3><p class=\"hint\">Facts that other outlets report and "
           "this one leaves out.</p><div class=\"cards\">"]
    ids = [a.id for a in s.articles] + [x for x in s.omissions if s.article(x) is None]
    for aid in ids:
        a = s.article(aid)
        lacking = s.omissions.get(aid, [])
        out.append(f"<div class=\"card {_o(a)}\"><h4><span class=\"sw\" aria-hidden=\"true\"></span>{e(s.outlet(aid))}"
                   f"<span class=\"count\">{e('leaves out ' + str(len(lacking)) if lacking else 'leaves out none')}"
                   "</span></h4>")
        if lacking:
            out.append("<ul>")
            for f in lacking:
                others = [s.outlet(x) for x in f.articles if x != aid]
                who = f" <span class=\"muted\">— in {e(', '.join(others))}</span>" if others else ""
                out.append(f"<li>{_sel(f'{sid}f{f.index}', f.text, STATUS_NAMES[f.status] + ' fact', e(f.text))}"
                           f"{who}</li>")
            out.append("</ul>")
        else:
            out.append("<p class=\"muted\">Reports every fact that another outlet reports.</p>")
        out.append("</div>")
    out.append("</div></section>\n")
    return "".join(out)


def _conflicts(s: StoryView) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-conflicts\" aria-labelledby=\"{sid}-conflicts-h\">"
           f"<h3 id=\"{sid}-conflicts-h\">Conflicts</h3>"]
    if not s.conflicts:
        return "".join(out) + "<p class=\"empty\">No conflicting claims were found.</p></section>\n"
    out.append("<p class=\"hint\">Claims about the same thing where outlets give different values. "
               "Values that differ from the majority are in red.</p><div class=\"conflicts\">")
    for c in s.conflicts:
        placed = any(v.span.placed for v in c.values)
        tag = f"<span class=\"tag\">{e(c.kind)}</span>" if c.kind else ""
        values = [v.value for v in c.values]
        common = max(values, key=values.count) if values else None
        uniq = len(set(values)) > 1 and values.count(common) * 2 > len(values)  # a strict majority
        rows = []
        for v in c.values:
            odd = " class=\"odd\"" if uniq and v.value != common else ""
            a = s.article(v.article)
            rows.append(f"<tr{odd}><td><span class=\"{_o(a)}\"><span class=\"sw\" aria-hidden=\"true\"></span></span> "
                        f"{e(s.outlet(v.article))}</td><td class=\"val\" data-h=\"Value\">{e(v.value) or '—'}</td>"
                        f"<td data-h=\"Wording\">{_wording(v)}</td></tr>")
        out.append(f"<div class=\"conflict-card\"><h4><span class=\"badge conflict\">Conflict</span> {e(c.about)} {tag}"
                   f"{_show(f'{sid}c{c.index}', c.about, 'Conflict', placed and s.has_texts)}</h4>"
                   "<div class=\"table-wrap\"><table class=\"stack\"><thead><tr><th scope=\"col\">Outlet</th>"
                   "<th scope=\"col\">Value</th><th scope=\"col\">Wording</th></tr></thead>"
                   f"<tbody>{''.join(rows)}</tbody></table></div></div>")
    out.append("</div></section>\n")
    return "".join(out)


def _wording(v: _model.ConflictValue) -> str:
    """The value's words, inside their sentence when the data gives it."""
    parts = v.context_parts()
    if parts:
        return f"<q>{e(parts[0])}<b>{e(parts[1])}</b>{e(parts[2])}</q>"
    return f"<q>{e(v.span.text)}</q>" if v.span.text else ""


def _pick(key: str, label: str, what: str, inner: str, placed: bool) -> str:
    """``inner`` as a selecting button when it has passages to show, else as plain text."""
    return _sel(key, label, what, inner) if placed else inner


def _framing(s: StoryView) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-framing\" aria-labelledby=\"{sid}-framing-h\">"
           f"<h3 id=\"{sid}-framing-h\">Framing</h3>"]
    if not s.framing:
        return "".join(out) + "<p class=\"empty\">No differences in wording were recorded.</p></section>\n"
    any_loaded = any(fr.loaded or fr.loaded_all for fr in s.framing)
    out.append("<p class=\"hint\">The words each outlet uses for the same person, place, thing or event."
               + (" Select one to find the words in the articles." if s.has_texts else "")
               + (" Terms marked <span class=\"term loaded\">loaded</span> carry a judgement." if any_loaded else "")
               + "</p>")
    extra_ids = list(dict.fromkeys(x for fr in s.framing for x in fr.terms if s.article(x) is None))
    cols = [(a.id, a.short, _o(a)) for a in s.articles] + [(x, x, "") for x in extra_ids]
    head = "".join(f"<th scope=\"col\"><span class=\"{o}\"><span class=\"sw\" aria-hidden=\"true\"></span></span> "
                   f"{e(name)}</th>" for _, name, o in cols)
    out.append(f"<div class=\"table-wrap\"><table class=\"framing stack\"><thead><tr><th scope=\"col\">Referent</th>"
               f"{head}</tr></thead><tbody>")
    for fr in s.framing:
        cells = []
        for aid, name, _ in cols:
            loaded = [fr.loaded_all or t.lower() in fr.loaded for t in fr.terms.get(aid, [])]
            chips = "".join(f"<span class=\"term{' loaded' if ld else ''}\">{e(t)}"
                            + ("<span class=\"sr-only\"> (loaded)</span>" if ld else "") + "</span>"
                            for t, ld in zip(fr.terms.get(aid, []), loaded))
            cells.append(f"<td data-h=\"{e(name)}\">{chips or _DASH}</td>")
        flag = " <span class=\"tag\">same words</span>" if fr.differs is False else ""
        ref = _pick(f"{sid}r{fr.index}", fr.referent, "Framing", e(fr.referent), s.has_texts and bool(fr.spans))
        out.append(f"<tr><th scope=\"row\">{ref}{flag}</th>{''.join(cells)}</tr>")
    out.append("</tbody></table></div></section>\n")
    return "".join(out)


def _sources(s: StoryView) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-sources\" aria-labelledby=\"{sid}-sources-h\">"
           f"<h3 id=\"{sid}-sources-h\">Sources</h3>"]
    if not s.sources:
        return "".join(out) + "<p class=\"empty\">No quoted or cited sources were recorded.</p></section>\n"
    out.append("<p class=\"hint\">Who each outlet lets speak: direct quotes and reported (indirect) speech."
               + (" Select a speaker to find the attribution in the text." if s.has_texts else "") + "</p>"
               "<div class=\"table-wrap\"><table class=\"sources stack\"><thead><tr><th scope=\"col\">Speaker</th>"
               "<th scope=\"col\">Role</th><th scope=\"col\" class=\"num\">Direct</th><th scope=\"col\" class=\"num\">"
               "Indirect</th></tr></thead>")
    ids = list(dict.fromkeys([a.id for a in s.articles if any(x.article == a.id for x in s.sources)]
                             + [x.article for x in s.sources]))
    for aid in ids:
        rows = [x for x in s.sources if x.article == aid]
        a = s.article(aid)
        direct, indirect = sum(x.direct for x in rows), sum(x.indirect for x in rows)
        out.append(f"<tbody><tr class=\"grp\"><th colspan=\"4\" scope=\"rowgroup\"><span class=\"{_o(a)}\">"
                   f"<span class=\"sw\" aria-hidden=\"true\"></span></span> <b>{e(s.outlet(aid) or '(no article)')}</b>"
                   f" · {e(_plural(len(rows), 'source'))}, {direct} direct, {indirect} indirect</th></tr>")
        for x in rows:
            who = _pick(f"{sid}p{x.index}", x.speaker, "Source", e(x.speaker),
                        s.has_texts and any(m.placed for m in x.mentions))
            out.append(f"<tr><td class=\"speaker\">{who}</td><td data-h=\"Role\">{e(x.role) or _DASH}</td>"
                       f"<td class=\"num\" data-h=\"Direct\">{x.direct}</td>"
                       f"<td class=\"num\" data-h=\"Indirect\">{x.indirect}</td></tr>")
        out.append("</tbody>")
    out.append("</table></div></section>\n")
    return "".join(out)


# ------------------------------------------------------------------------------------------ timeline

def _timeline(s: StoryView) -> str:
    sid = f"s{s.index}"
    out = [f"<section class=\"block\" id=\"{sid}-timeline\" aria-labelledby=\"{sid}-timeline-h\">"
           f"<h3 id=\"{sid}-timeline-h\">Timeline</h3>"]
    if not s.timeline:
        return "".join(out) + "<p class=\"empty\">No dated events were recorded.</p></section>\n"
    out.append("<p class=\"hint\">Dates the articles mention, in order. A coarse date (a week, a month, a year) "
               "is drawn as the whole range it covers; long gaps are shortened and marked ≈.</p>")
    wide, legend = timeline_svg(s)
    if wide:
        narrow, _ = timeline_svg(s, compact=True)
        out.append(legend + f"<div class=\"tl-chart wide\">{wide}</div><div class=\"tl-chart narrow\">{narrow}</div>")
    out.append("<div class=\"table-wrap\"><table class=\"timeline stack\"><thead><tr><th scope=\"col\">Date</th>"
               "<th scope=\"col\">Event</th><th scope=\"col\">Wording</th></tr></thead><tbody>")
    for t in s.timeline:
        date = e(t.range.label) if t.range else (e(t.value) + " <span class=\"tag\">not on the chart</span>"
                                                 if t.value else "<span class=\"muted\">undated</span>")
        words = "".join(f"<li><q>{e(m.text)}</q> — {e(s.outlet(m.article))}</li>" for m in t.mentions if m.text)
        if not words and t.articles:
            words = f"<li class=\"muted\">{e(', '.join(s.outlet(x) for x in t.articles))}</li>"
        label = (t.range.label + ": " if t.range else "") + t.what
        what = _pick(f"{sid}t{t.index}", label, "Date", e(t.what) or "(no description)",
                     s.has_texts and any(m.placed for m in t.mentions))
        out.append(f"<tr data-k=\"{sid}t{t.index}\"><td class=\"date\">{date}</td><td>{what}</td>"
                   f"<td><ul class=\"wording\">{words}</ul></td></tr>")
    out.append("</tbody></table></div></section>\n")
    return "".join(out)
