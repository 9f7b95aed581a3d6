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


def content_key(text: str) -> str:
    """Stable 16-hex-digit key of a body text (sha256 of its normalized form)."""
    return hashlib.sha256(normalize_body(text).encode("utf-8")).hexdigest()[:16]
