"""Scraped-text extractor: text copied from a news page (clutter included) -> ``Article``.

Steps: ``lines.read_pages`` splits the text into lines and blocks and finds the headline anchor;
``linemodel.LineModel`` scores every line as body or clutter and decodes the body as the best
contiguous span (so trailing "News Feed" / "More news" sections are cut even when they hold real
sentences); lines the outlet's template memory has seen on many of its pages are penalised. The
header around the body start then gives the title, byline, date line and photo captions.

Why hand-written: no library cleans text that has already lost its markup (trafilatura and
jusText classify HTML elements); dates and bylines reuse ``extract.dates`` and ``extract.metadata``.

``extract_texts`` cleans many pages at once (reading, scoring and decoding run as array operations
over the whole batch; only the assembly of each article is per page); ``extract_text`` is a batch
of one. A page's article does not depend on the other pages of its batch.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Sequence
from urllib.parse import urlsplit

import numpy as np

from rashomon.extract.dates import read_date_line
from rashomon.extract.linemodel import LineModel
from rashomon.extract.cues import CUE_BIT
from rashomon.extract.lines import CUES, DATE_BIT, FUNCTION_WORDS, Pages, read_pages
from rashomon.extract.metadata import split_authors
from rashomon.extract.templates import TemplateMemory
from rashomon.models import Article

log = logging.getLogger(__name__)

HEADER_LINES = 12          # lines before the body start searched for byline, date line and captions
NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|de|da|van|von|der|del|al|bin|le|la|di|du|dos|das)$")
_CLUTTER = (CUE_BIT["interface"] | CUE_BIT["newsletter"] | CUE_BIT["read_time"] | CUE_BIT["audio"]
            | CUE_BIT["advert"] | CUE_BIT["social"] | CUE_BIT["copyright"])
_DATED = DATE_BIT | CUE_BIT["dateline_cue"] | CUE_BIT["byline"]  # header lines that may hold a date
_CAPTION, _BYLINE = CUE_BIT["caption"], CUE_BIT["byline"]
SECOND_LEVEL = frozenset("co com org net ac gov edu gob nic ne or go mil".split())


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    """The line model shipped with the package."""
    return LineModel.load()


def registered_domain(url: str | None) -> str | None:
    """The domain an outlet registered ("www.bbc.co.uk" -> "bbc.co.uk"), the template memory key."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2:
        return host or None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def extract_text(raw_text: str, *, url: str | None = None, outlet: str | None = None,
                 templates: TemplateMemory | None = None, model: LineModel | None = None) -> Article:
    """Clean scraped page text into an article (``id`` and ``source`` left for the dispatcher).

    ``templates`` (keyed by ``outlet`` or the URL's registered domain) marks lines seen on many
    pages of the same outlet as clutter and learns this page's lines afterwards.
    """
    return extract_texts([raw_text], urls=[url], outlets=[outlet], templates=templates, model=model)[0]


def extract_texts(texts: Sequence[str], *, urls: Sequence[str | None] | None = None,
                  outlets: Sequence[str | None] | None = None, templates: TemplateMemory | None = None,
                  model: LineModel | None = None) -> list[Article]:
    """``extract_text`` of many pages at once: the same articles, about four times faster per page,
    because every array operation runs once for the whole batch (``lines.read_pages``). Pages learn
    from the template memory in order, as if extracted one after the other."""
    n = len(texts)
    urls = list(urls) if urls is not None else [None] * n
    outlets = list(outlets) if outlets is not None else [None] * n
    model = model or default_model()
    pages = read_pages(list(texts), urls, fingerprints=templates is not None)
    z = model.scores(pages)
    if templates is not None:
        z = model.penalise(z, _template_shares(pages, templates, [
            outlet or registered_domain(url) for outlet, url in zip(outlets, urls)]))
    keep = model.decode(pages, z) if len(pages) else np.zeros(0, dtype=bool)
    articles = _assemble_all(pages, keep)
    log.debug("text extraction: %d of %d lines kept as body on %d pages", int(keep.sum()), len(pages), n)
    return articles


def _template_shares(pages: Pages, templates: TemplateMemory, keys: list[str | None]) -> np.ndarray:
    """Each line's share of its outlet's pages in the template memory, page by page: a page is
    looked up, then observed, so later pages of the batch learn from earlier ones."""
    shares = np.zeros(len(pages))
    offsets = pages.seg.offsets.tolist()
    for k, key in enumerate(keys):
        if not key:
            continue
        fingerprints = pages.fingerprints[offsets[k]:offsets[k + 1]]
        if templates.pages(key) >= templates.min_pages:
            shares[offsets[k]:offsets[k + 1]] = templates.shares(key, fingerprints.tolist())
        templates.observe_keys(key, fingerprints)
    return shares


