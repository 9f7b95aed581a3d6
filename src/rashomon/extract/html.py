"""HTML page -> ``Article``: trafilatura for the body, plus rashomon's corrections and metadata.

One parse: the page is parsed once into an lxml tree. trafilatura (``bare_extraction``) works on a
copy of it for the body; rashomon reads the same tree for the rest: the page's declared metadata
and language (``html_meta``), the visible headline, all authors (``html_authors``), published and
modified dates kept apart (htmldate plus explicit markers), captions (``html_scan``). The body is
completed by ``html_restore`` (paragraphs of the article's containers that trafilatura skipped,
embedded posts) and cleaned by ``html_body`` (boilerplate blocks, captions, repeats, headline).
Every rule is hand-written from general web and news conventions and its cues are data
(``data/html_cues.json``): nothing is specific to a site.

    rashomon extract --format jsonl page.html      # the CLI form of extract_html
"""
from __future__ import annotations

import logging
import re
from datetime import date
from html import unescape
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from lxml.etree import strip_tags
from lxml.html import HtmlElement
from trafilatura.metadata import extract_sitename, extract_title
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from rashomon.extract.html_authors import byline_in_line, page_authors
from rashomon.extract.html_body import (Block, filter_blocks, is_dateline, load_cues, make_blocks, norm,
                                         word_count)
from rashomon.extract.html_restore import restore_paragraphs
from rashomon.extract.html_meta import PageMeta, SiteNames, headline, normalize_date, read_page_meta
from rashomon.extract.html_scan import scan_page
from rashomon.models import Article

log = logging.getLogger(__name__)

# trafilatura settings: comments are not article text; links are kept in its tree so that the
# precision pass can measure link density (they are stripped before the text is written).
# Metadata is read here (html_meta, htmldate), not by trafilatura: its author search copies the
# whole tree and rashomon reads authors its own way.
TRAFILATURA_OPTIONS = dict(include_comments=False, include_links=True, include_tables=True,
                           with_metadata=False, fast=False)
MAX_CAPTION_CHARS = 600
_NOT_CAPTION_ANCESTORS = {"footer", "nav", "form", "button", "select", "label"}
_GALLERY_COUNTER = re.compile(r"^(?:image|photo|picture|slide|foto|imagem)\s+\d+\s+(?:of|/|de|di|von)\s+\d+\s*", re.I)
LINK_LIST_SHARE = 0.6   # a body without prose that is this much link text is a listing, not an article


def extract_html(html: str, *, url: str | None = None) -> Article:
    """Clean one HTML page into an article (empty ``text`` when the page holds no article)."""
    try:
        return _extract(html, url)
    except RecursionError:  # a pathological tree: no article rather than a crash
        log.warning("page too deeply nested to read: %s", url or "(no url)")
        return Article(id="", source="", text="", url=url)


def _extract(html: str, url: str | None) -> Article:
    tree = _parse(html)
    if tree is None:
        return Article(id="", source="", text="", url=url)
    page = read_page_meta(tree)
    try:
        doc = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    except RecursionError:
        log.warning("page too deeply nested for trafilatura: %s", url or "(no url)")
        doc = None
    page_url = url or page.url
    outlet = _outlet(tree, page, page_url)
    site = SiteNames(outlet, page.site_name, page.ld_publisher, url=page_url)
    title, title_el = headline(tree, [_unescape(page.title), _unescape(_safe(extract_title, tree))], site)
    scan = scan_page(tree)
    captions = find_captions(scan.captions)
    paragraphs: list[str] = []
    body_byline: list[str] = []
    first_para = None
    if doc is not None and doc.body is not None:
        _, first_para = restore_paragraphs(tree, doc.body)
        decks = [_clean(" ".join(el.itertext())) for el in scan.decks]
        paragraphs, body_byline, prose = _body_text(doc.body, title=title, captions=captions,
                                                    description=page.description, decks=decks)
        if paragraphs and not prose and _link_list(paragraphs, tree):
            log.debug("no article: the body is a list of links (listing page)")
            paragraphs = []
    art = Article(id="", source="", text="\n\n".join(paragraphs), url=page_url)
    art.title = title
    art.outlet = outlet
    art.authors = page_authors(scan.bylines, ld_authors=page.ld_authors, meta_authors=page.meta_authors,
                               body_byline=body_byline, site=site, publisher=page.ld_publisher or outlet,
                               start=title_el, end=first_para, html=html)
    art.published, art.modified = _dates(tree, page, page_url)
    art.published_from = "page" if art.published else None
    art.language = page.language  # none declared: the dispatcher detects it from the text
    art.captions = record_captions(captions)
    return art


