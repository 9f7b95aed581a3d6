"""The comparison as Markdown for notes: ``render(data) -> str``.

Same content as the HTML report: outlets, coverage table, each fact with its quoted passages and
outlet names, omissions, conflicts, framing, sources and timeline. Text from the data is escaped so
it cannot turn into links, HTML or table cells; only http(s) URLs become links.
"""
from __future__ import annotations

import re

from rashomon.render import _model
from rashomon.render._model import StoryView

_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#~&!$])")
_STATUS = {"shared": "shared by all", "partial": "partial", "unique": "unique"}


def md(text: object) -> str:
    """Inline Markdown-safe text: one line, punctuation that Markdown or HTML would read escaped."""
    s = " ".join(_model.clean(text).split())
    s = _SPECIAL.sub(r"\\\1", s)
    s = re.sub(r"^(\d+)([.)])", r"\1\\\2", s)
    return re.sub(r"^([-+=])", r"\\\1", s)


def quote(text: object) -> str:
    """A passage in curly quotes."""
    return f"“{md(text)}”"


def _wording(v: _model.ConflictValue) -> str:
    """The value's words in quotes, bold inside their sentence when the data gives it."""
    parts = v.context_parts()
    if parts:
        before, value, after = parts
        gap_l = " " if before[-1:].isspace() else ""
        gap_r = " " if after[:1].isspace() else ""
        return f"“{md(before)}{gap_l}**{md(value)}**{gap_r}{md(after)}”"
    return quote(v.span.text) if v.span.text else ""


def _link(title: str, url: str | None) -> str:
    if not url:
        return title
    url = url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")
    return f"[{title}](<{url}>)"


def _table(head: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(head)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(c or " " for c in row) + " |" for row in rows]
    return lines + [""]


def render(data: dict) -> str:
    """The Markdown document for a schema-1 comparison dict."""
    stories = _model.read(data)
    lines: list[str] = []
    if len(stories) != 1:
        lines += [f"# Comparison of {len(stories)} {'story' if len(stories) == 1 else 'stories'}", ""]
        lines += [f"{i + 1}. {md(s.title)} ({len(s.articles)} articles)" for i, s in enumerate(stories)]
        lines.append("")
        level = 2
    else:
        level = 1
    for s in stories:
        lines += _story(s, level)
    lines += ["---", "", "*Made with rashomon (comparison schema 1). Quotes are the articles' exact words; facts, "
              "conflicts and framing are machine-made: check them against the articles.*", ""]
    return "\n".join(lines)


