"""Attributions: who says, reports, believes or wants what, with the source, cue and content spans.

``find_attributions(doc, entities)`` works in three steps over a spaCy parse:

1. cues: every content word, "according" and colon is scored by a learned linear model
   (``attribution_model.py``; features in ``attribution_features.py``) as the head of a cue;
2. sources: for each cue, the nominals of its sentence are scored as its source (learned too);
   a cue may have none ("it was reported that ...");
3. spans: cue phrase, source phrase and content follow from the parse and quotation marks
   (``reported_speech.py``, hand-written), and speakers are resolved (``speakers.py``).

Conventions (see DESIGN.md, ``quotes[]``): offsets are character offsets into the article text,
end exclusive; ``speaker_start``/``speaker_end`` always point at the source mention in the cue's
sentence, even when it is a pronoun or a title; ``speaker`` is then the name it resolves to (the
entity's canonical name when entities are given, with ``speaker_key``). ``direct`` is true when
the content is a quotation. ``kind``: speech, belief ("X believes") or intention ("X wants").
Chains: in "TASS announced ..., citing Yuri Ushakov" the speaker is TASS (who makes the claim in
this text) and ``via`` lists whom it cites, nearest first: ``via=["Yuri Ushakov"]``; the citing
itself is also kept as its own attribution (cue "citing", content "Yuri Ushakov"), as PolNeAR
annotates it.
"""
from __future__ import annotations

import logging
from typing import Any

from rashomon.analyze.attribution_features import (DocContext, cue_features, is_cue_candidate, lexicon,
                                                   source_candidates, source_features)
from rashomon.analyze.attribution_model import AttributionModel, default_model
from rashomon.analyze.reported_speech import content_extent, cue_extent, is_direct, source_extent
from rashomon.analyze.speakers import SpeakerResolver
from rashomon.models import Attribution, Entity

log = logging.getLogger(__name__)

VIA_CUES = {"cite", "citing", "quote", "quoting"}


def find_attributions(doc: Any, entities: list[Entity] | None = None,
                      model: AttributionModel | None = None) -> list[Attribution]:
    """Attributions found in a parsed document (spaCy ``Doc``), in text order."""
    model = model or default_model()
    if len(doc) == 0:
        return []
    ctx = DocContext.build(doc)
    lex = lexicon()
    cues = _find_cues(doc, ctx, model)
    resolver = SpeakerResolver(doc, entities)
    built = []
    for cue, score in cues:
        cls = lex["lemma_class"].get(cue.lemma_.lower(), "none")
        c_lo, c_hi = cue_extent(cue)
        src = _best_source(cue, ctx, model, cls)
        s_range = source_extent(src, cue) if src is not None else None
        if s_range and c_lo < s_range[1] and s_range[0] < c_hi:
            s_range = (src.i, src.i + 1)
        content = content_extent(cue, (c_lo, c_hi), s_range, ctx)
        if content is None:
            continue
        built.append((score, cue, cls, (c_lo, c_hi), src, s_range, content))
    found: list[tuple[Any, Attribution]] = []
    for _score, cue, cls, (c_lo, c_hi), src, s_range, (lo, hi) in _univocal(built):
        cue_span = doc[c_lo:c_hi]
        con_span = doc[lo:hi]
        att = Attribution(
            speaker=None, speaker_start=None, speaker_end=None,
            cue=cue_span.text, cue_start=cue_span.start_char, cue_end=cue_span.end_char,
            content=con_span.text, content_start=con_span.start_char, content_end=con_span.end_char,
            direct=is_direct(lo, hi, ctx), kind=_kind(cls))
        if s_range:
            s_span = doc[s_range[0]:s_range[1]]
            att.speaker_start, att.speaker_end = s_span.start_char, s_span.end_char
            att.speaker, att.speaker_key = resolver.resolve(s_span, src)
        found.append((cue, att))
        resolver.note(att, src)
    _link_chains(found)
    return [a for _, a in sorted(found, key=lambda p: p[1].cue_start)]


UNIVOCAL = "prob"


def _univocal(built: list) -> list:
    """Keep attributions so that no cue lies inside another kept attribution's content or source
    (PolNeAR's annotations are univocal: "X said he believes Y" is one attribution, by X)."""
    order = sorted(built, key=lambda b: -b[0]) if UNIVOCAL == "prob" else \
        sorted(built, key=lambda b: (-(b[6][1] - b[6][0]), -b[0]))
    kept: list = []
    for item in order:
        cue = item[1]
        c_lo, c_hi = item[3]
        lo, hi = item[6]
        ok = True
        for other in kept:
            o_lo, o_hi = other[6]
            if o_lo <= cue.i < o_hi or (other[5] and other[5][0] <= cue.i < other[5][1]):
                ok = False
                break
            if lo <= other[1].i < hi and not (c_lo <= other[1].i < c_hi):
                ok = False
                break
        if ok:
            kept.append(item)
    return sorted(kept, key=lambda b: b[1].i)


def _kind(cls: str) -> str:
    return cls if cls in ("belief", "intention") else "speech"


def _find_cues(doc, ctx: DocContext, model: AttributionModel) -> list[tuple[Any, float]]:
    """Cue heads above the model's threshold; a cue inside a stronger cue's phrase is dropped."""
    scorer = model.cue
    scored = []
    for tok in doc:
        if not is_cue_candidate(tok):
            continue
        p = scorer.prob(cue_features(tok, ctx))
        if p >= scorer.threshold:
            scored.append((tok, p))
    taken: list[tuple[Any, float]] = []
    covered: set[int] = set()
    for tok, p in sorted(scored, key=lambda x: -x[1]):
        if tok.i in covered:
            continue
        lo, hi = cue_extent(tok)
        covered.update(range(lo, hi))
        taken.append((tok, p))
    return sorted(taken, key=lambda x: x[0].i)


def _best_source(cue, ctx: DocContext, model: AttributionModel, cls: str):
    best, best_p = None, model.source.threshold
    for cand in source_candidates(cue, ctx):
        p = model.source.prob(source_features(cue, cand, ctx, cls))
        if p >= best_p:
            best, best_p = cand, p
    return best


def _link_chains(found: list[tuple[Any, Attribution]]) -> None:
    """"X said ..., citing Y": Y joins the ``via`` of X's attribution."""
    by_head = {cue.i: att for cue, att in found}
    for cue, att in found:
        if cue.lemma_.lower() not in VIA_CUES and cue.lower_ not in VIA_CUES:
            continue
        parent = by_head.get(cue.head.i) if cue.head is not cue else None
        if parent is None or parent is att:
            continue
        origin = att.content.strip(" ,.;:\"“”'")
        if not origin:
            continue
        # keep the name, not its apposition: "Yuri Ushakov, an advisor to Putin" -> "Yuri Ushakov"
        origin = origin.split(",")[0].strip()
        parent.via = (parent.via or []) + [origin]


class AttributionFinder:
    """Analysis component: adds ``quotes`` (attributions, speakers resolved against ``entities``)."""

    name = "quotes"
    reads = ("doc", "entities")
    writes = ("quotes",)
    version = 1

    def __init__(self, model: AttributionModel | None = None) -> None:
        self.model = model

    def __call__(self, state) -> None:
        state.results.quotes = find_attributions(state.doc, state.results.entities or None, self.model)
