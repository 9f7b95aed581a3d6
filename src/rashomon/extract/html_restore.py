"""Recall pass: put back article paragraphs that trafilatura skipped.

trafilatura reads the first element that looks like the article container. Many sites split the
body into several sibling containers with the same class (between ads or "chunks"), and it also
drops single paragraphs between kept ones (short lines, paragraphs that hold one link). This pass
finds, in the original page, the container(s) holding the paragraphs trafilatura kept; paragraphs
of those containers, or of twin containers with the same tag and class, that are missing from the
body are inserted at their place in page order, and so are embedded social posts (tweets...) quoted
inside those containers. Restored paragraphs then go through the same
precision pass as the rest (``html_body``), and paragraphs under boilerplate-looking wrappers
(class or id cues in ``data/html_cues.json``) are never restored. Hand-written: the rule is a
structural property of pages (one template renders the whole body), not a fitted parameter.
"""
from __future__ import annotations

import logging
import re
from collections import Counter

from lxml.etree import Element, _Element
from lxml.html import HtmlElement

from rashomon.extract.html_body import load_cues, norm

log = logging.getLogger(__name__)

# Tags never restored from (their text is not article prose) and tags whose subtree is skipped.
SKIP_ANCESTORS = {"aside", "figure", "figcaption", "nav", "footer", "form", "header", "button", "noscript",
                  "script", "style", "template", "label", "select", "dialog", "menu"}
MIN_MATCHED = 2          # kept paragraphs a container needs before its other paragraphs are trusted
MAX_RESTORED_SHARE = 3.0  # never restore more than this many times the text trafilatura kept
_WS = re.compile(r"\s+")
# Embedded social posts (tweets, Instagram, TikTok): quotes the article reports, restored as quotes.
_EMBEDDED_POST = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|fb-post|bluesky-embed|mastodon-embed")


def restore_paragraphs(tree: HtmlElement, body: _Element) -> tuple[int, HtmlElement | None]:
    """Insert into ``body`` the missing paragraphs of the article's containers.

    Returns how many were restored and the page element of the body's first prose paragraph (where
    the article text starts on the page; None when no paragraph could be located)."""
    raw_ps = [p for p in tree.iter("p") if isinstance(p.tag, str)]
    if not raw_ps:
        return 0, None
    order = {p: i for i, p in enumerate(raw_ps)}
    by_key: dict[str, list[HtmlElement]] = {}
    texts: dict[HtmlElement, str] = {}
    for p in raw_ps:
        text = _WS.sub(" ", "".join(p.itertext())).strip()
        texts[p] = text
        key = norm(text)
        if key:
            by_key.setdefault(key, []).append(p)
    out_blocks = [el for el in body.iter("p", "head", "quote", "item") if isinstance(el.tag, str)]
    out_keys = {norm("".join(el.itertext())) for el in out_blocks}
    out_pairs = _pairs(norm(" ".join(body.itertext())))
    anchors: dict[HtmlElement, _Element] = {}   # raw p -> output element it became
    for el in out_blocks:
        key = norm("".join(el.itertext()))
        for p in by_key.get(key, ())[:1]:
            anchors.setdefault(p, el)
    prose = [p for p in anchors if len(texts[p].split()) >= 12 or len(texts[p]) >= 60]
    first = min(prose or anchors, key=order.__getitem__) if anchors else None
    if len(anchors) < MIN_MATCHED:
        return 0, first
    parents = Counter(p.getparent() for p in anchors)
    containers = [c for c, n in parents.items() if n >= MIN_MATCHED and c is not None]
    if not containers:
        return 0, first
    main = containers[0]
    containers = _with_twins(tree, containers)
    kept_chars = sum(len(texts[p]) for p in anchors)
    exclude = load_cues().raw["restore_exclude_tokens"]
    added = 0
    budget = MAX_RESTORED_SHARE * kept_chars
    for container in containers:
        last_p: HtmlElement | None = None
        inside_post: set[HtmlElement] = set()
        for el in container.iter("p", "blockquote"):
            if el.tag == "blockquote":
                if not _EMBEDDED_POST.search(el.get("class") or ""):
                    continue
                inside_post.update(el.iter("p"))
                text = _WS.sub(" ", "".join(el.itertext())).strip()
                pos = order[last_p] + 0.5 if last_p is not None else -1
                new_tag = "quote"
            else:
                if el in inside_post:
                    continue
                last_p = el
                if el.getparent() is not container:
                    continue
                text = texts.get(el)
                pos = order[el]
                new_tag = "p"
                if not text or el in anchors or _excluded(el, container, main, exclude) or \
                        _link_share(el, text) > 0.5 or el.find(".//script") is not None or \
                        el.find(".//style") is not None:
                    continue
            if not text or norm(text) in out_keys or budget < len(text):
                continue
            pairs = _pairs(norm(text))
            if pairs and len(pairs & out_pairs) > 0.5 * len(pairs):
                continue  # already in the body under another shape
            new = Element(new_tag)
            new.text = text
            _insert(body, _anchor_before(pos, anchors, order), new)
            anchors[el] = new
            order.setdefault(el, pos)
            out_keys.add(norm(text))
            out_pairs.update(pairs)
            budget -= len(text)
            added += 1
    if added:
        log.debug("restored %d paragraphs", added)
    return added, first


