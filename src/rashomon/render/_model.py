"""A comparison dict (schema 1) read defensively into plain view objects shared by the renderers.

Nothing here trusts the input: missing keys get defaults, wrong types are dropped, spans are checked
against the article text (and re-found nearby when the quoted words sit elsewhere), and extra keys
that the renderers know (``kind``, ``differs``, ``loaded``, ``authors``, ``text``...) are kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rashomon.render import _timeml

STATUSES = ("shared", "partial", "unique")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class RenderError(ValueError):
    """The data is not a comparison this renderer can read (not a dict, another schema)."""


def clean(value: Any) -> str:
    """Any scalar as display text; control characters and lone surrogates become U+FFFD (one for one)."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _BAD_CHARS.sub("\ufffd", str(value))


def safe_url(value: Any) -> str | None:
    """The URL when it is an absolute http(s) URL with a host, else ``None`` (never a link then)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _BAD_CHARS.search(url) or any(c.isspace() or c in '<>"`\\' for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _count(value: Any) -> int:
    n = _int(value)
    return n if n is not None and n >= 0 else 0


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _ids(value: Any) -> list[str]:
    return [clean(v) for v in _list(value) if isinstance(v, (str, int)) and not isinstance(v, bool)]


@dataclass
class Span:
    """A passage of one article: ``start``/``end`` are checked offsets, or ``None`` when unusable."""

    article: str
    start: int | None
    end: int | None
    text: str

    @property
    def placed(self) -> bool:
        """True when the span can be highlighted in its article's text."""
        return self.start is not None


@dataclass
class ArticleView:
    index: int
    id: str
    outlet: str
    short: str
    title: str
    published: str
    published_raw: str
    url: str | None
    url_text: str
    authors: list[str]
    text: str | None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class FactView:
    index: int
    id: str
    text: str
    status: str
    kind: str
    articles: list[str]
    mentions: list[Span]


@dataclass
class ConflictValue:
    article: str
    value: str
    span: Span
    context: str = ""  # the sentence around the value, when the data gives it ("statement")

    def context_parts(self) -> tuple[str, str, str] | None:
        """(before, the value's words, after) within the context sentence, when both are known."""
        if self.context and self.span.text and self.span.text in self.context and self.context != self.span.text:
            i = self.context.index(self.span.text)
            return self.context[:i], self.span.text, self.context[i + len(self.span.text):]
        return None


@dataclass
class ConflictView:
    index: int
    about: str
    kind: str
    values: list[ConflictValue]


@dataclass
class FramingView:
    index: int
    referent: str
    terms: dict[str, list[str]]
    differs: bool | None
    loaded: set[str]
    loaded_all: bool
    spans: list[Span]


@dataclass
class SourceView:
    index: int
    article: str
    speaker: str
    role: str
    direct: int
    indirect: int
    mentions: list[Span]


@dataclass
class TimelineView:
    index: int
    value: str
    mod: str
    text: str
    articles: list[str]
    mentions: list[Span]
    range: _timeml.TimeRange | None
    event: str = ""  # what happened then, when the data says it apart from the time words

    @property
    def what(self) -> str:
        """The description to show: the event when given, else the entry's text."""
        return self.event or self.text


@dataclass
class StoryView:
    index: int
    id: str
    title: str
    articles: list[ArticleView]
    facts: list[FactView]
    omissions: dict[str, list[FactView]]
    conflicts: list[ConflictView]
    framing: list[FramingView]
    sources: list[SourceView]
    timeline: list[TimelineView]
    unknown_articles: list[str]

    def article(self, aid: str) -> ArticleView | None:
        """The article with this id, if the story lists it."""
        return next((a for a in self.articles if a.id == aid), None)

    def outlet(self, aid: str) -> str:
        """The outlet name of an article id (the id itself when the story does not list it)."""
        a = self.article(aid)
        return a.outlet if a else aid

    @property
    def usual_kind(self) -> str:
        """The most common fact kind (e.g. "news"): only the other kinds are worth a label."""
        kinds = [f.kind for f in self.facts if f.kind]
        return max(kinds, key=kinds.count) if kinds else ""

    def kind_label(self, fact: FactView) -> str:
        """The fact's kind when it is not the usual one, else ''."""
        return fact.kind if fact.kind != self.usual_kind else ""

    @property
    def has_texts(self) -> bool:
        """True when at least one article carries its text (side-by-side columns are drawn)."""
        return any(a.text is not None for a in self.articles)


