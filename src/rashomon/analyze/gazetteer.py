"""A gazetteer for spaCy: the names rashomon knows (countries, their adjectives, capitals, the
alias table's places and organizations) and titled names ("Mayor Ana Reyes") tagged where the
small statistical model missed them.

It runs after spaCy's ``ner`` and never overwrites its entities, so "Michael Jordan" stays a person;
it only adds spans the model left untagged ("Shelling hit Kyiv overnight"). Ambiguous names listed
in ``data/aliases.json`` are left to the model.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span
from spacy.util import filter_spans

from rashomon.analyze.countries import aliases, country_index


def gazetteer_patterns() -> list[dict]:
    """Entity-ruler patterns: exact surface forms with their labels."""
    table = aliases()
    ambiguous = set(table.get("ambiguous", []))
    index = country_index()
    patterns: dict[str, str] = {}
    for surface, label in index.surface.items():
        patterns[surface] = label
    for capital in table.get("capitals", {}):
        patterns.setdefault(capital, "GPE")
    for place, canonical in table.get("places", {}).items():
        patterns.setdefault(place, "GPE")
        patterns.setdefault(canonical, "GPE")
    for org, canonical in table.get("organizations", {}).items():
        if not org.startswith("the "):
            patterns.setdefault(org, "ORG")
        patterns.setdefault(canonical, "ORG")
    return [{"label": label, "pattern": text} for text, label in sorted(patterns.items())
            if text not in ambiguous and len(text) > 1 and any(c.isupper() for c in text)]


@Language.component("rashomon_titled_people")
def titled_people(doc):
    """A title followed by one to three capitalised proper nouns is a person ("Mayor Ana Reyes"),
    whatever the model labelled those words; the title itself stays outside the entity."""
    from rashomon.analyze.entities import title_words

    titles = title_words()
    people = []
    i = 0
    while i < len(doc) - 1:
        if doc[i].lower_ in titles and _name_token(doc[i + 1]):
            j = i + 1
            while j < len(doc) and j - i <= 3 and _name_token(doc[j]):
                j += 1
            people.append(Span(doc, i + 1, j, label="PERSON"))
            i = j
        else:
            i += 1
    if people:
        kept = [e for e in doc.ents if not any(e.start < p.end and p.start < e.end for p in people)]
        doc.ents = filter_spans(kept + people)
    return doc


def _name_token(tok) -> bool:
    return tok.is_title and tok.pos_ == "PROPN" and tok.is_alpha


def add_gazetteer(nlp) -> None:
    """Add the gazetteer after the model's NER (idempotent)."""
    if "rashomon_gazetteer" in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    nlp.add_pipe("rashomon_titled_people", after="ner")
    ruler = nlp.add_pipe("entity_ruler", name="rashomon_gazetteer", after="rashomon_titled_people",
                         config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(gazetteer_patterns())
