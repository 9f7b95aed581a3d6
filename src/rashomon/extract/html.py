"""HTML page -> ``Article``: trafilatura for the body and metadata, plus rashomon's corrections.

One parse: the page is parsed once into an lxml tree; trafilatura (``bare_extraction``) works on
a copy of it, and rashomon reads the same tree for what trafilatura does not give: all authors,
published and modified dates kept apart, the page language, captions. Its body is then cleaned by
``html_body`` (boilerplate blocks, captions, repeats) and completed by ``html_restore`` (paragraphs of
the article container that trafilatura skipped). Every rule is hand-written from general web and
news conventions and its cues are data (``data/html_cues.json``): nothing is tuned to one site.
"""
from __future__ import annotations

import logging
from itertools import islice
from urllib.parse import urlsplit

import trafilatura
from lxml.etree import strip_tags
from lxml.html import HtmlElement
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from rashomon.extract import html_authors as A
from rashomon.extract.html_body import Block, filter_blocks, load_cues, make_blocks, norm
from rashomon.extract.html_restore import restore_paragraphs
from rashomon.extract.html_scan import scan_page
from rashomon.extract.html_meta import PageMeta, normalize_date, read_page_meta
from rashomon.models import Article

log = logging.getLogger(__name__)

# trafilatura settings: comments are not article text; links are kept in its tree so that the
# precision pass can measure link density (they are stripped before the text is written).
TRAFILATURA_OPTIONS = dict(include_comments=False, include_links=True, include_tables=True,
                           with_metadata=True, fast=False)
MAX_CAPTION_CHARS = 600


def extract_html(html: str, *, url: str | None = None) -> Article:
    """Clean one HTML page into an article (empty ``text`` when the page holds no article)."""
    tree = _parse(html)
    if tree is None:
        return Article(id="", source="", text="", url=url)
    page = read_page_meta(tree)
    try:
        doc = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    except RecursionError:
        log.warning("page too deeply nested for trafilatura: %s", url or "(no url)")
        doc = None
    title = headline(tree, _clean(getattr(doc, "title", None)), page)
    scan = scan_page(tree)
    captions = find_captions(scan.captions)
    paragraphs: list[str] = []
    body_byline: list[str] = []
    if doc is not None and doc.body is not None:
        restore_paragraphs(tree, doc.body)
        description = page.description or _clean(getattr(doc, "description", None))
        paragraphs, body_byline = _body_text(doc.body, title=title, captions=captions, description=description)
    art = Article(id="", source="", text="\n\n".join(paragraphs), url=url or getattr(doc, "url", None))
    art.title = title
    art.outlet = _outlet(doc, page, url)
    art.authors = _authors(scan.bylines, page, doc, body_byline, art.outlet)
    art.published, art.modified = _dates(doc, page)
    art.published_from = "page" if art.published else None
    art.language = page.language or _clean(getattr(doc, "language", None))
    art.captions = outermost(captions)
    return art


def _parse(html: str) -> HtmlElement | None:
    """One lxml parse (trafilatura's loader: encoding repair, size checks)."""
    if not html or not html.strip():
        return None
    try:
        tree = load_html(html)
    except (ValueError, TypeError) as err:
        log.warning("unparsable HTML: %s", err)
        return None
    if tree is None:
        log.debug("not an HTML document")
    return tree


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(str(value).split())
    return value or None


def find_captions(elements: list[HtmlElement]) -> list[str]:
    """Texts of caption and credit elements (see ``html_scan``), in order, without repeats.

    Nested matches (a caption box and the credit inside it) are all returned: the body filter
    needs each piece; ``outermost`` keeps one per box for the article record.
    """
    out: list[str] = []
    keys: set[str] = set()
    for el in elements:
        text = " ".join(" ".join(el.itertext()).split())
        key = norm(text)
        if len(text) < 3 or len(text) > MAX_CAPTION_CHARS or not key or key in keys:
            continue
        keys.add(key)
        out.append(text)
    return out


def outermost(captions: list[str]) -> list[str]:
    """Captions not contained in another caption of the list."""
    keys = [norm(c) for c in captions]
    return [c for c, k in zip(captions, keys) if not any(k != o and k in o for o in keys)]


