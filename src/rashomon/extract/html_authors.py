"""Author names of an HTML article: the byline shown with the headline, then declared metadata.

trafilatura keeps one author string (often the first author only, several names glued together, a
role or a handle). Pages credit authors in several places: the visible byline near the headline
(``rel=author`` links, ``itemprop=author``, elements whose class names a byline), a "By ..." line
at the top of the body, schema.org JSON-LD and ``<meta name=author>``-style tags (which also name
CMS accounts nobody sees), and author boxes or teasers elsewhere on the page. The rule follows
the general byline convention: the credit printed with the article wins; declared metadata counts
when its names are shown on the page; a credit that is not a person (agency, desk, outlet, account)
is kept only when no person is credited. Bylines are split into names with
``metadata.split_authors``; handles, e-mails, URLs, dates and roles are removed. Hand-written: the
conventions are general, a learned list of names would not carry over to other sites.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from html import unescape
from typing import Any, Callable, Iterable

from lxml.html import HtmlElement

from rashomon.extract.html_body import is_dateline, load_cues
from rashomon.extract.metadata import split_authors

log = logging.getLogger(__name__)

_HANDLE = re.compile(r"(?:^|\s)@\w+|\S+@\S+\.\w+|https?://\S+|www\.\S+")
_PAREN = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
_DIGIT = re.compile(r"\d")
_BYLINE_LINE = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+\S", re.I)
_BY = re.compile(r"\b(?:by|von|par|por)\s+(?=\w)", re.I)
_WEEKDAY_TAIL = re.compile(r"\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b.*$", re.I)
_ROLE_WORDS = {
    "reporter", "correspondent", "editor", "writer", "columnist", "contributor", "producer",
    "photographer", "analyst", "intern", "senior", "chief", "political", "deputy", "managing", "associate",
    "contributing", "special", "freelance", "journalist", "author", "host", "anchor",
    "updated", "published", "posted", "read", "minutes", "min", "ago", "share", "follow", "email", "is", "was",
}
_NOT_IN_NAMES = re.compile(r"['’]s\b|[‘“”\"«»:?!]")
_DETERMINERS = {"the", "a", "an", "this", "these", "those", "our", "his", "her", "their", "its", "my", "your"}
_LOWER_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la", "le",
                    "du", "bin", "ibn", "al", "el", "y", "e", "ter", "ten", "zu", "st."}
_META_BYLINE = re.compile(
    r"\b(?:posted|published|written|reported|publicado|escrito|pubblicato|scritto|publié|écrit|veröffentlicht|"
    r"geschrieben)\s+(?:by|por|da|di|par|von)\s*:?\s*([^|•·\-–—\d][^|•·–—\d]{1,60}?)(?=\s+[|•·\-–—]\s|\s*$|\s+\d)",
    re.I)


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], frozenset[str], dict[str, str], re.Pattern]:
    raw = load_cues().raw
    labels = "|".join(re.escape(w) for w in raw["byline_labels"])
    about = "|".join(re.escape(w) for w in raw["byline_about"])
    prefix = re.compile(rf"^\s*(?:(?:{labels})\s*[:：]\s*|(?:{about})\s+)", re.I)
    return (frozenset(w.casefold() for w in raw["not_a_name"]), frozenset(w.casefold() for w in raw["credit_words"]),
            {a.casefold(): a for a in raw["agencies"]}, prefix)


@lru_cache(maxsize=1)
def _tail_junk() -> re.Pattern:
    """Link labels printed after a name in bylines ("View More Articles", "Full Bio")."""
    return re.compile(rf"\s+(?:{'|'.join(load_cues().raw['byline_tail_junk'])})\s*$", re.I)


def clean_name(name: str) -> str | None:
    """One author name tidied (labels, handles, brackets and roles removed; ALL CAPS fixed), or None."""
    not_a_name, _, agencies, prefix = _cues()
    name = unicodedata.normalize("NFC", name).replace("\u00a0", " ")
    name = prefix.sub("", name)
    name = _HANDLE.sub(" ", name)
    name = _PAREN.sub(" ", name)
    name = _WEEKDAY_TAIL.sub("", name)
    name = _tail_junk().sub("", " ".join(name.split()))
    name = " ".join(name.split()).strip(" .,:;|-–—·•/")
    if not name or len(name) < 2 or len(name) > 60:
        return None
    words = name.split()
    if _DIGIT.search(name) and (len(words) > 1 or not any(c.isalpha() for c in name)):
        return None  # dates and times; a one-word account name such as "rmb8090" stays
    if name.casefold() in not_a_name:
        return None
    if name.casefold() in agencies:
        return agencies[name.casefold()]
    if len(words) > 5:
        return None
    if _NOT_IN_NAMES.search(name):
        return None  # a possessive, quotes or a colon: a headline or a phrase ("Jane's Recent Stories")
    low = [w.casefold().strip(".,") for w in re.split(r"[\s\-]+", name)]
    if low[0] in _DETERMINERS and len(words) <= 2 and not is_credit(name):
        return None  # "the Russian": a phrase, not a name
    if any(w in _ROLE_WORDS for w in low):
        return None
    letters = [c for c in name if c.isalpha() and c.isascii()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        name = " ".join(w if w.casefold() in _LOWER_PARTICLES else w.capitalize() for w in words)
    cased = [w for w in name.split() if w[:1].isalpha() and w[:1].isascii()]
    lower = [w for w in cased if w[0].islower() and w.casefold() not in _LOWER_PARTICLES]
    if len(cased) > 1 and lower and not is_credit(name):
        return None  # "defense ministries", "the team": a Latin-script name is capitalised
    return name


def is_credit(name: str) -> bool:
    """True for credits that are not a person: agency, desk, staff, CMS account ("Admin")."""
    _, credit_words, agencies, _ = _cues()
    if name.casefold() in agencies:
        return True
    return any(w.casefold().strip(".,") in credit_words for w in name.split()) or \
        any(w in name.casefold() for w in ("admin", "desk"))


def names_from_byline(text: str) -> list[str]:
    """Clean names from one byline string."""
    _, _, _, prefix = _cues()
    text = prefix.sub("", text.strip())
    out = []
    for part in split_authors(text):
        name = clean_name(part)
        if name:
            out.append(name)
    return out


def names_from_jsonld(values: Iterable[Any], *, publisher: str | None) -> tuple[list[str], list[str]]:
    """(person names, organisation names) from JSON-LD ``author`` values."""
    persons: list[str] = []
    orgs: list[str] = []
    stack = list(values)
    while stack:
        v = stack.pop(0)
        if isinstance(v, list):
            stack[:0] = v
            continue
        if isinstance(v, str):
            if not v.startswith(("http://", "https://")):
                persons.extend(names_from_byline(v))
            continue
        if not isinstance(v, dict):
            continue
        kind = str(v.get("@type", "")).casefold()
        name = v.get("name")
        if isinstance(name, list):
            stack[:0] = name
            continue
        if not isinstance(name, str) or not name.strip():
            parts = [v.get(k) for k in ("givenName", "additionalName", "familyName")]
            name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
        if not name:
            continue
        if "organization" in kind or "organisation" in kind:
            if not publisher or name.casefold() != publisher.casefold():
                orgs.append(" ".join(name.split()))
        else:
            persons.extend(names_from_byline(name))
    return persons, orgs


def element_byline_text(el: HtmlElement) -> str:
    """Text of a byline element without its dates, times and screen-reader labels."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                cls = f"{child.get('class') or ''} {child.get('itemprop') or ''}".casefold()
                skip = child.tag in ("time", "script", "style", "button", "svg", "img") or any(
                    t in cls for t in ("date", "time", "publish", "updated", "sr-only", "visually-hidden"))
                if not skip:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    if el.tag == "meta":
        parts = [el.get("content") or ""]
    return " ".join(" ".join(parts).split())