def short_name(outlet: str) -> str:
    """'The Aegean Lantern' → 'Aegean Lantern': a compact label for table headers."""
    words = outlet.split()
    if len(words) > 1 and words[0].lower() in ("the", "die", "der", "le", "la", "el", "il"):
        words = words[1:]
    name = " ".join(words)
    return name if len(name) <= 24 else name[:23].rstrip() + "…"


def _locate(text: str | None, start: Any, end: Any, quote: str) -> tuple[int | None, int | None]:
    """Checked offsets for a span; the quote re-found nearest to ``start`` when the offsets are off."""
    s, e = _int(start), _int(end)
    if text is None:
        return (s, e) if s is not None and e is not None and 0 <= s < e else (None, None)
    if s is not None and e is not None and 0 <= s < e <= len(text) and (not quote or text[s:e] == quote):
        return s, e
    if quote and len(quote) >= 2:
        hits = [m.start() for m in re.finditer(re.escape(quote), text)][:200]
        if hits:
            best = min(hits, key=lambda h: abs(h - (s or 0)))
            return best, best + len(quote)
    return None, None


def _span(raw: Any, texts: dict[str, str | None], article: str | None = None) -> Span | None:
    raw = _dict(raw)
    aid = clean(raw.get("article")) or (article or "")
    if not aid:
        return None
    quote = clean(raw.get("text"))
    text = texts.get(aid)
    s, e = _locate(text, raw.get("start"), raw.get("end"), quote)
    if text is not None:
        if s is None:
            return None  # the article's text is known and these words are not in it
        quote = text[s:e]
    if s is None and not quote:
        return None
    return Span(aid, s, e, quote)


def _term_spans(text: str | None, aid: str, terms: list[str], limit: int = 40) -> list[Span]:
    """Occurrences of framing terms in an article, as whole words, case-insensitive."""
    if not text:
        return []
    spans: list[Span] = []
    for term in terms:
        if not term.strip():
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", re.IGNORECASE)
        for m in list(pattern.finditer(text))[:limit]:
            spans.append(Span(aid, m.start(), m.end(), m.group()))
    return spans


def read(data: Any) -> list[StoryView]:
    """The stories of a schema-1 comparison dict; raises ``RenderError`` for anything else."""
    if not isinstance(data, dict):
        raise RenderError(f"a comparison must be a JSON object, not {type(data).__name__}")
    schema = data.get("schema", 1)
    if schema != 1:
        raise RenderError(f"unsupported comparison schema {clean(schema)!r}: this version reads schema 1")
    stories = data.get("stories")
    if stories is None and "facts" in data:  # one bare story
        stories = [data]
    return [_story(i, s) for i, s in enumerate(_list(stories)) if isinstance(s, dict)]


