"""Precision pass over trafilatura's body: drop boilerplate blocks, captions and repeats.

trafilatura returns the article as a small XML tree of blocks (``p``, ``head``, ``list``, ``quote``,
``table``...). Users complain about what it keeps: newsletter boxes, "Read more"/"Recommended" lists,
share bars, photo captions and credits, the headline repeated at the top, timestamps, legal lines.
This pass looks at each block with a few plain features (text, word count, share of link text,
position) and drops it when a cue from ``data/html_cues.json`` matches. The rules are written by hand
from general web conventions, so they carry over to sites we never see; nothing here is specific to
a site. The few numbers below were set by hand; ``benchmarks/html_extraction_cv.py`` checks them by
cross-validation on the Zyte benchmark.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml.etree import Element, _Element

log = logging.getLogger(__name__)

# Repeated blocks: a run of repeats is dropped from REPEAT_RUN_WORDS words, a lone repeat only from
# REPEAT_LONG_WORDS (see ``_repeats``).
REPEAT_RUN_WORDS = 100
REPEAT_LONG_WORDS = 40
# A block whose text is more than this share link text is a link list unless it reads as prose.
LINK_SHARE = 0.5
SENTENCE_END = re.compile(r"[.!?…:;\"”’»)。！？」』]\s*$")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
_NUMBERISH = re.compile(r"\d+(?:st|nd|rd|th|h|hs|am|pm|º|ª)?")


@dataclass
class Cues:
    """Compiled cue data (see ``data/html_cues.json``)."""

    boilerplate: re.Pattern
    max_words: int
    heading_only: re.Pattern
    url_or_date: re.Pattern
    credit: re.Pattern
    about: re.Pattern
    date_words: frozenset[str]
    raw: dict[str, Any]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read and compile the cue file once per process."""
    raw = json.loads(resources.files("rashomon.extract").joinpath("data/html_cues.json").read_text("utf-8"))
    alt = lambda pats: "|".join(f"(?:{p})" for p in pats)  # noqa: E731
    return Cues(
        boilerplate=re.compile(rf"^(?:{alt(raw['boilerplate_start'])})", re.I),
        max_words=int(raw["boilerplate_max_words"]),
        heading_only=re.compile(rf"^(?:{alt(raw['heading_only'])})\s*$", re.I),
        url_or_date=re.compile(rf"^(?:(?:{alt(raw['only_urls_or_dates'])})[\s|,·•\-–—]*)+$", re.I),
        credit=re.compile(rf"^(?:{alt(raw['credit_line'])})", re.I),
        about=re.compile(rf"^(?:{alt(raw['about_heading'])})\s*:?\s*$", re.I),
        date_words=frozenset(raw["date_words"]),
        raw=raw,
    )


@lru_cache(maxsize=1)
def _word_table() -> dict[int, str]:
    """str.translate table mapping every non-alphanumeric BMP character to a space."""
    return {i: " " for i in range(0x10000) if not chr(i).isalnum()}


def norm(text: str) -> str:
    """Lower-case words only: the key used to compare blocks, titles and captions."""
    return " ".join(text.casefold().translate(_word_table()).split())


@dataclass
class Block:
    """One top-level block of trafilatura's body with the features the rules use."""

    el: _Element
    text: str
    key: str
    words: int
    link_share: float
    drop: str | None = None

    @property
    def is_head(self) -> bool:
        return self.el.tag == "head"

    @property
    def is_prose(self) -> bool:
        """A sentence-like paragraph: long enough and ending like a sentence."""
        return self.words >= 12 and bool(SENTENCE_END.search(self.text)) and self.link_share < 0.5


# Wrappers that fallback extractors leave in trafilatura's body: looked through, not blocks.
CONTAINERS = {"div", "section", "article", "main", "body", "header", "center", "font", "span", "doc"}


def make_blocks(body: _Element) -> list[Block]:
    """Features of each block of the body tree (wrappers such as ``div`` are looked through; loose
    text between blocks becomes a paragraph of its own)."""
    out: list[Block] = []
    _wrap_loose_text(body)
    stack = list(reversed([el for el in body if isinstance(el.tag, str)]))
    while stack:
        el = stack.pop()
        if el.tag in CONTAINERS and len(el) and not _own_text(el, blocks_only=True):
            _wrap_loose_text(el)
            stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
            continue
        glue = " " if el.tag in ("list", "table", "quote", *CONTAINERS) else ""
        text = _WS.sub(" ", glue.join(el.itertext())).strip()
        link = sum(len(_WS.sub(" ", "".join(r.itertext())).strip()) for r in el.iter("ref"))
        out.append(Block(el, text, norm(text), word_count(text), link / len(text) if text else 0.0))
    return out


