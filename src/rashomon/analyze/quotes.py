"""Attributions: who says, reports, believes or wants what, with the source, cue and content spans.

``find_attributions(doc, entities)`` works in three steps over a spaCy parse:

1. cues: every verb, "according", colon and other word seen as a cue in training is scored by a
   learned linear model as the head of a cue (``cue_detection.py``, ``attribution_model.py``;
   features in ``attribution_features.py``). Beside the parse features, the scorer reads the
   probabilities of a small learned role tagger (``attribution_tagger.py``: a CNN over the words
   around each token, run as the last component of the spaCy pipeline), so a token's context
   weighs in as well as its syntax;
2. sources: for each cue, the nominals of its sentence are scored as its source (learned too,
   also reading the tagger's source probability); a cue may have none ("it was reported that ...");
3. spans: cue phrase, source phrase and content follow from the parse and quotation marks
   (``reported_speech.py``, hand-written), and speakers are resolved (``speakers.py``).

The decoding is linear in the length of the document: the document is read once into lists
(``DocContext``), the univocal decoding only compares nearby attributions, and speaker
resolution looks names up by bisection and per-title caches.

Why learned and hand-written: which words introduce an attribution, and which nominal is its
source, is learned from the PolNeAR train split (weights and a word list only, no PolNeAR text,
see ``attribution_model.py`` and ``attribution_tagger.py``); spans, quotation marks, chains and speaker resolution follow
conventions and are written by hand. Scores are in ``benchmarks/attribution_eval.py``.

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

from rashomon.analyze.attribution_features import DocContext, lexicon
from rashomon.analyze.attribution_model import AttributionModel, default_model
from rashomon.analyze.attribution_tagger import role_probs
from rashomon.analyze.cue_detection import detect
from rashomon.analyze.quote_followups import followup_attributions, label_attributions
from rashomon.analyze.reported_speech import is_direct
from rashomon.analyze.speakers import SpeakerResolver
from rashomon.models import Attribution, Entity

log = logging.getLogger(__name__)

def find_attributions(doc: Any, entities: list[Entity] | None = None,
                      model: AttributionModel | None = None, roles: Any = None) -> list[Attribution]:
    """Attributions found in a parsed document (spaCy ``Doc``), in text order. ``roles``: the role
    tagger's probabilities for ``doc`` (by default those the pipeline stored, else computed) when
    the model uses them."""
    model = model or default_model()
    if len(doc) == 0:
        return []
    if roles is None and model.uses_roles:
        roles = role_probs(doc)
    ctx = DocContext.build(doc, roles if model.uses_roles else None)
    resolver = SpeakerResolver(doc, entities, ctx.doc_text)
    found: list[tuple[Any, Attribution]] = []
    for cand in detect(ctx, model):
        cue, cls, src, s_range = cand.cue, cand.cls, cand.src, cand.src_range
        (c_lo, c_hi), (lo, hi) = cand.cue_range, cand.content
        cs, ce = ctx.char_range(c_lo, c_hi)
        ts, te = ctx.char_range(lo, hi)
        text = ctx.doc_text
        att = Attribution(
            speaker=None, speaker_start=None, speaker_end=None,
            cue=text[cs:ce], cue_start=cs, cue_end=ce, content=text[ts:te], content_start=ts, content_end=te,
            direct=is_direct(lo, hi, ctx), kind=_kind(cls))
        if s_range:
            ss, se = ctx.char_range(*s_range)
            att.speaker_start, att.speaker_end = ss, se
            att.speaker, att.speaker_key = resolver.resolve(ss, se, src)
        found.append((cue, att))
        resolver.note(att, src)
    for cue, head, att in [*followup_attributions(doc, ctx.quotes, [a for _, a in found]),
                           *label_attributions(doc, [a for _, a in found])]:
        att.speaker, att.speaker_key = resolver.resolve(att.speaker_start, att.speaker_end, head)
        found.append((cue, att))
        resolver.note(att, head)
    _link_chains(found)
    return [a for _, a in sorted(found, key=lambda p: p[1].cue_start)]


def _kind(cls: str) -> str:
    return cls if cls in ("belief", "intention") else "speech"


def _link_chains(found: list[tuple[Any, Attribution]]) -> None:
    """"X said ..., citing Y": Y joins the ``via`` of X's attribution."""
    via_cues = set(lexicon()["via_cues"])
    by_head = {cue.i: att for cue, att in found}
    for cue, att in found:
        if cue.lemma_.lower() not in via_cues and cue.lower_ not in via_cues:
            continue
        parent, anc = None, cue
        for _ in range(4):  # "X reported that A, citing Y": the parse may hang "citing" inside A
            if anc.head is anc:
                break
            anc = anc.head
            parent = by_head.get(anc.i)
            if parent is not None:
                break
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
    version = 2

    def __init__(self, model: AttributionModel | None = None) -> None:
        self.model = model

    def __call__(self, state) -> None:
        state.results.quotes = find_attributions(state.doc, state.results.entities or None, self.model)
