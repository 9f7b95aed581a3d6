"""Spans of an attribution once its cue is known: the cue phrase, the source phrase, the content.

Hand-written: given the cue and its source head (chosen by the learned scorers), the extents
follow the parse and the quotation marks. The content is the cue's complement clause ("said
[that ...]", "wants [to ...]"), the quotation or clause the cue is attached to ("[...], he
said"), the rest of the sentence for "according to", or the quotation that follows a colon;
a content that touches a quotation covers the whole quotation, across sentences and paragraphs.
"""
from __future__ import annotations

from rashomon.analyze.attribution_features import DocContext

COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "attr", "oprd", "acomp", "dative", "obj", "nsubjpass",
                   "csubjpass", "pcomp"}
PREP_CONTENT = {"about", "on", "of", "for", "against", "over", "to", "with", "that", "in", "into",
                "as", "at", "from", "behind", "toward", "towards"}
CUE_JOIN_DEPS = {"aux", "auxpass", "neg", "prt"}
HEAD_CLAUSE_DEPS = {"advcl", "parataxis", "ccomp", "conj", "relcl", "acl"}
CIRCUMSTANCE_ENTS = {"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL", "EVENT"}
TRIM = set(" \t\n,;:—–-")


def cue_extent(cue) -> tuple[int, int]:
    """Token range [start, end) of the cue phrase: the head with its adjacent auxiliaries,
    negation and particle ("has not said", "pointed out"), and "to" after "according"."""
    lo = hi = cue.i
    for c in cue.children:
        if c.dep_ in CUE_JOIN_DEPS and abs(c.i - cue.i) <= 3:
            lo, hi = min(lo, c.i), max(hi, c.i)
    doc = cue.doc
    if cue.lower_ == "according" and cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ == "to":
        hi = cue.i + 1
    if cue.text == ":":
        return cue.i, cue.i + 1
    return lo, hi + 1


def source_extent(cand, cue) -> tuple[int, int]:
    """Token range of the source phrase headed by ``cand``: its subtree, cut before the cue, any
    clause or complement it heads, and trailing punctuation. A relative pronoun ("a group that
    says") takes in its antecedent."""
    if cand.lower_ in ("who", "that", "which") and cand.head.dep_ in ("relcl", "acl") \
            and cand.head.head is not cand.head and cand.head.head.i < cand.i:
        ante = cand.head.head
        lo = source_extent(ante, cue)[0] if ante.i != cue.i else cand.i
        return min(lo, cand.i), cand.i + 1
    lo, hi = cand.left_edge.i, cand.right_edge.i
    for c in cand.children:
        if c.i > cand.i and c.dep_ in ("relcl", "acl", "ccomp", "advcl", "prep", "punct", "cc", "conj") \
                and c.dep_ not in ("appos",):
            if c.dep_ in ("prep",) and c.lower_ in ("of", "for", "at", "from", "in", "with"):
                continue
            hi = min(hi, c.left_edge.i - 1)
    for c in cand.children:
        if c.i < cand.i and c.dep_ in ("advcl", "punct", "prep", "cc"):
            lo = max(lo, c.right_edge.i + 1)
    if lo <= cue.i <= hi:
        if cue.i < cand.i:
            lo = cue.i + 1
        else:
            hi = cue.i - 1
    doc = cand.doc
    while hi > cand.i and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    while lo < cand.i and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    lo, hi = min(lo, cand.i), max(hi, cand.i)
    return lo, hi + 1


