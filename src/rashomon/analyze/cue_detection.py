"""Finding attribution cues, their sources and contents, and keeping a univocal set of them.

Every candidate token (verbs, and other words seen as cues in training) is scored by the learned
cue scorer; for each token above its threshold the source is the best-scoring nominal of the
sentence (learned source scorer, ``attribution_model.py``) and the content follows the parse
(``reported_speech.py``). The decoding then keeps the attributions univocal, as PolNeAR annotates
them: strongest first, a cue inside another attribution's content is dropped ("she said her boss
told her ..." is one attribution), except a chained clause of the same speaker ("X said A,
adding B"), which cuts the content it sits in. (A second, stacked pass that rescored cues
knowing their neighbours gained 0.005 F1 for twice the time: not kept.)
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from rashomon.analyze.attribution_features import (DocContext, cue_features, effective_subject,
                                                   is_cue_candidate, lexicon, source_candidates,
                                                   source_features)
from rashomon.analyze.reported_speech import content_extent, cue_extent, source_extent


@dataclass
class Candidate:
    """A token taken as a cue, with the source and content it would have (token ranges)."""

    cue: Any
    p: float
    cls: str
    cue_range: tuple[int, int]
    src: Any = None
    src_p: float = 0.0
    src_range: tuple[int, int] | None = None
    content: tuple[int, int] | None = None


def score_cues(ctx: DocContext, model) -> list[tuple[int, float]]:
    """(token index, probability) of every cue candidate."""
    gate = model.gate
    scorer = model.cue
    return [(i, scorer.prob(cue_features(i, ctx))) for i in range(len(ctx.pos))
            if is_cue_candidate(i, ctx, gate)]


def build_candidate(i: int, p: float, ctx: DocContext, model) -> Candidate:
    """The source (learned scorer) and content (parse rules) of token ``i`` taken as a cue."""
    doc = ctx.doc
    tok = doc[i]
    cls = lexicon()["lemma_class"].get(ctx.lemma[i], "none")
    c_range = cue_extent(tok)
    best, best_p = None, 0.0
    esubj = effective_subject(i, ctx)
    for cand in source_candidates(i, ctx):
        sp = model.source.prob(source_features(i, cand, ctx, cls, esubj))
        if sp > best_p:
            best, best_p = cand, sp
    if best is not None:
        best = _subject_holding(best, i, ctx)
    src = doc[best] if best is not None and best_p >= model.source.threshold else None
    s_range = source_extent(src, tok) if src is not None else None
    if s_range and c_range[0] < s_range[1] and s_range[0] < c_range[1]:
        s_range = (src.i, src.i + 1)
    content = content_extent(tok, c_range, s_range, ctx)
    return Candidate(tok, p, cls, c_range, src, best_p, s_range, content)


MODIFIER_DEPS = ("pobj", "prep", "appos", "compound", "poss", "amod")


def _subject_holding(t: int, cue: int, ctx: DocContext) -> int:
    """The cue's subject when token ``t`` sits in its modifiers: in "Selin Aydogan, the district
    governor of Ayvalik, said" the scorer may prefer "Ayvalik", next to the cue; the source is the
    subject that holds it."""
    seen = t
    for _ in range(6):
        if ctx.head[seen] == cue:
            return seen if ctx.dep[seen] in ("nsubj", "nsubjpass") else t
        if ctx.dep[seen] not in MODIFIER_DEPS or ctx.head[seen] == seen:
            return t
        seen = ctx.head[seen]
    return t


def detect(ctx: DocContext, model) -> list[Candidate]:
    """Cues above the model's threshold with their source and content, univocal, in text order."""
    threshold = model.cue.threshold
    chosen = []
    for i, p in score_cues(ctx, model):
        if p >= threshold:
            c = build_candidate(i, p, ctx, model)
            if c.content is not None:
                chosen.append(c)
    return univocal(chosen)


CHAINED_DEPS = {"advcl", "conj", "parataxis"}


def _chained(inner: Candidate, outer: Candidate) -> bool:
    """"X said A, adding B" / "X blasted A and vowed B": a later clause of the same speaker that
    the parse hangs inside the earlier cue's content; it starts an attribution of its own."""
    cue = inner.cue
    return cue.dep_ in CHAINED_DEPS and cue.left_edge.i > outer.cue.i and \
        outer.content is not None and cue.left_edge.i > outer.content[0]


def _trim(outer: Candidate, inner: Candidate) -> None:
    lo, hi = outer.content
    cut = inner.cue.left_edge.i
    doc = outer.cue.doc
    while cut > lo and (doc[cut - 1].is_punct and not doc[cut - 1].is_quote or doc[cut - 1].is_space
                        or doc[cut - 1].dep_ == "cc"):
        cut -= 1
    outer.content = (lo, cut)


def _extent(c: Candidate) -> tuple[int, int]:
    """Token range covering the cue, its content and its source."""
    lo, hi = c.cue_range
    for r in (c.content, c.src_range):
        if r:
            lo, hi = min(lo, r[0]), max(hi, r[1])
    return lo, hi


def univocal(cands: list[Candidate]) -> list[Candidate]:
    """Strongest first, drop a cue inside a kept attribution's cue, content or source, or whose
    content holds a kept cue (each token has at most one role in one attribution). A chained
    clause ("..., adding that ...") cuts the content it sits in instead.

    Only kept attributions whose extent meets the candidate's can conflict with it; they are found
    by bisecting the kept extents (sorted by start), so the decoding stays linear in the length of
    the document (extents are bounded by a sentence or a quotation)."""
    kept: list[Candidate] = []
    starts: list[int] = []  # kept extents, by start: (start, end, rank in kept)
    spans: list[tuple[int, int, int]] = []
    longest = 0
    for c in sorted(cands, key=lambda x: -x.p):
        i = c.cue.i
        lo, hi = _extent(c)
        lo, hi = min(lo, i), max(hi, i + 1)
        k = bisect.bisect_left(starts, lo - longest)
        near = []
        while k < len(spans) and spans[k][0] < hi:
            if spans[k][1] > lo:
                near.append(spans[k][2])
            k += 1
        ok = True
        trims = []
        for o in (kept[r] for r in sorted(near)):
            if o.cue_range[0] <= i < o.cue_range[1]:
                ok = False
            elif o.content and o.content[0] <= i < o.content[1]:
                if _chained(c, o):
                    trims.append((o, c))
                else:
                    ok = False
            elif o.src_range and o.src_range[0] <= i < o.src_range[1]:
                ok = False
            elif c.content and c.content[0] <= o.cue.i < c.content[1] \
                    and not (c.cue_range[0] <= o.cue.i < c.cue_range[1]):
                if _chained(o, c):
                    trims.append((c, o))
                else:
                    ok = False
            if not ok:
                break
        if ok:
            for outer, inner in trims:
                _trim(outer, inner)
            k = bisect.bisect_left(starts, lo)
            starts.insert(k, lo)
            spans.insert(k, (lo, hi, len(kept)))
            longest = max(longest, hi - lo)
            kept.append(c)
    return sorted([c for c in kept if c.content and c.content[1] > c.content[0]], key=lambda x: x.cue.i)