def choose_authors(near: list[str], body_byline: list[str], declared: list[str], far: list[str],
                   *, shown: Callable[[str, bool], bool], is_site: Callable[[str], bool]) -> list[str]:
    """Pick the article's authors from the sources, most trusted first.

    ``near``: names of the byline printed with the headline; ``body_byline``: a "By ..." line at the
    top of the body; ``declared``: JSON-LD (else meta-tag) names; ``far``: other byline elements of
    the page (author boxes, teasers). A person beats any credit; declared names count when
    ``shown(name, anywhere)`` says the page prints them (with the headline, else anywhere);
    outlet, agency, desk and account credits only when no person is credited.
    """
    spelled = {_squash(n): n for n in declared if not _all_caps(n)}

    def persons(names: list[str]) -> list[str]:
        found = [spelled.get(_squash(n), n) for n in _dedupe(names) if not is_credit(n) and not is_site(n)]
        return _drop_affiliations(found)

    for source in (near, body_byline):
        found = persons(source)
        if found and not (all(" " not in n for n in found) and any(is_agency(n) for n in source)):
            return found  # (a lone word beside an agency is a dateline city: "Reuters, Washington")
    found = [n for n in persons(declared) if shown(n, False)]
    if found:
        return found
    for source in (near + body_byline, [n for n in declared if shown(n, False)]):
        credits = _dedupe([n for n in source if is_credit(n) or is_site(n)])
        if credits:
            agencies = [n for n in credits if is_agency(n)]
            return (agencies or credits)[:1]
    found = [n for n in persons(declared) if shown(n, True)]
    if found:
        return found
    others = persons(far)
    if len(others) == 1:
        return others  # an author box or sign-off elsewhere on the page
    credits = _dedupe([n for n in far if is_credit(n) or is_site(n)])
    return credits if len(credits) == 1 else []


