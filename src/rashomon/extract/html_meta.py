"""Page metadata the HTML extractor reads itself: JSON-LD, meta tags, language, dates, headline.

trafilatura gives one date (htmldate's "original" date) and one author string; rashomon keeps the
published and modified dates apart and needs every author, so this module reads the explicit page
markers (schema.org JSON-LD, ``article:published_time``/``modified_time``, ``itemprop``) once from the
parsed tree. Hand-written because these markers are standard vocabularies: there is nothing to learn.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Iterator
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from rashomon.extract.html_body import norm

log = logging.getLogger(__name__)

# schema.org types whose fields describe the article itself (lower-case).
ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle", "satiricalarticle", "webpage",
    "itempage", "medicalwebpage", "advertisercontentarticle", "posting", "creativework",
}
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                  "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
                  "sailthru.date", "parsely-pub-date", "article.published", "published_time",
                  "og:published_time", "citation_publication_date")
MODIFIED_META = ("article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
                 "lastmod", "last-modified", "dc.date.modified", "dcterms.modified", "article.updated",
                 "modified_time", "og:modified_time", "revised", "article:modified")
AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator",
               "parsely-author", "sailthru.author", "byl", "citation_author", "twitter:creator", "cxenseparse:author",
               "article.author")
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
LANG_META = ("content-language", "language", "og:locale", "dc.language", "inlanguage")
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_LANG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$", re.I)


@dataclass
class PageMeta:
    """What the page declares about itself (empty fields when it says nothing)."""

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    ld_authors: list[Any] = field(default_factory=list)      # JSON-LD author values (str/dict/list)
    meta_authors: list[str] = field(default_factory=list)    # meta-tag author strings
    ld_publisher: str | None = None
    url: str | None = None                                   # canonical URL


def iter_jsonld(tree: HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's JSON-LD scripts, ``@graph`` members included."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # unescaped control characters are the usual fault
                data = json.loads(re.sub(r"[\x00-\x1f]+", " ", raw))
            except ValueError:
                log.debug("unreadable JSON-LD block skipped")
                continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
                main = item.get("mainEntity")
                if isinstance(main, dict):
                    stack.append(main)


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", "")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower().rsplit("/", 1)[-1] for x in items}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time from a page marker (``2024-01-29T15:49:00+02:00``), else None."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    day, time, zone = m.groups()
    if not time:
        return day
    if len(time) == 5:
        time += ":00"
    if zone and zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return f"{day}T{time}{zone or ''}"


def normalize_language(value: str | None) -> str | None:
    """Primary language subtag in lower case (``en-GB`` -> ``en``), or None."""
    if not value:
        return None
    m = _LANG.match(value.strip())
    return m.group(1).lower() if m else None


def read_page_meta(tree: HtmlElement) -> PageMeta:
    """Read JSON-LD, ``<meta>`` and ``<html lang>`` markers of a parsed page."""
    meta = PageMeta()
    article_seen = False
    for obj in iter_jsonld(tree):
        types = _types(obj)
        if not types & ARTICLE_TYPES:
            if "website" in types and not meta.site_name:
                meta.site_name = _text(obj.get("name"))
            continue
        # The first article-like object describes the page; a WebPage only fills gaps.
        strong = bool(types - {"webpage", "itempage", "medicalwebpage", "creativework"})
        if article_seen and not strong:
            continue
        if strong and not article_seen:
            article_seen = True
            meta.published = normalize_date(_text(obj.get("datePublished"))) or meta.published
            meta.modified = normalize_date(_text(obj.get("dateModified"))) or meta.modified
            meta.title = _text(obj.get("headline")) or meta.title
            if obj.get("author"):
                meta.ld_authors.append(obj["author"])
            elif obj.get("creator"):
                meta.ld_authors.append(obj["creator"])
            meta.ld_publisher = _text(obj.get("publisher")) or meta.ld_publisher
            meta.language = normalize_language(_text(obj.get("inLanguage"))) or meta.language
        else:
            meta.published = meta.published or normalize_date(_text(obj.get("datePublished")))
            meta.modified = meta.modified or normalize_date(_text(obj.get("dateModified")))
            meta.language = meta.language or normalize_language(_text(obj.get("inLanguage")))
    _read_meta_tags(tree, meta)
    for link in tree.iterfind(".//link[@rel='canonical']"):
        href = (link.get("href") or "").strip()
        if href.startswith(("http://", "https://")):
            meta.url = href
            break
    root_lang = normalize_language(tree.get("lang") or tree.get("xml:lang"))
    if root_lang:  # the page's own declaration wins over JSON-LD and meta
        meta.language = root_lang
    return meta


def _read_meta_tags(tree: HtmlElement, meta: PageMeta) -> None:
    published = modified = None
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
        if not key:
            continue
        content = el.get("content") or el.get("datetime") or ""
        content = " ".join(content.split())
        if not content:
            continue
        if key in PUBLISHED_META and not published:
            published = normalize_date(content)
        elif key in MODIFIED_META and not modified:
            modified = normalize_date(content)
        elif key in AUTHOR_META:
            if not content.startswith(("http://", "https://", "www.")):
                meta.meta_authors.append(content)
        elif key in SITE_META and not meta.site_name and not content.startswith("http"):
            meta.site_name = content.lstrip("@") if key != "twitter:site" else None
        elif key in LANG_META and not meta.language:
            meta.language = normalize_language(content)
        elif key in ("description", "og:description", "twitter:description") and not meta.description:
            meta.description = content
        elif key in ("og:title", "twitter:title", "headline") and not meta.title:
            meta.title = content
        elif key == "og:url" and not meta.url and content.startswith(("http://", "https://")):
            meta.url = content
    meta.published = meta.published or published
    meta.modified = meta.modified or modified
    if not meta.modified:
        for el in tree.iterfind('.//*[@itemprop="dateModified"]'):
            meta.modified = normalize_date(el.get("content") or el.get("datetime") or "".join(el.itertext()))
            if meta.modified:
                break


# ---------------------------------------------------------------------------- outlet and headline

_SEPARATOR = re.compile(r"\s+[|–—\-:·•»/]\s+|\s*[|｜]\s*")
_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af]")
_NOT_TITLE_ANCESTORS = {"nav", "footer", "aside", "form", "button"}


def squash(text: str | None) -> str:
    """Letters and digits only, lower case: "Business Insider" -> "businessinsider"."""
    return "".join(c for c in (text or "").casefold() if c.isalnum())


class SiteNames:
    """The names a site goes by (outlet, publisher, host), to tell the site's own credit from a
    person's name and to strip " | Site" from titles."""

    def __init__(self, *names: str | None, url: str | None = None) -> None:
        keys = [squash(n) for n in names if n]
        keys += [squash(n[4:]) for n in names if n and n.casefold().startswith("the ")]
        host = urlsplit(url).hostname if url else None
        if host:
            host = host[4:] if host.startswith("www.") else host
            keys += [squash(host), squash(host.rsplit(".", 1)[0]), squash(host.split(".")[-2] if "." in host else host)]
        self.keys = [k for k in dict.fromkeys(keys) if len(k) >= 3]

    def matches(self, text: str) -> bool:
        """"Business Insider" vs outlet "Business Insider Deutschland" or host "businessinsider.de"."""
        k = squash(text)
        if len(k) < 3:
            return False
        words = text.split()
        if len(words) >= 2 and squash(words[0]) in self.keys:
            return True  # the outlet's own credit: "CNN Business", "IGN Staff"
        return any(k == s or (len(k) >= 5 and len(s) >= 5 and max(len(k), len(s)) <= 2 * min(len(k), len(s))
                              and (s.startswith(k) or k.startswith(s))) for s in self.keys)