def _with_twins(tree: HtmlElement, containers: list[HtmlElement]) -> list[HtmlElement]:
    """The containers plus elements with the same tag and class elsewhere on the page, in order."""
    out = list(containers)
    for c in containers:
        cls = c.get("class")
        if not cls or not cls.strip():
            continue
        for other in tree.iter(c.tag):
            if other.get("class") == cls and other not in out and not _nested(other, out):
                out.append(other)
    return out


def _nested(el: HtmlElement, containers: list[HtmlElement]) -> bool:
    ancestors = set(el.iterancestors())
    return any(c in ancestors or el in set(c.iterancestors()) for c in containers)


def _excluded(p: HtmlElement, container: HtmlElement, main: HtmlElement, exclude: list[str]) -> bool:
    """True when the paragraph, or a wrapper of its twin container below what it shares with the
    main container, looks like boilerplate (class/id cues, hidden, aside/figure/nav...)."""
    stop = set(main.iterancestors()) if container is not main else set()
    nodes = [p] + ([container] + [a for a in container.iterancestors() if a not in stop]
                   if container is not main and container not in set(main.iterancestors()) else [])
    for node in nodes:
        if node.tag in SKIP_ANCESTORS:
            return True
        attrs = f"{node.get('class') or ''} {node.get('id') or ''}".casefold()
        if attrs.strip() and any(t in attrs for t in exclude):
            return True
        style = (node.get("style") or "").replace(" ", "").casefold()
        if "display:none" in style or node.get("hidden") is not None or node.get("aria-hidden") == "true":
            return True
    return False


def _pairs(key: str) -> set[tuple[str, str]]:
    words = key.split()
    return set(zip(words, words[1:]))


def _link_share(p: HtmlElement, text: str) -> float:
    linked = sum(len(" ".join("".join(a.itertext()).split())) for a in p.iter("a"))
    return linked / len(text) if text else 0.0


def _anchor_before(pos: float, anchors: dict[HtmlElement, _Element], order: dict) -> _Element | None:
    """The output element of the nearest kept paragraph before page position ``pos``."""
    best, best_pos = None, -1.0
    for raw, el in anchors.items():
        rp = order.get(raw, -1)
        if best_pos < rp < pos:
            best, best_pos = el, rp
    return best


def _insert(body: _Element, anchor: _Element | None, new: _Element) -> None:
    """Put ``new`` right after ``anchor`` (or at the top of the body)."""
    if anchor is None:
        top = next(iter(body), None)
        if top is None:
            body.append(new)
        else:
            top.addprevious(new)
    else:
        anchor.addnext(new)
        new.tail, anchor.tail = anchor.tail, None
