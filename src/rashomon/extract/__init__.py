"""Stage 2, extract: ``RawDocument`` -> ``Article``.

HTML pages go through trafilatura plus our corrections (``extract.html``); text copied from a page
goes through our own line classifier (``extract.text``); clean text records are used as given.
Metadata that came with the input (a record's title, date...) wins over what extraction finds.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from rashomon.errors import NoArticleError
from rashomon.extract.templates import TemplateMemory
from rashomon.models import Article, RawDocument, content_key

log = logging.getLogger(__name__)

__all__ = ["extract", "TemplateMemory"]


def extract(doc: RawDocument, *, templates: TemplateMemory | None = None) -> Article:
    """Clean one document into an article; raises ``NoArticleError`` when no body text is found."""
    if doc.kind == "html":
        from rashomon.extract.html import extract_html
        art = extract_html(doc.content, url=doc.url)
    elif doc.kind == "raw_text":
        from rashomon.extract.text import extract_text
        art = extract_text(doc.content, url=doc.url, outlet=doc.outlet, templates=templates)
    else:
        art = Article(id="", source=doc.source, text=doc.content)
    if not art.text.strip():
        raise NoArticleError("no article text found", source=doc.source)
    art.source = doc.source
    _apply_given(art, doc)
    if not art.outlet and art.url:
        art.outlet = outlet_from_url(art.url)
    if not art.language:
        from rashomon.extract.language import detect_language
        art.language = detect_language(art.text)
    if not art.published:
        from rashomon.extract.dates import infer_published
        inferred = infer_published(art.text, captions=art.captions)
        if inferred:
            art.published, art.published_from = inferred, "inferred"
    art.id = doc.id or content_key(art.text)
    return art


def outlet_from_url(url: str) -> str | None:
    """The site's host name without "www." (the outlet when the page does not name itself)."""
    host = (urlsplit(url).hostname or "").lower()
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    return host or None


def _apply_given(art: Article, doc: RawDocument) -> None:
    """Metadata given with the input overrides what extraction found."""
    for name in ("url", "outlet", "title", "language"):
        value = getattr(doc, name)
        if value:
            setattr(art, name, value)
    if doc.authors:
        art.authors = list(doc.authors)
    if doc.published:
        art.published, art.published_from = doc.published, "given"
    if doc.extra:
        art.extra.update(doc.extra)