def _unescape(text: str | None) -> str | None:
    """Text with HTML entities decoded ("&#8216;" in a meta tag) and spaces collapsed."""
    return _clean(unescape(text)) if text else None


def _safe(func, *args):
    """A trafilatura/htmldate helper that must not cost the article when it fails."""
    try:
        return _clean(func(*args))
    except (RecursionError, ValueError, TypeError, AttributeError) as err:
        log.debug("%s failed: %s", getattr(func, "__name__", func), err)
        return None


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
    needs each piece. ``record_captions`` chooses the ones the article record keeps.
    """
    out: list[str] = []
    keys: set[str] = set()
    for el in elements:
        if any(a.tag in _NOT_CAPTION_ANCESTORS for a in el.iterancestors()):
            continue
        text = _GALLERY_COUNTER.sub("", " ".join(" ".join(el.itertext()).split()))
        key = norm(text)
        if 3 <= len(text) <= MAX_CAPTION_CHARS and key and key not in keys:
            keys.add(key)
            out.append(text)
    return out


def record_captions(captions: list[str]) -> list[str]:
    """The captions worth keeping: one per caption box (the outermost text), without player
    controls, counters and labels that share the class names ("Caption Close", "604 COMMENTS")."""
    cues = load_cues()
    keys = [norm(c) for c in captions]
    out = []
    for text, key in zip(captions, keys):
        if any(key != other and key in other for other in keys):
            continue  # a piece of a longer caption of the list
        if word_count(text) < 3 or len(text) < 12 or cues.boilerplate.match(text) or \
                cues.heading_only.match(text) or is_dateline(text) or cues.url_or_date.match(text):
            continue
        out.append(text)
    return out


def _body_text(body, *, title: str | None, captions: list[str], description: str | None,
               decks: list[str] = ()) -> tuple[list[str], list[str], bool]:
    """Paragraphs of trafilatura's body after the precision pass, a byline found at its top, and
    whether any kept block reads as prose."""
    blocks = make_blocks(body)
    filter_blocks(blocks, title=title, captions=captions, description=description, decks=decks)
    byline: list[str] = []
    for b in _leading(blocks):
        if not b.drop:
            names = byline_in_line(b.text)
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
    prose = any(b.is_prose for b in blocks if not b.drop)
    return [line for line in lines if any(c.isalnum() for c in line)], byline, prose


def _link_list(paragraphs: list[str], tree: HtmlElement) -> bool:
    """True when most of a prose-less body is the text of the page's links (a listing page)."""
    anchors = {norm(" ".join(a.itertext())) for a in tree.iter("a")}
    keys = [norm(p) for p in paragraphs]
    linked = sum(len(k) for k in keys if k in anchors)
    return linked >= LINK_LIST_SHARE * sum(len(k) for k in keys)


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


def _outlet(tree: HtmlElement, page: PageMeta, url: str | None) -> str | None:
    name = _unescape(page.site_name) or _unescape(_safe(extract_sitename, tree))
    if name:
        return name.lstrip("@")
    host = urlsplit(url).hostname if url else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return None


def _dates(tree: HtmlElement, page: PageMeta, url: str | None) -> tuple[str | None, str | None]:
    """(published, modified): htmldate's original date, made precise by the page's own markers;
    the modified date only from explicit markers, and only when later than the published one."""
    try:
        found = normalize_date(find_date(tree, url=url, original_date=True, extensive_search=True,
                                         max_date=date.today().isoformat()))
    except (RecursionError, ValueError, TypeError) as err:
        log.debug("htmldate failed: %s", err)
        found = None
    published = found
    if page.published and (not found or page.published[:10] == found[:10]):
        published = page.published
    modified = page.modified
    if modified and published and modified[:19] <= published[:19]:
        modified = None
    return published, modified