def strip_site(title: str | None, site: SiteNames) -> str | None:
    """A declared title without the site name before or after a separator ("Title | Site")."""
    if not title:
        return title
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATOR.findall(title)
    while len(parts) > 1 and site.matches(parts[-1]):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and site.matches(parts[0]):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip() or title


def headline(tree: HtmlElement, declared: list[str], site: SiteNames) -> tuple[str | None, HtmlElement | None]:
    """The visible headline and its element: the page's ``h1`` when it is the article's headline,
    else the declared title without the site name.

    Declared titles (``<title>``, ``og:title``, JSON-LD) often carry the site name or a section
    ("Opinion | ..."), or are worded for search engines; the ``h1`` is what readers see.
    """
    declared = [d for d in declared if d]
    keys = [norm(d) for d in declared]
    candidates = []
    for h1 in islice(tree.iter("h1"), 6):
        text = " ".join(" ".join(h1.itertext()).split())
        key = norm(text)
        words = len(key.split())
        long_enough = words >= 3 or (_CJK_CHAR.search(key) and len(key) >= 6)
        if not key or not long_enough or words > 40 or site.matches(text):
            continue
        if any(a.tag in _NOT_TITLE_ANCESTORS for a in h1.iterancestors()):
            continue
        candidates.append((text, key, h1))
    for text, key, h1 in candidates:
        if any(key == d or (key in d and len(key) >= 0.4 * len(d)) or (d in key and len(d) >= 0.6 * len(key))
               for d in keys):
            return text, h1
    for text, key, h1 in candidates:  # reworded for search engines: some content words shared
        words = _content_words(key)
        if words and any(len(words & _content_words(d)) >= 0.3 * len(words) for d in keys):
            return text, h1
    if len(candidates) == 1 and not keys:
        return candidates[0][0], candidates[0][2]
    title = next((strip_site(d, site) for d in declared), None)
    return title, _element_of(tree, title)


def _content_words(key: str) -> set[str]:
    """Words of four letters or more (CJK text: its characters), to compare two wordings."""
    words = {w for w in key.split() if len(w) >= 4}
    return words or set(_CJK_CHAR.findall(key))


def _element_of(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The heading that shows ``title`` (where the byline search starts), if any."""
    key = norm(title or "")
    if not key:
        return None
    for el in islice(tree.iter("h1", "h2", "h3"), 60):
        k = norm(" ".join(el.itertext()))
        if k and (k == key or (len(k) >= 0.8 * len(key) and (k in key or key in k))):
            return el
    return None
