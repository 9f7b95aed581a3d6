"""Sources per article: who is quoted or cited, their role, direct or reported, how often, and chains.

Read from the analysis' attributions (``quotes``). An attribution counts as sourcing when it is a
direct quotation, "according to", or its cue is a reporting verb (``data/sources.json``: "said",
"told", "reported", "citing"...); beliefs, intentions and stances ("X wants", "X has backed") are
attributions, but nobody is quoted or cited in them. Speakers are grouped by entity key (the analysis' ``speaker_key``,
else a named entity inside the speaker span), else by their words: those are **unnamed** sources
("a port official", "local media") and are counted as such. Chains: "TASS announced ..., citing
Yuri Ushakov" is one attribution of TASS with ``via: ["Yuri Ushakov"]``; the analysis also keeps the
citing itself ("citing" + "Yuri Ushakov") as an attribution, which is skipped here so the relay is
not counted twice.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from rashomon.compare.features import StoryStatements
from rashomon.compare.text import fold, stem
from rashomon.models import AnalyzedArticle, Attribution, Entity

# irregular past forms of speech verbs (the lexicon holds lemmas; records hold the cue as written)
_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write", "spoke": "speak",
              "spoken": "speak", "written": "write", "thought": "think", "felt": "feel", "knew": "know",
              "saw": "see", "gave": "give", "held": "hold", "made": "make", "put": "put", "read": "read",
              "taught": "teach", "swore": "swear", "sworn": "swear", "foresaw": "foresee"}
_ROLE_NUMBER = re.compile(r"^\d")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,]*(?:who|which|that)$", re.IGNORECASE)
_TAIL = re.compile(r"(?:[\s,]*\b(?:who|which|that))?[\s,.;:\"“”']*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = json.loads(resources.files("rashomon.analyze").joinpath("data/attribution_lexicon.json")
                      .read_text("utf-8"))
    ours = json.loads(resources.files("rashomon.compare").joinpath("data/sources.json").read_text("utf-8"))
    cues = frozenset(stem(w) for w in ours["reporting_verbs"])
    return cues, frozenset(data.get("via_cues", [])), frozenset(data.get("media_nouns", []))


def is_sourcing(q: Attribution) -> bool:
    """True for quotations and speech/evidence cues (see the module docstring)."""
    if q.direct:
        return True
    words = re.findall(r"[a-zA-Z]+", q.cue.lower())
    if not words:
        return q.cue.strip() == ":"
    if " ".join(words[-2:]) == "according to" or words[-1] == "according":
        return True
    cues, _, _ = _lexicon()
    head = words[-1]
    return stem(_IRREGULAR.get(head, head)) in cues


def _entity_in(a: AnalyzedArticle, start: int | None, end: int | None) -> Entity | None:
    """The named entity that heads a speaker span: it ends where the span's words end ("coast guard
    spokesman Nikos Stamatiou, who" -> Stamatiou; "Turkish local media" -> none, the media are unnamed)."""
    if start is None or end is None:
        return None
    raw = a.article.text[start:end]
    head_end = start + _TAIL.search(raw).start()
    inside = [e for e in a.entities if e.start < end and start < e.end and abs(e.end - head_end) <= 1]
    if not inside:
        return None
    people = [e for e in inside if e.label == "PERSON"]
    return (people or inside)[-1]


def _clean(text: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", text.strip(" ,.;:\"“”'"))).strip()


def _role(a: AnalyzedArticle, key: str | None, ent: Entity | None) -> str | None:
    for e in ([ent] if ent else []) + [e for e in a.entities if key and e.key == key]:
        if e is not None and e.role and not _ROLE_NUMBER.match(e.role):
            return e.role
    return None


def _kind_of(key: str | None, ent: Entity | None, speaker: str) -> str:
    """person | government | organisation | media | unnamed."""
    _, _, media = _lexicon()
    words = set(re.findall(r"[a-z]+", speaker.lower()))
    if words & media:
        return "media"
    prefix = (key or "").split(":", 1)[0]
    if prefix == "person" or ent is not None and ent.label == "PERSON":
        return "person"
    if prefix in ("country", "place") or ent is not None and ent.label == "GPE":
        return "government"
    if key or ent is not None:
        return "organisation"
    return "unnamed"


def article_sources(a: AnalyzedArticle) -> list[dict]:
    """Source entries of one article, most cited first."""
    _, via_cues, _ = _lexicon()
    relayed = {fold(v) for q in a.quotes for v in (q.via or [])}
    found: dict[str, dict] = {}
    for q in a.quotes:
        if not is_sourcing(q):
            continue
        cue_words = q.cue.lower().split()
        if cue_words and cue_words[-1] in via_cues and fold(_clean(q.content).split(",")[0]) in relayed:
            continue  # the "citing Y" half of a chain already shown as X's via
        ent = _entity_in(a, q.speaker_start, q.speaker_end)
        key = q.speaker_key or (ent.key if ent else None)
        raw = q.speaker or (a.article.text[q.speaker_start:q.speaker_end] if q.speaker_start is not None else "")
        speaker = (ent.canonical if ent and not q.speaker_key else _clean(raw or "")) or "(no source named)"
        ident = key or "words:" + fold(speaker)
        entry = found.get(ident)
        if entry is None:
            entry = found[ident] = {"article": a.article.id, "speaker": speaker, "key": key,
                                    "named": key is not None, "role": _role(a, key, ent) or
                                    (None if key else _clean(raw or "") or None),
                                    "type": _kind_of(key, ent, speaker),
                                    "direct": 0, "indirect": 0, "via": [], "mentions": []}
        entry["direct" if q.direct else "indirect"] += 1
        for v in q.via or []:
            if v not in entry["via"]:
                entry["via"].append(v)
        mention = {"start": q.content_start, "end": q.content_end, "text": q.content, "cue": q.cue,
                   "direct": q.direct}
        if q.speaker_start is not None:
            mention.update(speaker_start=q.speaker_start, speaker_end=q.speaker_end)
        if q.via:
            mention["via"] = list(q.via)
        entry["mentions"].append(mention)
    out = list(found.values())
    for e in out:
        if not e["via"]:
            del e["via"]
    return sorted(out, key=lambda e: (-(e["direct"] + e["indirect"]), e["mentions"][0]["start"]))


def find_sources(data: StoryStatements) -> list[dict]:
    """Source entries of every article of the story (article by article)."""
    return [entry for a in data.articles for entry in article_sources(a)]
