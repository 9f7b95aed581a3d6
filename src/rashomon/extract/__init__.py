"""Stage 2, extract: ``RawDocument`` -> ``Article``.

HTML pages go through trafilatura plus our corrections (``extract.html``); text copied from a page
goes through our own line classifier (``extract.text``); clean text records are used as given.
Metadata that came with the input (a record's title, date...) wins over what extraction finds.

``extract_many`` cleans a stream of documents: consecutive scraped-text documents are cleaned
together (``extract.text.extract_texts`` runs its array work once per batch, several times faster
per page than one by one) and every document still gets its own article or error, in input order.
"""
from __future__ import annotations

import logging
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from rashomon.errors import InputError, NoArticleError
from rashomon.extract.templates import TemplateMemory
from rashomon.models import Article, RawDocument, content_key

log = logging.getLogger(__name__)

__all__ = ["extract", "extract_many", "TemplateMemory"]

BATCH_PAGES = 128  # scraped-text pages cleaned together (larger batches spill out of the CPU cache)


def extract(doc: RawDocument, *, templates: TemplateMemory | None = None) -> Article:
    """Clean one document into an article; raises ``NoArticleError`` when no body text is found."""
    if doc.kind == "html":
        from rashomon.extract.html import extract_html
        art = extract_html(doc.content, url=doc.url)
    elif doc.kind == "raw_text":
        from rashomon.extract.text import extract_texts
        art = extract_texts([doc.content], urls=[doc.url], outlets=[doc.outlet], templates=templates)[0]
    else:
        art = Article(id="", source=doc.source, text=doc.content)
    return _finish(art, doc)


def extract_many(items: Iterable[RawDocument | InputError], *, templates: TemplateMemory | None = None,
                 batch: int = BATCH_PAGES) -> Iterator[Article | InputError]:
    """``extract`` of every document, in order: an ``Article``, or the ``InputError`` that document
    raised; ``InputError`` items in the input (unreadable inputs) are passed through in place.
    Consecutive ``raw_text`` documents are cleaned ``batch`` at a time."""
    pending: list[RawDocument] = []
    for item in items:
        if isinstance(item, RawDocument) and item.kind == "raw_text":
            pending.append(item)
            if len(pending) >= batch:
                yield from _text_batch(pending, templates)
                pending = []
            continue
        if pending:
            yield from _text_batch(pending, templates)
            pending = []
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield extract(item, templates=templates)
        except InputError as exc:
            yield exc
    if pending:
        yield from _text_batch(pending, templates)


def _text_batch(docs: list[RawDocument], templates: TemplateMemory | None) -> Iterator[Article | InputError]:
    from rashomon.extract.text import extract_texts
    from rashomon.extract.language import detect_languages
    articles = extract_texts([d.content for d in docs], urls=[d.url for d in docs],
                             outlets=[d.outlet for d in docs], templates=templates)
    # Languages of the whole batch at once (the ones given with a document are not needed).
    asked = [k for k, doc in enumerate(docs) if not (doc.language or articles[k].language)]
    languages: list[str | None | bool] = [False] * len(docs)
    for k, language in zip(asked, detect_languages([articles[k].text for k in asked])):
        languages[k] = language
    for art, doc, language in zip(articles, docs, languages):
        try:
            yield _finish(art, doc, language)
        except InputError as exc:
            yield exc


def _finish(art: Article, doc: RawDocument, language: str | None | bool = False) -> Article:
    """The dispatcher's part: no body is an error; given metadata, outlet, language (``language``:
    the body's, detected already; ``False``: not yet), inferred publication date and id."""
    if not art.text.strip():
        raise NoArticleError("no article text found", source=doc.source)
    art.source = doc.source
    _apply_given(art, doc)
    if not art.outlet and art.url:
        art.outlet = outlet_from_url(art.url)
    if not art.language:
        if language is False:
            from rashomon.extract.language import detect_language
            language = detect_language(art.text)
        art.language = language
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