def _story(index: int, raw: dict) -> StoryView:
    articles: list[ArticleView] = []
    seen: set[str] = set()
    for a in _list(raw.get("articles")):
        if not isinstance(a, dict):
            continue
        aid = clean(a.get("id")) or f"article-{len(articles) + 1}"
        if aid in seen:
            continue
        seen.add(aid)
        outlet = clean(a.get("outlet")).strip() or clean(a.get("title")).strip()[:40] or aid
        text = a.get("text")
        extra = {k: clean(a.get(k)) for k in ("language", "published_from", "modified") if clean(a.get(k))}
        articles.append(ArticleView(
            index=len(articles), id=aid, outlet=outlet, short=short_name(outlet), title=clean(a.get("title")).strip(),
            published=_timeml.human_published(a.get("published")), published_raw=clean(a.get("published")),
            url=safe_url(a.get("url")), url_text=clean(a.get("url")).strip(),
            authors=[clean(x) for x in _list(a.get("authors")) if clean(x).strip()],
            text=clean(text) if isinstance(text, str) else None, extra=extra))
    texts = {a.id: a.text for a in articles}
    known = set(texts)
    unknown: list[str] = []

    def note(aid: str) -> None:
        if aid and aid not in known and aid not in unknown:
            unknown.append(aid)

    facts: list[FactView] = []
    by_id: dict[str, FactView] = {}
    for f in _list(raw.get("facts")):
        if not isinstance(f, dict):
            continue
        mentions = [m for m in (_span(x, texts) for x in _list(f.get("mentions"))) if m]
        ids = _ids(f.get("articles")) or list(dict.fromkeys(m.article for m in mentions))
        ids = list(dict.fromkeys(ids))
        for aid in ids:
            note(aid)
        status = clean(f.get("status")).lower()
        if status not in STATUSES:
            n = len([a for a in ids if a in known])
            status = "shared" if articles and n >= len(articles) else "unique" if n <= 1 else "partial"
        fid = clean(f.get("id")) or f"fact-{len(facts) + 1}"
        view = FactView(len(facts), fid, clean(f.get("text")).strip() or "(no text)", status,
                        clean(f.get("kind")).strip(), ids, mentions)
        facts.append(view)
        by_id.setdefault(fid, view)

    omissions: dict[str, list[FactView]] = {}
    raw_om = raw.get("omissions")
    if isinstance(raw_om, dict):
        for aid, fids in raw_om.items():
            aid = clean(aid)
            lacking = [by_id[x] for x in dict.fromkeys(_ids(fids)) if x in by_id]
            if aid and lacking:
                omissions[aid] = lacking
                note(aid)
    else:  # not given: every non-unique fact an article lacks
        for a in articles:
            lacking = [f for f in facts if f.status != "unique" and a.id not in f.articles]
            if lacking:
                omissions[a.id] = lacking

    conflicts = []
    for c in _list(raw.get("conflicts")):
        if not isinstance(c, dict):
            continue
        values = []
        for v in _list(c.get("values")):
            if not isinstance(v, dict):
                continue
            aid = clean(v.get("article"))
            span = _span(v, texts) or Span(aid, None, None, clean(v.get("text")))
            note(aid)
            context = " ".join(clean(v.get("statement") or v.get("context")).split())
            values.append(ConflictValue(aid, clean(v.get("value")), span, context))
        conflicts.append(ConflictView(len(conflicts), clean(c.get("about")).strip() or "(unnamed)",
                                      clean(c.get("kind")).strip(), values))

    framing = []
    for fr in _list(raw.get("framing")):
        if not isinstance(fr, dict):
            continue
        terms: dict[str, list[str]] = {}
        for aid, words in _dict(fr.get("terms")).items():
            aid = clean(aid)
            words = [clean(w) for w in (words if isinstance(words, list) else [words]) if clean(w).strip()]
            if aid and words:
                terms[aid] = list(dict.fromkeys(words))
                note(aid)
        loaded_raw = fr.get("loaded")
        loaded = {clean(w).lower() for w in _list(loaded_raw) if clean(w).strip()}
        if isinstance(loaded_raw, dict):
            loaded = {clean(w).lower() for ws in loaded_raw.values() for w in (ws if isinstance(ws, list) else [ws])}
        differs = fr.get("differs") if isinstance(fr.get("differs"), bool) else None
        given = [m for m in (_span(x, texts) for x in _list(fr.get("mentions"))) if m]
        spans = given or [s for aid, ws in terms.items() for s in _term_spans(texts.get(aid), aid, ws)]
        framing.append(FramingView(len(framing), clean(fr.get("referent")).strip() or "(unnamed)", terms,
                                   differs, loaded, loaded_raw is True, spans))

    sources = []
    for s in _list(raw.get("sources")):
        if not isinstance(s, dict):
            continue
        aid = clean(s.get("article"))
        note(aid)
        mentions = [m for m in (_span(x, texts, aid) for x in _list(s.get("mentions"))) if m]
        sources.append(SourceView(len(sources), aid, clean(s.get("speaker")).strip() or "(unnamed)",
                                  clean(s.get("role")).strip(), _count(s.get("direct")), _count(s.get("indirect")),
                                  mentions))

    timeline = []
    for t in _list(raw.get("timeline")):
        if not isinstance(t, dict):
            continue
        mentions = [m for m in (_span(x, texts) for x in _list(t.get("mentions"))) if m]
        ids = list(dict.fromkeys(_ids(t.get("articles")) or [m.article for m in mentions]))
        for aid in ids:
            note(aid)
        value, mod = clean(t.get("value")).strip(), clean(t.get("mod")).strip().upper()
        event = next((clean(t.get(k)) for k in ("event", "label", "description") if clean(t.get(k)).strip()), "")
        event = " ".join(event.split()).strip(" \"'“”‘’")
        timeline.append(TimelineView(len(timeline), value, mod, clean(t.get("text")).strip(), ids, mentions,
                                     _timeml.parse(value, mod or None), event))
    timeline.sort(key=lambda t: (t.range is None, t.range.start if t.range else 0, t.range.end if t.range else 0))

    return StoryView(index, clean(raw.get("id")) or f"story-{index + 1}",
                     clean(raw.get("title")).strip() or (articles[0].title if articles else "") or "Untitled story",
                     articles, facts, omissions, conflicts, framing, sources, timeline, unknown)