def _circumstance(prep) -> bool:
    """A when/where phrase ("on Jan. 29", "in Moscow"), not what was said."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return obj is not None and obj.ent_type_ in CIRCUMSTANCE_ENTS


def _subtree_range(tok, ctx: DocContext) -> tuple[int, int]:
    return ctx.left[tok.i], ctx.right[tok.i] + 1


def content_extent(cue, cue_range: tuple[int, int], src_range: tuple[int, int] | None,
                   ctx: DocContext) -> tuple[int, int] | None:
    """Token range of the content of the cue, or None when there is none to find."""
    doc = cue.doc
    s_start, s_end = ctx.sent(cue.i)
    src_lo, src_hi = src_range if src_range else (-1, -1)
    parts: list[tuple[int, int]] = []
    if cue.lower_ == "according" or (cue.dep_ == "prep" and cue.pos_ == "ADP"):
        # "according to X, Y" / "Y, according to X": the sentence less the according-to phrase
        pp = (cue.left_edge.i, cue.right_edge.i + 1)
        head = cue.head if cue.head is not cue else cue
        if head.i < pp[0] or head.i >= pp[1]:
            left = (s_start, pp[0])
            right = (pp[1], s_end)
            best = max((left, right), key=lambda r: r[1] - r[0])
            parts.append(best)
    elif cue.text == ":":
        parts.append((cue.i + 1, s_end))
    else:
        preps: list[tuple[int, int]] = []
        for c in cue.children:
            if c.i >= cue_range[0] and c.i < cue_range[1]:
                continue
            if src_lo <= c.i < src_hi:
                continue
            dep = c.dep_
            if dep in COMPLEMENT_DEPS:
                parts.append(_subtree_range(c, ctx))
            elif dep == "prep" and c.lower_ in PREP_CONTENT and c.i > cue.i and not _circumstance(c):
                preps.append(_subtree_range(c, ctx))
            elif dep == "punct" and c.text == ":" and c.i > cue.i:
                parts.append((c.i + 1, s_end))
        if parts or cue.dep_ not in ("relcl", "acl"):
            parts += preps  # "something [they] discussed on the sidelines": the antecedent is the content
        if not parts and cue.dep_ in HEAD_CLAUSE_DEPS and cue.head is not cue:
            head = cue.head
            # "[...], he said" / "which he called [...]": the head clause less the cue's own subtree
            lo, hi = head.left_edge.i, head.right_edge.i + 1
            cl, ch = cue.left_edge.i, cue.right_edge.i + 1
            if cue.dep_ in ("relcl", "acl"):
                lo, hi = head.left_edge.i, cl
                if hi <= lo:
                    lo, hi = head.i, head.i + 1
            elif cl - lo >= hi - ch:
                hi = cl
            else:
                lo = ch
            parts.append((max(lo, s_start), min(hi, s_end)))
        if not parts and cue.head is cue:
            # a root cue without a complement: the sentence outside the cue's phrase and source
            left = (s_start, min(cue_range[0], src_lo if src_lo >= 0 else cue_range[0]))
            right = (max(cue_range[1], src_hi), s_end)
            best = max((left, right), key=lambda r: r[1] - r[0])
            if best[1] - best[0] >= 2:
                parts.append(best)
    if not parts:
        return None
    left = [p for p in parts if p[1] <= cue_range[0]]
    right = [p for p in parts if p[0] >= cue_range[1]]
    if left and right:
        # "[quote]," X told [reporters]": the clause is the content, the lone object the addressee
        clausal = {(c.left_edge.i, c.right_edge.i + 1) for c in cue.children if c.dep_ in ("ccomp", "xcomp")}
        objects = {(c.left_edge.i, c.right_edge.i + 1) for c in cue.children if c.dep_ in ("dobj", "dative")}
        for side, other in ((left, right), (right, left)):
            if any(p in clausal for p in side) and all(p in objects for p in other):
                parts = side
                break
    lo = min(p[0] for p in parts)
    hi = max(p[1] for p in parts)
    # trim punctuation and spaces at the edges, but keep quotation marks
    while lo < hi and (doc[lo].is_space or (doc[lo].is_punct and not doc[lo].is_quote)):
        lo += 1
    while hi > lo and (doc[hi - 1].is_space or (doc[hi - 1].is_punct and not doc[hi - 1].is_quote
                                                and doc[hi - 1].text not in ".?!")):
        hi -= 1
    if hi <= lo:
        return None
    return _extend_to_quotes(lo, hi, cue, ctx)


def _extend_to_quotes(lo: int, hi: int, cue, ctx: DocContext) -> tuple[int, int]:
    """Grow a content range to cover every quotation it touches (never over the cue itself)."""
    doc = cue.doc
    touched = {ctx.token_quote[i] for i in range(lo, hi)} - {-1}
    if not touched:
        return lo, hi
    for k in touched:
        q = ctx.quotes[k]
        qs = doc.char_span(q.start, q.end, alignment_mode="expand")
        if qs is None:
            continue
        if qs.start <= cue.i < qs.end:
            continue  # the cue is inside this quotation: keep the clause found by the parse
        lo, hi = min(lo, qs.start), max(hi, qs.end)
    return lo, hi


def is_direct(lo: int, hi: int, ctx: DocContext) -> bool:
    """True when the content is (mostly) a quotation."""
    inside = sum(1 for i in range(lo, hi) if ctx.token_quote[i] >= 0)
    return inside * 2 >= max(1, hi - lo)