class _View:
    """One page of a ``Pages`` batch as plain lists (the assembly reads single lines), with the
    page's lines of a few kinds found beforehand for the whole batch."""

    def __init__(self, pages: Pages, lists: dict[str, list], marked: dict[str, list[list[int]]], k: int) -> None:
        lo, hi = lists["offsets"][k], lists["offsets"][k + 1]
        self.lines = pages.lines[lo:hi]
        self.words = lists["words"][lo:hi]
        self.cues = lists["cues"][lo:hi]
        self.sentence_end = lists["sentence_end"][lo:hi]
        self.prose = lists["prose"][lo:hi]
        anchor = lists["anchor"][k]
        self.anchor = anchor if anchor >= 0 else None
        self.captions, self.footer_dates, self.copyright, self.mastheads = (
            marked[kind][k] for kind in ("captions", "footer_dates", "copyright", "mastheads"))

    def __len__(self) -> int:
        return len(self.lines)


def _marked(pages: Pages) -> dict[str, list[list[int]]]:
    """Per page, the local indices of caption lines, date lines with a cue, copyright lines and
    masthead candidates (1 to 6 words, no clutter cue, among the first 40 lines)."""
    seg, cues, words = pages.seg, pages.cues, pages.words
    dated = CUE_BIT["dateline_cue"] | DATE_BIT
    masks = {"captions": (cues & CUE_BIT["caption"]) != 0, "footer_dates": (cues & dated) == dated,
             "copyright": (cues & CUE_BIT["copyright"]) != 0,
             "mastheads": (words >= 1) & (words <= 6) & ((cues & _CLUTTER) == 0) & (seg.local < 40)}
    out = {}
    for kind, mask in masks.items():
        found = np.flatnonzero(mask)
        cut = np.searchsorted(found, seg.offsets).tolist()
        local = (found - seg.first.take(found, mode="clip")).tolist()
        out[kind] = [local[cut[k]:cut[k + 1]] for k in range(seg.count)]
    return out


def _assemble_all(pages: Pages, keep: np.ndarray) -> list[Article]:
    """The article of every page of the batch."""
    seg = pages.seg
    offsets = seg.offsets
    kept = np.flatnonzero(keep)
    cut = np.searchsorted(kept, offsets).tolist()
    body_start = np.full(seg.count, 0, dtype=np.intp)
    has_body = np.diff(cut) > 0
    body_start[has_body] = kept[np.array(cut[:-1])[has_body]] - offsets[:-1][has_body]
    titles = pages.best_titles(body_start, include_start=False).tolist()
    lists = {"offsets": offsets.tolist(), "words": pages.words.tolist(), "cues": pages.cues.tolist(),
             "sentence_end": pages.sentence_end.tolist(), "prose": pages.prose.tolist(),
             "anchor": pages.anchor.tolist()}
    marked = _marked(pages)
    kept_local = (kept - seg.first[kept]).tolist()
    articles = []
    for k in range(seg.count):
        view = _View(pages, lists, marked, k)
        body = kept_local[cut[k]:cut[k + 1]]
        title = _find_title(view, body[0], titles[k]) if body else None
        articles.append(_assemble(view, body, title, pages.urls[k]))
    return articles