def _body_text(body, *, title: str | None, captions: list[str],
               description: str | None) -> tuple[list[str], list[str]]:
    """Paragraphs of trafilatura's body after the precision pass, and a byline found at its top."""
    blocks = make_blocks(body)
    filter_blocks(blocks, title=title, captions=captions, description=description)
    byline: list[str] = []
    for b in _leading(blocks):
        if not b.drop:
            names = A.byline_in_line(b.text)
            if names is not None:
                byline.extend(names)
                b.drop = "byline"
    for b in blocks:
        if b.drop:
            log.debug("dropped %s: %.80s", b.drop, b.text)
            parent = b.el.getparent()
            if parent is not None:
                _remove_keep_tail(b.el)
    strip_tags(body, "ref")
    text = xmltotxt(body, False) or ""
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if any(c.isalnum() for c in line)], byline


def _leading(blocks: list[Block]) -> list[Block]:
    """Blocks before the first prose paragraph (where headlines, bylines and dates sit)."""
    out = []
    for b in blocks:
        if b.is_prose:
            break
        out.append(b)
    return out[:8]


def _remove_keep_tail(el) -> None:
    parent = el.getparent()
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def headline(tree: HtmlElement, title: str | None, page: PageMeta) -> str | None:
    """The visible headline: the page's ``h1`` when a declared title confirms it, else the title.

    Declared titles often carry the site name or a section ("Opinion | ..."); the ``h1`` does not.
    """
    declared = [norm(t) for t in (title, page.title) if t]
    for h1 in islice(tree.iterfind(".//h1"), 5):
        text = _clean(" ".join(h1.itertext()))
        key = norm(text or "")
        if text and 2 <= len(key.split()) <= 40 and any(key == d or (key in d and len(key) >= 0.4 * len(d))
                                                          for d in declared):
            return text
    return title or page.title


def _outlet(doc, page: PageMeta, url: str | None) -> str | None:
    name = _clean(page.site_name) or _clean(getattr(doc, "sitename", None))
    if name:
        return name
    host = urlsplit(url).hostname if url else getattr(doc, "hostname", None)
    if host:
        return host[4:] if host.startswith("www.") else host
    return None


def _authors(bylines: list[HtmlElement], page: PageMeta, doc, body_byline: list[str],
             outlet: str | None) -> list[str]:
    publisher = page.ld_publisher or outlet
    ld_persons, ld_orgs = A.names_from_jsonld(page.ld_authors, publisher=publisher)
    visible: list[str] = []
    for el in bylines:
        text = A.element_byline_text(el)
        if 0 < len(text) <= 200:
            visible.extend(A.names_from_byline(text))
    if len({A._key(n) for n in visible}) > 8:  # a list of teasers, not a byline
        visible = []
    meta: list[str] = []
    for value in page.meta_authors:
        meta.extend(A.names_from_byline(value))
    fallback = A.names_from_byline((getattr(doc, "author", None) or "").replace(";", ","))
    names = A.choose_authors(ld_persons, ld_orgs, visible, meta, body_byline, fallback)
    site_keys = [k for k in (_squash(outlet), _squash(publisher), _squash(_host(getattr(doc, "url", None)))) if k]
    return [n for n in names if not any(_same_site(_squash(n), k) for k in site_keys)]


def _same_site(name: str, site: str) -> bool:
    """"Business Insider" vs outlet "Business Insider Deutschland" or host "businessinsider"."""
    return name == site or (len(name) >= 6 and len(site) >= 6 and (site.startswith(name) or name.startswith(site)))


def _squash(text: str | None) -> str:
    return "".join(c for c in (text or "").casefold() if c.isalnum())


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.split(".")[-2] if host and host.count(".") >= 1 else host


def _dates(doc, page: PageMeta) -> tuple[str | None, str | None]:
    """(published, modified): htmldate's original date, made precise by the page's own markers."""
    found = normalize_date(getattr(doc, "date", None))
    published = found
    if page.published and (not found or page.published[:10] == found[:10]):
        published = page.published
    modified = page.modified
    if modified and published and modified[:19] <= published[:19]:
        modified = None
    return published, modified