def word_count(text: str) -> int:
    """Words of a text; scripts written without spaces count one word per two characters."""
    n = len(text.split())
    cjk = len(_CJK.findall(text))
    return max(n, cjk // 2) if cjk else n


BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "graphic", *CONTAINERS}


def _own_text(el: _Element, blocks_only: bool = False) -> bool:
    """True when an element holds text outside its children (then it is read as one block).

    With ``blocks_only``, text beside block children (loose text between paragraphs) does not count:
    it is wrapped into paragraphs of its own instead."""
    if blocks_only and all(c.tag in BLOCK_TAGS for c in el if isinstance(c.tag, str)):
        return False
    if el.text and el.text.strip():
        return True
    return any(c.tail and c.tail.strip() for c in el)


def _wrap_loose_text(parent: _Element) -> None:
    """Loose text between block children becomes ``<p>`` elements (trafilatura leaves some)."""
    if not len(parent) or not all(c.tag in BLOCK_TAGS for c in parent if isinstance(c.tag, str)):
        return
    if parent.text and parent.text.strip():
        p = Element("p")
        p.text, parent.text = parent.text.strip(), None
        parent.insert(0, p)
    for child in list(parent):
        if child.tail and child.tail.strip():
            p = Element("p")
            p.text, child.tail = child.tail.strip(), None
            child.addnext(p)


def is_dateline(text: str) -> bool:
    """A short line holding only a date or time and label words ("Updated at 1:23 p.m.",
    "segunda-feira, 22 de janeiro de 2018 às 0:13", "Posted: Nov. 19, 2019")."""
    if len(text) > 90:
        return False
    tokens = _TOKEN.findall(text.casefold())
    if not tokens or not any(t[0].isdigit() for t in tokens):
        return False
    words = load_cues().date_words
    rest = [t for t in tokens if not _NUMBERISH.fullmatch(t) and t not in words]
    return not rest


def filter_blocks(blocks: list[Block], *, title: str | None, captions: list[str],
                  description: str | None = None, decks: list[str] = ()) -> None:
    """Mark (``Block.drop``) the blocks that are not article text; the reason is kept for logging."""
    cues = load_cues()
    caption_keys = {norm(c) for c in captions if c.strip()}
    title_key = norm(title or "")
    repeats = _repeats(blocks, title_key)
    first_prose = next((i for i, b in enumerate(blocks) if b.is_prose and not b.is_head), len(blocks))
    desc_key = norm(description or "")
    deck_keys = {norm(d) for d in decks if d and d.strip()}
    for i, b in enumerate(blocks):
        if i in repeats:
            b.drop = "repeat"
        elif i <= first_prose and title_key and _is_title(b, title_key):
            b.drop = "title"
        elif i < first_prose and desc_key and (b.is_head or not b.is_prose) and _same_text(b.key, desc_key):
            b.drop = "deck"
        elif i <= first_prose and b.key in deck_keys:
            b.drop = "deck"  # the page marks it as a kicker, standfirst or subtitle
        else:
            b.drop = _block_reason(b, cues, caption_keys)
    _drop_orphan_heads(blocks)
    _drop_about_section(blocks, cues)


def _is_title(b: Block, title_key: str) -> bool:
    """The headline again (or the headline inside a longer "Headline | Site" title, or vice versa)."""
    if b.key == title_key:
        return True
    if b.words < 3 or b.words > 60:
        return False
    if b.key in title_key:
        return len(b.key) >= 0.5 * len(title_key)
    if title_key in b.key:
        return len(b.key) <= len(title_key) + 40 and not b.is_prose
    words, title_words = set(b.key.split()), set(title_key.split())
    return b.words <= 30 and len(words & title_words) >= 0.8 * len(words | title_words)


