"""Entities with identities: spaCy's named-entity spans, each given a canonical name and a key that
is the same across spellings and articles.

Within an article, short forms join the full name they abbreviate (Putin -> Vladimir Putin,
Erdogan -> Recep Tayyip Erdoğan), titles are stripped into the entity's ``role`` ("Russian
President", "an advisor to Putin"), and acronyms defined in the text ("International Criminal Court
(ICC)") join their long form. Across articles, keys fold accents and case (Erdogan = Erdoğan), map
country names, adjectives and demonyms to ISO codes (Turkey = Türkiye = Turkish, via
``countries.py``), capitals used as actors to their country's government ("Ankara affirms"), and
names no fuzzy match can join through the alias table kept as data (Kiev = Kyiv).
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rashomon.analyze.countries import aliases, country_index, fold
from rashomon.models import Entity

log = logging.getLogger(__name__)

KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
COUNTRY_LABELS = {"GPE", "NORP", "LOC"}
ACTOR_DEPS = {"nsubj", "nsubjpass", "agent"}
_ACRONYM = re.compile(r"([A-Z][\w'’.-]*(?:\s+(?:of|for|and|the|on|de|[A-Z][\w'’.-]*))*)\s+\(([A-Z][A-Z.&-]{1,9})\)")


def title_words() -> frozenset[str]:
    """Lower-case words that title a person (data/titles.json)."""
    return _titles()[0]


@lru_cache(maxsize=1)
def _titles() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads(resources.files("rashomon.analyze").joinpath("data/titles.json").read_text("utf-8"))
    return frozenset(data["titles"]), frozenset(data["honorifics"])


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    label: str
    root: object
    role: str | None = None
    canonical: str | None = None
    key: str | None = None


class EntityLinker:
    """Pipeline component: adds ``entities`` (see the module docstring)."""

    name = "entities"
    reads = ("doc",)
    writes = ("entities",)
    version = 1

    def __call__(self, state) -> None:
        state.results.entities = link_entities(state.doc)


def link_entities(doc) -> list[Entity]:
    """Entities of a spaCy doc with canonical names, keys and roles."""
    text = doc.text  # built once: Doc.text joins every token on each call
    mentions = [m for ent in doc.ents if ent.label_ in KEEP_LABELS for m in _split(_trim(ent, text))]
    mentions = [m for m in mentions if _plausible(m)]
    _fix_labels(mentions)
    acronyms = {short: re.sub(r"^[Tt]he\s+", "", long) for long, short in _ACRONYM.findall(text)}
    _resolve_people([m for m in mentions if m.label == "PERSON"])
    for m in mentions:
        if m.label != "PERSON":
            _resolve_other(m, acronyms)
    return [Entity(text=m.text, start=m.start, end=m.end, label=m.label, canonical=m.canonical or m.text,
                   key=m.key or f"{m.label.lower()}:{fold(m.text)}", role=m.role) for m in mentions]


def _plausible(m: _Mention) -> bool:
    """Drop one-word "entities" that are common words (a capitalised noun opening a sentence)."""
    if m.root is None or m.end - m.start != len(m.root.text) or m.root.pos_ == "PROPN":
        return True
    known = country_index().lookup(m.text) or m.text in aliases()["organizations"] or m.text.isupper()
    return bool(known) or m.label == "NORP"


def _split(m: _Mention | None) -> list[_Mention]:
    """Two countries joined by a hyphen ("Türkiye-Syria normalization") are two mentions."""
    if m is None:
        return []
    parts = m.text.split("-")
    index = country_index()
    if len(parts) == 2 and all(index.lookup(p) for p in parts):
        first = _Mention(m.start, m.start + len(parts[0]), parts[0], "GPE", None)
        second_start = m.start + len(parts[0]) + 1
        return [first, _Mention(second_start, m.end, parts[1], "GPE", None)]
    return [m]


def _fix_labels(mentions: list[_Mention]) -> None:
    """Correct the small model's common confusions using what the article itself says:
    a "person" that is a known country or capital is a place ("Kyiv said"), and a "place" that
    is the last name of a person named in the article is that person ("Erdogan visited")."""
    index = country_index()
    surnames = {fold(m.text).split()[-1] for m in mentions if m.label == "PERSON" and len(m.text.split()) > 1}
    for m in mentions:
        if m.label == "PERSON" and (index.lookup(m.text) or index.capital_of(m.text)
                                    or m.text in aliases()["places"]):
            m.label, m.role = "GPE", None
        elif m.label in ("GPE", "LOC", "ORG") and len(m.text.split()) == 1 and fold(m.text) in surnames:
            m.label = "PERSON"


def _trim(ent, doc_text: str) -> _Mention | None:
    """The entity span without a leading article, titles or a trailing possessive; titles become the role."""
    titles, _ = _titles()
    tokens = list(ent)
    role_words = []
    while tokens and (tokens[0].lower_ in ("the", "a", "an") or tokens[0].lower_ in titles
                      and ent.label_ == "PERSON" and len(tokens) > 1):
        if tokens[0].lower_ in titles:
            role_words.append(tokens[0].text)
        tokens = tokens[1:]
    while tokens and tokens[-1].lower_ in ("'s", "’s", "'", "’"):
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text[start:end]
    if not any(ch.isalpha() for ch in text):
        return None
    mention = _Mention(start, end, text, ent.label_, ent.root)
    if ent.label_ == "PERSON":
        mention.role = _person_role(ent, role_words)
    return mention


def _person_role(ent, inner_titles: list[str]) -> str | None:
    """Titles before the name ("Russian President") or an apposition ("an advisor to Putin")."""
    titles, honorifics = _titles()
    doc = ent.doc
    chain, i = [], ent.start - 1
    while i >= 0 and ent.start - i <= 5:
        tok = doc[i]
        if tok.is_punct or tok.lower_ in ("the", "a", "an") or tok.lower_ in honorifics:
            break
        in_entity = tok.ent_type_ in ("NORP", "GPE", "ORG") and tok.ent_iob_ in ("B", "I")
        modifier = tok.dep_ in ("compound", "amod") and tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.head.i >= i
        if tok.lower_ in titles or in_entity or (modifier and chain):
            chain.insert(0, tok)
            i -= 1
            continue
        break
    while chain and chain[0].lower_ not in titles and not any(t.lower_ in titles for t in chain):
        chain = chain[1:]
    words = [t.text for t in chain] + inner_titles
    if words and any(w.lower() in titles for w in words):
        return " ".join(words)
    for child in ent.root.children:
        if child.dep_ == "appos" and child.i >= ent.end and child.ent_type_ != "PERSON":
            span = doc[child.left_edge.i:child.right_edge.i + 1]
            text = span.text.strip(" ,")
            if 2 <= len(text) <= 80:
                return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    head = ent.root.head
    if ent.root.dep_ == "appos" and head.lower_ in titles and head.i < ent.start:
        span = doc[head.left_edge.i:head.i + 1]
        return re.sub(r"^(?:the|a|an)\s+", "", span.text, flags=re.I)
    return None


def _resolve_people(people: list[_Mention]) -> None:
    """Join short forms to the fullest name in the article that contains them (same last name)."""
    _, honorifics = _titles()

    def tokens(m: _Mention) -> list[str]:
        return [t for t in fold(m.text).split() if t not in {h.strip(".") for h in honorifics}]

    names = sorted({tuple(tokens(m)): m.text for m in people if tokens(m)}.items(), key=lambda kv: -len(kv[0]))
    for m in people:
        toks = tokens(m)
        best = m.text
        for full, text in names:
            if len(full) > len(toks) and toks and full[-1] == toks[-1] and set(toks) <= set(full):
                best = text
                break
        m.canonical = best
        m.key = "person:" + " ".join(tokens(_Mention(0, 0, best, "PERSON", None))) if toks else None


def _resolve_other(m: _Mention, acronyms: dict[str, str]) -> None:
    table = aliases()
    index = country_index()
    known_org = table["organizations"].get(m.text)
    if known_org and m.label != "ORG":
        m.label = "ORG"
    if m.label in COUNTRY_LABELS or m.label == "ORG":
        country = index.lookup(m.text)
        if country and (m.label != "ORG" or fold(m.text) == fold(country.name) or m.text in table["countries"]):
            m.canonical, m.key = country.name, country.key
            return
    if m.label == "GPE":
        capital = index.capital_of(m.text)
        if capital and m.root is not None and m.root.dep_ in ACTOR_DEPS:
            m.canonical, m.key, m.role = capital.name, capital.key, f"government ({m.text})"
            return
        place = table["places"].get(m.text) or table["places"].get(m.text.removeprefix("the "))
        name = place or m.text
        m.canonical, m.key = name, f"place:{fold(name)}"
        return
    if m.label == "ORG":
        name = acronyms.get(m.text) or m.text
        name = table["organizations"].get(name) or table["organizations"].get(f"the {name}") or name
        m.canonical, m.key = name, f"org:{fold(name)}"
        return
    if m.label == "NORP":
        m.canonical, m.key = m.text, f"group:{fold(m.text)}"
        return
    if m.label in ("LOC", "FAC"):
        name = table["places"].get(m.text) or m.text
        m.canonical, m.key = name, f"place:{fold(name)}"
