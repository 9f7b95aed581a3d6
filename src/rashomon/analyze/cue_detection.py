"""Finding attribution cues in two passes, then keeping a univocal set of attributions.

Pass 1 scores every candidate token on its own (lemma, syntax, quotation marks). For each token
above a low floor, the source and content are then found as if it were a cue. Pass 2 rescores
each candidate knowing the others: whether it lies inside the content of a stronger cue ("she
said her boss told her ..." is one attribution in PolNeAR), whether it dominates one, how many
strong cues its sentence has, and how good its best source is. Both passes are learned linear
scorers (``attribution_model.py``); pass 2 is trained on pass-1 scores from cross-fitted models
(stacking), so it sees the errors pass 1 makes on unseen text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rashomon.analyze.attribution_features import (DocContext, _kind_of, cue_features, is_cue_candidate,
                                                   lexicon, source_candidates, source_features)
from rashomon.analyze.reported_speech import content_extent, cue_extent, source_extent

FLOOR = 0.04          # pass-1 probability below which a token is not considered further
CONTEXT_MIN = 0.3     # pass-1 probability from which a candidate shapes the others' features


@dataclass
class Candidate:
    """A token taken as a cue, with the source and content it would have."""

    cue: Any
    p1: float
    cls: str
    cue_range: tuple[int, int]
    src: Any = None
    src_p: float = 0.0
    src_range: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    p2: float = 0.0


def _bucket(p: float, width: float = 0.5) -> str:
    p = min(max(p, 1e-6), 1 - 1e-6)
    logit = math.log(p / (1 - p))
    return str(max(-8, min(8, math.floor(logit / width))))


def _coarse(p: float) -> str:
    return "h" if p >= 0.7 else "m" if p >= 0.45 else "l"


def first_pass(doc, ctx: DocContext, model) -> list[Candidate]:
    """Pass-1 candidates above ``FLOOR``, each with its best source and its content."""
    lex = lexicon()
    out = []
    for tok in doc:
        if not is_cue_candidate(tok):
            continue
        p = model.cue.prob(cue_features(tok, ctx))
        if p < FLOOR:
            continue
        cls = lex["lemma_class"].get(tok.lemma_.lower(), "none")
        out.append(build_candidate(tok, p, cls, ctx, model))
    return out


def build_candidate(tok, p: float, cls: str, ctx: DocContext, model) -> Candidate:
    """The source (learned scorer) and content (parse rules) of ``tok`` taken as a cue."""
    c_range = cue_extent(tok)
    best, best_p = None, 0.0
    for cand in source_candidates(tok, ctx):
        sp = model.source.prob(source_features(tok, cand, ctx, cls))
        if sp > best_p:
            best, best_p = cand, sp
    src = best if best_p >= model.source.threshold else None
    s_range = source_extent(src, tok) if src is not None else None
    if s_range and c_range[0] < s_range[1] and s_range[0] < c_range[1]:
        s_range = (src.i, src.i + 1)
    content = content_extent(tok, c_range, s_range, ctx)
    return Candidate(tok, p, cls, c_range, src, best_p, s_range, content)


def stack_features(c: Candidate, by_index: dict[int, Candidate], sent_cands: list[Candidate],
                   ctx: DocContext) -> list[str]:
    """Pass-2 features of a candidate, given the pass-1 scores of the others."""
    tok = c.cue
    f = ["b", "p1=" + _bucket(c.p1), "cls=" + c.cls + _coarse(c.p1), "pos=" + tok.pos_ + _coarse(c.p1)]
    # the nearest candidate above it in the tree, and the relation that leads there
    anc, below, steps = tok, tok, 0
    while anc.head is not anc and steps < 8:
        below, anc = anc, anc.head
        steps += 1
        other = by_index.get(anc.i)
        if other is not None and other.p1 >= CONTEXT_MIN:
            rel = "hi" if other.p1 > c.p1 else "lo"
            f.append("anc=" + below.dep_ + "_" + _coarse(other.p1) + rel)
            f.append("ancd=" + str(min(steps, 3)) + rel)
            break
    inside = ""
    for other in sent_cands:
        if other is c or other.p1 < CONTEXT_MIN:
            continue
        rel = "hi" if other.p1 > c.p1 else "lo"
        if other.content and other.content[0] <= tok.i < other.content[1]:
            inside = "inc=" + _coarse(other.p1) + rel
        elif other.src_range and other.src_range[0] <= tok.i < other.src_range[1]:
            f.append("ins=" + rel)
        if c.content and c.content[0] <= other.cue.i < c.content[1]:
            f.append("dom=" + _coarse(other.p1) + rel)
    if inside:
        f.append(inside)
    strong = sorted((o.p1 for o in sent_cands if o.p1 >= 0.5), reverse=True)
    f.append("ns=" + str(min(len(strong), 3)))
    rank = sum(1 for o in sent_cands if o.p1 > c.p1)
    f.append("rk=" + str(min(rank, 3)))
    if c.src is not None:
        k = _kind_of(c.src)
        f.append("sp=" + _bucket(c.src_p, 1.0))
        f.append("sk=" + (k if not k.startswith("pron_") else "pron"))
        f.append("skc=" + k + _coarse(c.p1))
    else:
        f.append("nosrc" + _coarse(c.p1))
    if c.content is None:
        f.append("nocontent")
    else:
        n = c.content[1] - c.content[0]
        f.append("cl=" + ("1" if n <= 1 else "2-3" if n <= 3 else "4-9" if n <= 9 else "10+"))
    if ctx.inside_quote(tok):
        f.append("inq" + _coarse(c.p1))
    return f


def second_pass(cands: list[Candidate], ctx: DocContext, model) -> list[tuple[Candidate, list[str]]]:
    """Every candidate with its pass-2 features."""
    by_index = {c.cue.i: c for c in cands}
    by_sent: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sent.setdefault(ctx.sent_of[c.cue.i], []).append(c)
    return [(c, stack_features(c, by_index, by_sent[ctx.sent_of[c.cue.i]], ctx)) for c in cands]


def detect(doc, ctx: DocContext, model) -> list[Candidate]:
    """Cues kept after both passes and the univocal decoding, in text order."""
    cands = first_pass(doc, ctx, model)
    if model.cue2 is not None:
        for c, feats in second_pass(cands, ctx, model):
            c.p2 = model.cue2.prob(feats)
        threshold = model.cue2.threshold
    else:
        for c in cands:
            c.p2 = c.p1
        threshold = model.cue.threshold
    chosen = [c for c in cands if c.p2 >= threshold and c.content is not None]
    return univocal(chosen)


def univocal(cands: list[Candidate]) -> list[Candidate]:
    """Strongest first, drop a cue inside a kept attribution's cue, content or source, or whose
    content holds a kept cue (each token has at most one role in one attribution)."""
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda x: -x.p2):
        i = c.cue.i
        ok = True
        for o in kept:
            if o.cue_range[0] <= i < o.cue_range[1]:
                ok = False
            elif o.content and o.content[0] <= i < o.content[1]:
                ok = False
            elif o.src_range and o.src_range[0] <= i < o.src_range[1]:
                ok = False
            elif c.content and c.content[0] <= o.cue.i < c.content[1] \
                    and not (c.cue_range[0] <= o.cue.i < c.cue_range[1]):
                ok = False
            if not ok:
                break
        if ok:
            kept.append(c)
    return sorted(kept, key=lambda x: x.cue.i)