def _same_text(key: str, other: str) -> bool:
    if key == other:
        return True
    return len(key) >= 30 and len(other) >= 30 and (key in other or other in key) and \
        min(len(key), len(other)) >= 0.6 * max(len(key), len(other))


def _drop_about_section(blocks: list[Block], cues: Cues) -> None:
    """A closing "About the author" / "About <Company>" section (press releases, blogs) goes."""
    kept = [b for b in blocks if not b.drop]
    total = sum(b.words for b in kept)
    seen = 0
    for pos, b in enumerate(kept):
        if b.is_head and seen >= 0.6 * total and b.words <= 6 and cues.about.match(b.text):
            for rest in kept[pos:]:
                rest.drop = "about-section"
            return
        seen += b.words


def _repeats(blocks: list[Block], title_key: str) -> set[int]:
    """Indices of blocks that copy earlier ones: a copied run of blocks (a body printed twice), a
    long paragraph printed again (pull quotes), the headline again. Single short repeats stay:
    interview questions and recipe steps repeat legitimately."""
    first: dict[str, int] = {}
    origin: dict[int, int] = {}
    for i, b in enumerate(blocks):
        if not b.key:
            continue
        if b.key in first:
            origin[i] = first[b.key]
        else:
            first[b.key] = i
    out = set()
    run: list[int] = []
    for i in sorted(origin) + [-2]:
        if run and (i != run[-1] + 1 or origin.get(i) != origin[run[-1]] + 1):
            if sum(blocks[k].words for k in run) >= REPEAT_RUN_WORDS:
                out.update(run)
            run = []
        if i >= 0:
            run.append(i)
    for i in origin:
        b = blocks[i]
        if b.key == title_key or b.words >= REPEAT_LONG_WORDS:
            out.add(i)
    return out


def _block_reason(b: Block, cues: Cues, caption_keys: set[str]) -> str | None:
    if not b.text:
        return "empty" if b.el.tag not in ("graphic", "table") else None
    if b.key in caption_keys:
        return "caption"
    short = b.words <= cues.max_words
    if short and (cues.url_or_date.match(b.text) or is_dateline(b.text)):
        return "url-or-date"
    if short and cues.boilerplate.match(b.text):
        return "boilerplate"
    if b.words <= 12 and cues.heading_only.match(b.text) and not SENTENCE_END.search(b.text):
        return "boilerplate-heading"
    if short and cues.credit.match(b.text) and not b.is_prose:
        return "credit"
    if b.link_share > LINK_SHARE and b.words <= 200 and (
            b.el.tag in ("list", "head") or not (b.words >= 10 and SENTENCE_END.search(b.text))):
        return "links"
    if b.el.tag == "list" and b.link_share > 0.3 and _mostly_linked_items(b.el):
        return "links"
    return None


def _mostly_linked_items(lst: _Element) -> bool:
    """True when most items of a list start with a link (a list of story teasers)."""
    items = [it for it in lst if it.tag == "item"]
    if len(items) < 2:
        return False
    linked = 0
    for it in items:
        first = next((c for c in it.iter() if c is not it and isinstance(c.tag, str)), None)
        lead = (it.text or "").strip()
        if first is not None and first.tag == "ref" and not lead:
            linked += 1
    return linked >= 0.6 * len(items)


def _drop_orphan_heads(blocks: list[Block]) -> None:
    """A heading with nothing kept after it, or whose own section was boilerplate, goes too."""
    kept = [i for i, b in enumerate(blocks) if not b.drop]
    for pos in range(len(kept) - 1, -1, -1):
        i = kept[pos]
        b = blocks[i]
        if not b.is_head:
            continue
        nxt = next((j for j in kept[pos + 1:] if not blocks[j].drop), None)
        if nxt is None:
            b.drop = "orphan-heading"
        elif i + 1 < len(blocks) and blocks[i + 1].drop in BOILERPLATE_SECTION:
            b.drop = "orphan-heading"  # the heading of a newsletter box or a list of links
        elif blocks[nxt].is_head and i + 1 < len(blocks) and blocks[i + 1].drop in DROPPED_SECTION:
            b.drop = "orphan-heading"


BOILERPLATE_SECTION = {"boilerplate", "boilerplate-heading", "links"}
DROPPED_SECTION = {"boilerplate", "boilerplate-heading", "links", "url-or-date", "credit", "repeat", "caption"}