def _assemble(page: _View, body: list[int], title_index: int | None, url: str | None) -> Article:
    """Title, byline, dates and captions around the body; the body itself from ``body``."""
    cues = page.cues
    if body and title_index == body[0]:
        body.pop(0)
    body_start = body[0] if body else len(page)
    header_start = max(0, body_start - HEADER_LINES)
    if title_index is not None and title_index < body_start:
        header_start = max(header_start, title_index + 1)
    captions: list[int] = []
    authors: list[str] = []
    outlet = None
    dates: list[tuple[str, str]] = []
    for i in range(header_start, body_start if body else header_start):
        cue = cues[i]
        if cue & _CAPTION:
            captions.append(i)
            continue
        if cue & _DATED:
            dates.extend(read_date_line(page.lines[i]))
        if cue & _BYLINE:
            names = [n for n in split_authors(page.lines[i]) if _plausible_name(n)]
        else:
            names = [] if authors else _names_line(page, i, title_index)
        if names:
            authors.extend(n for n in names if n not in authors)
            for name in names:
                desk = CUES.desk_byline.match(name)
                if desk and outlet is None:
                    outlet = desk["outlet"]
    if body:
        # Captions between paragraphs are not body.
        first, last = body[0], body[-1]
        in_span = [i for i in page.captions if first <= i <= last]
        if in_span:
            kept = set(body)
            dropped = {i for i in in_span if i not in kept or page.words[i] < 60}
            captions.extend(sorted(dropped))
            body = [i for i in body if i not in dropped]
    if not dates:
        dates = _footer_dates(page, body)
    if outlet is None:
        outlet = _masthead_outlet(page, body_start)
    published = next((iso for role, iso in dates if role == "published"), None)
    modified = next((iso for role, iso in dates if role == "modified"), None)
    return Article(
        id="", source="", url=url, text=page.lines.join(body, "\n\n"),
        title=page.lines[title_index] if title_index is not None else None,
        authors=authors, outlet=outlet, published=published,
        published_from="text" if published else None, modified=modified,
        captions=[page.lines[i] for i in captions])


def _find_title(page: _View, body_start: int, best: int) -> int | None:
    """The headline: the anchor when it precedes the body, else the most title-like line above the
    body (``best``, from ``Pages.best_titles``), else a first body line that reads like a heading of
    the paragraphs below it."""
    if page.anchor is not None and page.anchor < body_start:
        return page.anchor
    if best >= 0:
        return best
    if (body_start + 1 < len(page) and not page.sentence_end[body_start] and 3 <= page.words[body_start] <= 25
            and page.prose[body_start + 1] and not page.cues[body_start] & _CLUTTER):
        return body_start
    return None


def _names_line(page: _View, i: int, title_index: int | None) -> list[str]:
    """The names of a byline without "By" (a short line of capitalised words near the headline),
    or [] when the line is not one."""
    w = page.words[i]
    if w < 2 or w > 12 or page.sentence_end[i] or page.cues[i] & _CLUTTER or i == title_index:
        return []
    if title_index is not None and i - title_index > 4:
        return []
    names = split_authors(page.lines[i])
    return names if all(_plausible_name(n) for n in names) else []


def _plausible_name(name: str) -> bool:
    """Two to six capitalised words (particles allowed), or a news desk."""
    if CUES.desk_byline.match(name):
        return True
    tokens = name.split()
    if not 2 <= len(tokens) <= 6:
        return False
    if sum(t.lower() in FUNCTION_WORDS for t in tokens) > 1:
        return False
    return all(NAME_TOKEN.match(t) for t in tokens)


def _footer_dates(page: _View, body: list[int]) -> list[tuple[str, str]]:
    """Date lines introduced by a cue ("First Published: ...") anywhere outside the body."""
    kept = set(body)
    for i in page.footer_dates:
        if i not in kept:
            found = read_date_line(page.lines[i])
            if found:
                return found
    return []


def _masthead_outlet(page: _View, body_start: int) -> str | None:
    """The outlet when the page names it twice: a masthead line above the body that the copyright
    line's holder starts with ("Meridian Wire" and "© 2025 Meridian Wire Media Ltd."). A copyright
    holder alone is often a parent company, so it is not enough."""
    names: set[str] = set()  # every holder and each of its leading runs of words
    heads: set[str] = set()  # their first characters
    floor = max(body_start, len(page) - 60)
    for i in page.copyright:
        if i >= floor:
            found = _holder_names(page.lines[i])
            if found:
                heads.add(found[0])
                names.update(found[1])
    if not names:
        return None
    lines = [i for i in page.mastheads if i < body_start]
    # A line's case-folded form starts with that of its first character: most lines fail there.
    for i, first in zip(lines, page.lines.first_chars(lines)):
        if first.casefold()[:1] in heads and page.lines[i].casefold() in names:
            return page.lines[i]
    return None


@lru_cache(maxsize=4096)
def _holder_names(line: str) -> tuple[str, tuple[str, ...]] | None:
    """A copyright line's holder, case-folded, as its first character and each of its leading runs
    of words; None when the line names no holder. Cached: an outlet repeats its copyright line."""
    found = CUES.copyright_holder.match(line)
    if not found:
        return None
    holder = found["holder"].strip().casefold()
    words = holder.split(" ")
    return holder[:1], tuple(" ".join(words[:k]) for k in range(1, len(words) + 1))
