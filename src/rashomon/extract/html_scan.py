"""Find the page's byline and caption elements cheaply.

XPath with case-insensitive ``contains()`` tests costs about 30 ms a page; fetching the elements
that carry a class/id (one plain XPath) and testing each distinct class/id string once with a
compiled pattern costs about 1 ms. The cue words come from ``data/html_cues.json``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml.etree import XPath
from lxml.html import HtmlElement

from rashomon.extract.html_body import load_cues

log = logging.getLogger(__name__)

SKIP_TAGS = {"meta", "link", "script", "style", "img", "body", "html", "head", "noscript", "svg", "path",
             "source", "picture", "iframe", "input", "button", "template"}


@dataclass
class PageScan:
    """Elements of interest, in document order."""

    bylines: list[HtmlElement] = field(default_factory=list)   # nested matches included
    captions: list[HtmlElement] = field(default_factory=list)
    decks: list[HtmlElement] = field(default_factory=list)     # kickers, standfirsts, subtitles


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    raw = load_cues().raw
    alt = lambda words: "|".join(re.escape(w) for w in words)  # noqa: E731
    # Deck words are whole class tokens ("dek", not "desk"): bounded by start, end, space, - or _.
    deck = "|".join(re.escape(w) for w in raw["deck_tokens"])
    return (re.compile(alt(raw["byline_tokens"])), re.compile(alt(raw["byline_exclude_tokens"])),
            re.compile(alt(raw["caption_tokens"])), re.compile(rf"(?:^|[\s_-])(?:{deck})(?:$|[\s_-])"))


_CANDIDATES = XPath("//*[@class or @id or @itemprop or @rel or @data-testid] | //figcaption")


def scan_page(tree: HtmlElement) -> PageScan:
    """Byline candidates (``rel=author``, ``itemprop=author``, byline class/id), caption
    elements (``figcaption``, ``itemprop=caption``, caption/credit class/id) and the headline's
    companions (kicker, standfirst, subtitle class/id) of the page."""
    byline_re, exclude_re, caption_re, deck_re = _patterns()
    verdicts: dict[str, int] = {}   # class/id string -> 0 nothing, 1 byline, 2 caption, 3 deck
    scan = PageScan()
    for el in _CANDIDATES(tree):
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            continue
        prop = el.get("itemprop")
        if tag == "figcaption" or prop == "caption":
            scan.captions.append(el)
            continue
        rel = el.get("rel")
        if prop in ("author", "creator") or (rel and "author" in rel.casefold().split()):
            scan.bylines.append(el)
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-testid') or ''}"
        verdict = verdicts.get(names)
        if verdict is None:
            low = names.casefold()
            verdict = (1 if byline_re.search(low) and not exclude_re.search(low)
                       else 2 if caption_re.search(low) and not byline_re.search(low)
                       else 3 if deck_re.search(low) else 0)
            verdicts[names] = verdict
        if verdict == 1:
            scan.bylines.append(el)
        elif verdict == 2:
            scan.captions.append(el)
        elif verdict == 3:
            scan.decks.append(el)
    return scan