def _story(s: StoryView, level: int) -> list[str]:
    h = "#" * level
    hh = "#" * (level + 1)
    hhh = "#" * (level + 2)
    counts = {k: sum(1 for f in s.facts if f.status == k) for k in _model.STATUSES}
    out = [f"{h} {md(s.title)}", ""]
    summary = [f"story `{s.id.replace('`', '')}`" if s.id else "", f"{len(s.articles)} articles",
               f"{len(s.facts)} facts ({counts['shared']} shared, {counts['partial']} partial, {counts['unique']} unique)",
               f"{len(s.conflicts)} conflicts"]
    out += ["*" + " · ".join(x for x in summary if x) + "*", ""]

    out += [f"{hh} Outlets", ""]
    rows = [[md(a.outlet), _link(md(a.title or "(untitled)"), a.url), md(a.published), md(", ".join(a.authors))]
            for a in s.articles]
    out += _table(["Outlet", "Article", "Published", "Authors"], rows) if rows else ["No articles listed.", ""]

    out += [f"{hh} Coverage", ""]
    if s.facts:
        head = ["Fact", "Status"] + [md(a.short) for a in s.articles]
        rows = [[md(f.text) + (f" *({md(s.kind_label(f))})*" if s.kind_label(f) else ""), f.status]
                + ["●" if a.id in f.articles or any(m.article == a.id for m in f.mentions) else "–" for a in s.articles]
                for st in _model.STATUSES for f in s.facts if f.status == st]
        out += _table(head, rows, ["---", "---"] + [":-:"] * len(s.articles))
        out += ["● reported · – not reported", ""]

        out += [f"{hh} Facts and passages", ""]
        n = 0
        for st in _model.STATUSES:
            facts = [f for f in s.facts if f.status == st]
            if not facts:
                continue
            out += [f"{hhh} {st.capitalize()} ({len(facts)})", ""]
            for f in facts:
                n += 1
                kind = f" *({md(s.kind_label(f))})*" if s.kind_label(f) else ""
                who = ", ".join(s.outlet(x) for x in f.articles)
                out += [f"**{n}. {md(f.text)}**{kind}" + (f" — {md(who)}" if who else ""), ""]
                quotes = [f"> {quote(m.text)} — *{md(s.outlet(m.article))}*" for m in f.mentions if m.text]
                if quotes:
                    out += "\n>\n".join(quotes).split("\n") + [""]
    else:
        out += ["No facts were aligned for this story.", ""]

    out += [f"{hh} Omissions", ""]
    any_om = False
    for aid in [a.id for a in s.articles] + [x for x in s.omissions if s.article(x) is None]:
        lacking = s.omissions.get(aid, [])
        if not lacking:
            if s.article(aid) and any(f.status != "unique" for f in s.facts):
                out += [f"**{md(s.outlet(aid))}** reports every fact that another outlet reports.", ""]
            continue
        any_om = True
        out += [f"**{md(s.outlet(aid))}** leaves out {len(lacking)} {'fact' if len(lacking) == 1 else 'facts'} "
                "that others report:", ""]
        for f in lacking:
            others = ", ".join(s.outlet(x) for x in f.articles if x != aid)
            out.append(f"- {md(f.text)}" + (f" (in {md(others)})" if others else ""))
        out.append("")
    if not any_om:
        out += ["No outlet leaves out a fact that another reports.", ""]

    out += [f"{hh} Conflicts", ""]
    if s.conflicts:
        for c in s.conflicts:
            out += [f"{hhh} {md(c.about)}" + (f" ({md(c.kind)})" if c.kind else ""), ""]
            out += _table(["Outlet", "Value", "Wording"],
                          [[md(s.outlet(v.article)), f"**{md(v.value)}**" if v.value else "–", _wording(v)]
                           for v in c.values])
    else:
        out += ["No conflicting claims were found.", ""]

    out += [f"{hh} Framing", ""]
    if s.framing:
        ids = [a.id for a in s.articles]
        ids += list(dict.fromkeys(x for fr in s.framing for x in fr.terms if x not in ids))
        rows = []
        for fr in s.framing:
            row = [md(fr.referent) + (" *(same words)*" if fr.differs is False else "")]
            for aid in ids:
                terms = [md(t) + (" **(loaded)**" if fr.loaded_all or t.lower() in fr.loaded else "")
                         for t in fr.terms.get(aid, [])]
                row.append(", ".join(terms) or "–")
            rows.append(row)
        out += _table(["Referent"] + [md(s.article(x).short if s.article(x) else x) for x in ids], rows)
    else:
        out += ["No differences in wording were recorded.", ""]

    out += [f"{hh} Sources", ""]
    if s.sources:
        rows = [[md(s.outlet(x.article)), md(x.speaker), md(x.role), str(x.direct), str(x.indirect)]
                for a_id in dict.fromkeys(x.article for x in s.sources) for x in s.sources if x.article == a_id]
        out += _table(["Outlet", "Speaker", "Role", "Direct", "Indirect"], rows, ["---", "---", "---", "--:", "--:"])
    else:
        out += ["No quoted or cited sources were recorded.", ""]

    out += [f"{hh} Timeline", ""]
    if s.timeline:
        for t in s.timeline:
            date = md(t.range.label) if t.range else (f"`{t.value.replace('`', '')}`" if t.value else "undated")
            words = "; ".join(f"{quote(m.text)} ({md(s.outlet(m.article))})" for m in t.mentions if m.text)
            if not words and t.articles:
                words = md(", ".join(s.outlet(x) for x in t.articles))
            out.append(f"- **{date}** — {md(t.what) or '(no description)'}" + (f" — {words}" if words else ""))
        out.append("")
    else:
        out += ["No dated events were recorded.", ""]
    return out