def is_agency(name: str) -> bool:
    """True for a news agency (Reuters, AP, AFP...)."""
    return name.casefold() in _cues()[2]


_DOMAIN = re.compile(r"\w\.(?:com|net|org|co|news|info|tv|de|fr|it|es|br|uk|ru|jp|kr|in)\b", re.I)


def _drop_affiliations(names: list[str]) -> list[str]:
    """Drop an outlet credited after a person ("Jane Roe, Futurism", "... for NJ.com"): one-word
    entries beside a full name, and names holding a web address or " for <outlet>"."""
    full = [n for n in names if " " in n and not _DOMAIN.search(n)]
    if not full:
        return names
    return [n for n in names if n in full and not re.search(r"\sfor\s", n)]


def _squash(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name).casefold() if c.isalnum())


def _all_caps(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).casefold()
    return " ".join("".join(c for c in text if c.isalnum() or c.isspace()).split())


def _dedupe(names: list[str]) -> list[str]:
    out: list[str] = []
    keys: list[str] = []
    for n in names:
        k = _key(n)
        if not k:
            continue
        # "Jane Roe" and "Jane A. Roe": the same person written twice; the longer form wins
        dup = next((i for i, old in enumerate(keys) if old == k or _extends(old, k) or _extends(k, old)), None)
        if dup is None:
            out.append(n)
            keys.append(k)
        elif len(k) > len(keys[dup]) and _extends(keys[dup], k):
            out[dup], keys[dup] = n, k
    return out


def _extends(short: str, long: str) -> bool:
    """True when every word of ``short`` is a word of ``long`` (same person written longer)."""
    s, l = short.split(), long.split()
    return len(s) >= 2 and len(s) < len(l) and all(w in l for w in s)


def byline_in_line(text: str) -> list[str] | None:
    """Names when a short body line is a byline ("By Jane Roe", "12/05 - Posted by: Jane Roe - ..."),
    else None (the line is not a byline)."""
    if len(text.split()) > 25:
        return None
    if _BYLINE_LINE.match(text) and len(text.split()) <= 14:
        return names_from_byline(text) or None
    m = _BY.search(text)
    if m and m.start() > 0 and is_dateline(text[:m.start()]) and len(text[m.start():].split()) <= 14:
        return names_from_byline(text[m.start():]) or None
    m = _META_BYLINE.search(text)
    if m:
        return names_from_byline(m.group(1)) or None
    return None


# ---------------------------------------------------------------------------- the page's authors

_INVISIBLE = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<head\b.*?</head\s*>|<[^>]+>",
                        re.I | re.S)


