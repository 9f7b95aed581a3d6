"""The core types that flow through rashomon, one per stage (see DESIGN.md).

``RawDocument`` is what ingest produces (decoded page content plus where it came from);
``Article`` is what extract produces and the store keeps.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ContentKind = Literal["html", "raw_text", "text"]
PublishedFrom = Literal["page", "text", "inferred", "given"]


@dataclass
class RawDocument:
    """One input page or record, decoded to text, not yet cleaned.

    ``kind`` says how ``content`` must be read: ``html`` (a web page), ``raw_text`` (text copied from
    a page, clutter included) or ``text`` (a clean article body, used character for character).
    Metadata given with the input (a JSON record's ``title``, ``published``...) travels in the
    optional fields and wins over what extraction finds.
    """

    source: str
    kind: ContentKind
    content: str
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    published: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """A cleaned news article: body text and metadata (DESIGN.md, ``rashomon extract`` contract)."""

    id: str
    source: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_from: PublishedFrom | None = None
    modified: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_key(self) -> str:
        """Hash of the normalized body: the same article from two inputs gets the same key."""
        return content_key(self.text)

    def to_record(self) -> dict[str, Any]:
        """The JSON record of the extract contract (field order as in DESIGN.md)."""
        record = asdict(self)
        record.pop("extra")
        order = ["id", "source", "url", "outlet", "title", "authors", "published", "published_from",
                 "modified", "language", "text", "captions"]
        out = {k: record[k] for k in order}
        out.update(self.extra)
        return out


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_body(text: str) -> str:
    """Body text reduced to lower-case words: punctuation, quotes, accents' forms and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def analysis_key(article: "Article") -> str:
    """Key of an article's analysis: its exact text and publication date (times depend on both)."""
    data = f"{article.published or ''}\x00{article.text}".encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:24]


def content_key(text: str) -> str:
    """Stable 16-hex-digit key of a body text (sha256 of its normalized form)."""
    return hashlib.sha256(normalize_body(text).encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------- analysis
# Offsets are character offsets into ``Article.text``, end exclusive (DESIGN.md, analyze contract).


@dataclass
class Entity:
    """A named entity mention with its canonical identity (``key`` is shared across spellings)."""

    text: str
    start: int
    end: int
    label: str
    canonical: str
    key: str
    role: str | None = None


@dataclass
class TimeExpression:
    """A time expression normalized to a TimeML value against the publication date."""

    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    mod: str | None = None


@dataclass
class Attribution:
    """Who said, reported, believes or wants what: source, cue and content spans (``via``: the chain)."""

    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_start: int
    cue_end: int
    content: str
    content_start: int
    content_end: int
    direct: bool
    speaker_key: str | None = None
    via: list[str] | None = None
    kind: str = "speech"  # speech | belief | intention


@dataclass
class Quantity:
    """A number in the text, with its unit and what it counts ("nearly 85,000 Russian soldiers")."""

    text: str
    start: int
    end: int
    value: float | None
    unit: str | None = None
    counts: str | None = None
    qualifier: str | None = None  # "nearly", "at least", "more than"...


@dataclass
class Statement:
    """A small factual statement (sentence or clause) and what it carries, referenced by span."""

    start: int
    end: int
    text: str
    entities: list[str] = field(default_factory=list)   # entity keys
    times: list[int] = field(default_factory=list)      # indexes into AnalyzedArticle.times
    numbers: list[Quantity] = field(default_factory=list)
    attribution: int | None = None                      # index into AnalyzedArticle.quotes


@dataclass
class AnalyzedArticle:
    """An article with its analyses (the ``rashomon analyze`` contract)."""

    article: Article
    analyzer: str = ""
    language_supported: bool = True
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    quotes: list[Attribution] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    caption_times: list[tuple[int, TimeExpression]] = field(default_factory=list)  # (caption index, time)

    def to_record(self) -> dict[str, Any]:
        """The extract record plus the analyses, as JSON-ready values."""
        record = self.article.to_record()
        record["analyzer"] = self.analyzer
        if not self.language_supported:
            record["skipped"] = (f"language {self.article.language!r} is not English: entities, times, quotes "
                                 f"and statements were not analysed")
        record["entities"] = [_compact(asdict(e)) for e in self.entities]
        record["times"] = [_compact(asdict(t)) for t in self.times]
        record["quotes"] = [_compact(asdict(q)) for q in self.quotes]
        record["statements"] = [_compact(asdict(s)) for s in self.statements]
        if self.caption_times:
            record["caption_times"] = [{"caption": i, **_compact(asdict(t))} for i, t in self.caption_times]
        return record


    @classmethod
    def from_record(cls, record: dict[str, Any], article: Article | None = None) -> "AnalyzedArticle":
        """Rebuild from ``to_record`` output (the article from the record unless given)."""
        if article is None:
            fields = {k: record.get(k) for k in ("id", "source", "text", "url", "outlet", "title", "published",
                                                 "published_from", "modified", "language")}
            article = Article(**fields, authors=record.get("authors") or [], captions=record.get("captions") or [])
        statements = []
        for s in record.get("statements", []):
            s = dict(s)
            s["numbers"] = [Quantity(**q) for q in s.get("numbers", [])]
            statements.append(Statement(**s))
        return cls(article=article, analyzer=record.get("analyzer", ""),
                   language_supported=not record.get("skipped"),
                   entities=[Entity(**e) for e in record.get("entities", [])],
                   times=[TimeExpression(**t) for t in record.get("times", [])],
                   quotes=[Attribution(**{"speaker_start": None, "speaker_end": None, **q})
                           for q in record.get("quotes", [])],
                   statements=statements,
                   caption_times=[(t.pop("caption"), TimeExpression(**t))
                                  for t in (dict(x) for x in record.get("caption_times", []))])


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    """Drop optional fields that are empty (``mod: None``, ``via: None``) to keep records small."""
    return {k: v for k, v in item.items() if v is not None or k in ("value", "speaker")}
