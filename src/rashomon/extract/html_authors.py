"""Author names of an HTML article, from every place a page declares them.

trafilatura keeps one author string (often the first author only, or several names glued
together, or a desk/handle). Pages declare authors in four places, in decreasing order of trust:
schema.org JSON-LD (``author`` of the article object), the visible byline (``rel=author`` links,
``itemprop=author``, elements whose class names a byline), ``<meta name=author>``-style tags, and a
"By ..." line at the top of the body. This module reads them all, splits bylines into names with
``metadata.split_authors`` and drops what is not a person (handles, e-mails, URLs, dates, roles,
desks; agencies only when a person is named). The rules follow general byline conventions and are
hand-written: they hold on sites we never see, where a learned list of names would not.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any, Iterable

from lxml.html import HtmlElement

from rashomon.extract.html_body import is_dateline, load_cues
from rashomon.extract.metadata import split_authors

log = logging.getLogger(__name__)

_HANDLE = re.compile(r"(?:^|\s)@\w+|\S+@\S+\.\w+|https?://\S+|www\.\S+")
_PAREN = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
_DIGIT = re.compile(r"\d")
_BYLINE_LINE = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+\S", re.I)
_ROLE_WORDS = {
    "reporter", "correspondent", "editor", "writer", "columnist", "contributor", "producer", "staff",
    "photographer", "analyst", "intern", "senior", "chief", "political", "deputy", "managing", "associate",
    "contributing", "special", "freelance", "journalist", "author", "host", "anchor", "desk", "bureau",
    "updated", "published", "posted", "read", "minutes", "min", "ago", "share", "follow", "email",
}
_LOWER_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la", "le",
                    "du", "bin", "ibn", "al", "el", "y", "e", "ter", "ten", "zu", "st."}


def _cue_sets() -> tuple[set[str], set[str], dict[str, str]]:
    raw = load_cues().raw
    agencies = {a.casefold(): a for a in raw["agencies"]}
    return {w.casefold() for w in raw["not_a_name"]}, {w.casefold() for w in raw["desk_words"]}, agencies


def clean_name(name: str) -> str | None:
    """One author name tidied (handles, brackets, role words removed; ALL CAPS fixed), or None."""
    not_a_name, desk_words, agencies = _cue_sets()
    name = unicodedata.normalize("NFC", name)
    name = _HANDLE.sub(" ", name)
    name = _PAREN.sub(" ", name)
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" .,:;|-–—·•/")
    if not name or len(name) < 2 or len(name) > 60 or _DIGIT.search(name):
        return None
    if name.casefold() in not_a_name:
        return None
    if name.casefold() in agencies:
        return agencies[name.casefold()]
    words = name.split()
    if len(words) > 5:
        return None
    low = [w.casefold().strip(".,") for w in words]
    if any(w in _ROLE_WORDS for w in low) and not any(w in desk_words for w in low):
        return None
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters if c.isascii()) and any(c.isascii() for c in letters) and len(name) > 3:
        name = " ".join(w if w.casefold() in _LOWER_PARTICLES else w.capitalize() for w in words)
    cased = [w for w in name.split() if w[:1].isalpha() and w[:1].isascii()]
    if cased and not any(w[0].isupper() for w in cased):
        return None  # a Latin-script name has at least one capital ("the team", "admin")
    return name


def is_desk(name: str) -> bool:
    """True for desk/staff bylines ("The Kyiv Independent news desk", "Web Desk", "Staff")."""
    _, desk_words, _ = _cue_sets()
    return any(w.casefold().strip(".,") in desk_words for w in name.split())


def is_agency(name: str) -> bool:
    """True for news-agency bylines (Reuters, AP, AFP...)."""
    return name.casefold() in _cue_sets()[2]


def names_from_byline(text: str) -> list[str]:
    """Clean names from one byline string."""
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
            if v.startswith(("http://", "https://")):
                continue
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


def choose_authors(ld_persons: list[str], ld_orgs: list[str], visible: list[str], meta: list[str],
                   body_byline: list[str], fallback: list[str]) -> list[str]:
    """Merge the sources: the most trusted non-empty one leads; the others add names only when the
    visible byline confirms them. Desks go when a person is named; agencies stay only alone."""
    visible_keys = {_key(n) for n in visible + body_byline}
    ordered = [ld_persons, visible, body_byline, meta, fallback]
    lead = next((src for src in ordered if src), [])
    names = list(lead)
    for src in ordered:
        for n in src:
            if _key(n) in visible_keys:
                names.append(n)
    names = _dedupe(names)
    persons = [n for n in names if not is_desk(n) and not is_agency(n)]
    if persons:
        return persons
    agencies = [n for n in names if is_agency(n)] or [n for n in ld_orgs if is_agency(n)]
    if agencies:
        return _dedupe(agencies)
    return _dedupe([n for n in names if is_desk(n)])[:1] if names else []


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
        # "Jane Roe" and "Jane Roe Smith" or "J. Roe": keep the first, longer one wins if it extends it
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


_BY = re.compile(r"\b(?:by|von|par|por)\s+(?=\w)", re.I)
_META_BYLINE = re.compile(
    r"\b(?:posted|published|written|reported|publicado|escrito|pubblicato|scritto|publié|écrit|veröffentlicht|"
    r"geschrieben)\s+(?:by|por|da|di|par|von)\s*:?\s*([^|•·\-–—\d][^|•·–—\d]{1,60}?)(?=\s+[|•·\-–—]\s|\s*$|\s+\d)",
    re.I)


def byline_in_line(text: str) -> list[str] | None:
    """Names when a short body line is a byline ("By Jane Roe", "12/05 - Posted by: Jane Roe - ..."),
    else None (the line is not a byline)."""
    if len(text.split()) > 25:
        return None
    if _BYLINE_LINE.match(text) and len(text.split()) <= 14:
        names = names_from_byline(text)
        return names or None
    m = _BY.search(text)
    if m and m.start() > 0 and is_dateline(text[:m.start()]) and len(text[m.start():].split()) <= 14:
        names = names_from_byline(text[m.start():])
        return names or None
    m = _META_BYLINE.search(text)
    if m:
        names = names_from_byline(m.group(1))
        return names or None
    return None