def page_authors(bylines: list[HtmlElement], *, ld_authors: list[Any], meta_authors: list[str],
                 body_byline: list[str], site: Any, publisher: str | None, start: HtmlElement | None,
                 end: HtmlElement | None, html: str) -> list[str]:
    """Authors of the page: byline elements between the headline (``start``) and the first body
    paragraph (``end``) first, then the sources of ``choose_authors``."""
    near: list[str] = []
    far: list[str] = []
    start_path = _path(start) if start is not None else None
    end_path = _path(end) if end is not None else None
    above_named: set[HtmlElement] = set()   # ancestors of elements whose byline gave names
    found: list[tuple[list[int], list[str]]] = []
    paths = {el: _path(el) for el in bylines}
    for el in sorted(bylines, key=lambda e: -len(paths[e])):  # innermost first
        if el in above_named or _story_link(el):
            continue  # a byline box whose name links were read already; a teaser's headline
        text = element_byline_text(el)
        names = names_from_byline(text) if 0 < len(text) <= 200 else []
        if len(names) > 3 and len(text) > 100:
            names = names[:1]  # an author card listing the author's recent stories
        if names:
            above_named.update(el.iterancestors())
            found.append((paths[el], names))
    for p, names in sorted(found):
        inside = (start_path is None or p > start_path) and (end_path is None or p < end_path)
        (near if inside else far).extend(names)
    if len({_key(n) for n in near}) > 6:  # a list of teasers, not a byline
        far, near = far + near, []
    ld_persons, _ = names_from_jsonld(ld_authors, publisher=publisher)
    declared = list(ld_persons)
    if not declared:
        for value in meta_authors:
            declared.extend(names_from_byline(value))
    if not near and start is not None:
        near = region_byline(start, end)
    visible: list[str] = []

    def shown(name: str, anywhere: bool) -> bool:
        """The page prints the name: between the headline and a little after the first paragraph
        (or, with ``anywhere``, anywhere in its visible text)."""
        if not visible:
            text = " ".join(unescape(_INVISIBLE.sub(" ", html)).casefold().split())
            lo = text.find(" ".join(" ".join(start.itertext() if start is not None else ()).casefold().split()))
            para = " ".join(" ".join(end.itertext() if end is not None else ()).casefold().split())[:60]
            hi = text.find(para, max(lo, 0)) if para else -1
            visible.extend([text[max(lo, 0):hi + REGION_SLACK] if lo >= 0 and hi >= 0 else text, text])
        return " ".join(name.casefold().split()) in visible[1 if anywhere else 0]

    return choose_authors(near, body_byline, declared, far, shown=shown, is_site=site.matches)


REGION_SLACK = 400  # characters after the first paragraph's start where a byline may still sit
_PHOTO_BY = re.compile(r"\b(?:photo|photos|image|picture|foto|illustration|video|graphic)s?\s+by\s*$", re.I)


def region_byline(start: HtmlElement, end: HtmlElement | None, max_lines: int = 30) -> list[str]:
    """Names from a "by ..." line printed between the headline element and the first paragraph
    (for bylines without any class, such as "Posted on March 30, 2015 by Admin")."""
    lines: list[str] = []
    stop = set(end.iterancestors()) | {end} if end is not None else set()
    node = start
    while node is not None and len(lines) < max_lines:
        nxt = node.getnext()
        while nxt is None:
            node = node.getparent()
            if node is None or node in stop:
                return _by_names(lines)
            nxt = node.getnext()
        node = nxt
        if node in stop:
            # walk into the ancestor of the first paragraph, up to the paragraph itself
            for el in node.iter():
                if el is end:
                    return _by_names(lines)
                if isinstance(el.tag, str) and el.text and el.text.strip():
                    lines.append(el.text.strip())
            return _by_names(lines)
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript", "template"):
            text = " ".join(" ".join(node.itertext()).split())
            if text:
                lines.append(text)
    return _by_names(lines)


def _by_names(lines: list[str]) -> list[str]:
    for line in lines:
        if len(line.split()) > 25:
            continue
        m = _BY.search(line)
        if m and len(line[:m.start()].split()) <= 6 and not _PHOTO_BY.search(line[:m.end()].rstrip()):
            rest = re.split(r"\s[|•·–—]\s|\s-\s", line[m.start():])[0]
            names = names_from_byline(rest)
            if names:
                return names
    return []


_STORY_HREF = re.compile(r"/(?:19|20)\d\d/|[^/]*-[^/]*-[^/]*-[^/]*-[^/]*/?(?:[?#].*)?$")


def _story_link(el: HtmlElement) -> bool:
    """True when the element's links all lead to stories (dated paths or long hyphenated slugs),
    as in a list of the author's recent stories, not to an author page."""
    hrefs = [a.get("href") or "" for a in el.iter("a")]
    return bool(hrefs) and all(_STORY_HREF.search(h.split("?")[0]) for h in hrefs)


def _path(el: HtmlElement) -> list[int]:
    """Child indices from the root to ``el``: comparing two paths compares page order."""
    out = []
    parent = el.getparent()
    while parent is not None:
        out.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return out[::-1]
