"""A gazetteer for spaCy: the names rashomon knows (countries, their adjectives, capitals, the
alias table's places and organizations) tagged where the small statistical model missed them.

It runs after spaCy's ``ner`` and never overwrites its entities, so "Michael Jordan" stays a person;
it only adds spans the model left untagged ("Shelling hit Kyiv overnight"). Ambiguous names listed
in ``data/aliases.json`` are left to the model.
"""
from __future__ import annotations

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


def add_gazetteer(nlp) -> None:
    """Add the gazetteer after the model's NER (idempotent)."""
    if "rashomon_gazetteer" in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", name="rashomon_gazetteer", after="ner",
                         config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(gazetteer_patterns())
