"""Quantities in news text: the value, its unit and what it counts.

"nearly 85,000 Russian soldiers" -> 85000, counts "Russian soldiers", qualifier "nearly";
"$1.1 billion" -> 1.1e9 USD; "three Black Sea ports" -> 3, counts "Black Sea ports";
"4.5 percent" -> 4.5 %. Candidates are spaCy's CARDINAL, MONEY, PERCENT and QUANTITY entities;
values are read by hand from digits and number words (word lists in ``data/numbers.json``)
because number-parsing libraries do not handle "1.1 billion" or "tens of thousands" together with
the noun a number counts, which comes from the dependency parse.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from rashomon.models import Quantity

NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@lru_cache(maxsize=1)
def _words() -> dict:
    data = json.loads(resources.files("rashomon.analyze").joinpath("data/numbers.json").read_text("utf-8"))
    data["qualifiers"] = sorted(data["qualifiers"], key=len, reverse=True)
    return data


def parse_value(text: str) -> float | None:
    """The number a phrase states ("85,000", "1.1 billion", "three", "twenty-five", "2m"), or None."""
    words = _words()
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-zA-Z]+", text.replace("-", " "))
    total, current, seen = 0.0, 0.0, False
    for tok in tokens:
        low = tok.lower()
        if _DIGITS.match(tok):
            current += float(tok.replace(",", ""))
            seen = True
        elif match := re.fullmatch(r"(\d+(?:\.\d+)?)(k|m|bn|mln|tn)", low):
            current += float(match.group(1)) * words["scales"][match.group(2)]
            seen = True
        elif low in words["units"]:
            current += words["units"][low]
            seen = True
        elif low in words["scales"] and seen:
            scale = words["scales"][low]
            if scale >= 1000:
                total += (current or 1) * scale
                current = 0.0
            else:
                current = (current or 1) * scale
        elif low in ("and", "of", "tens", "hundreds", "thousands", "millions") or not seen:
            continue
    value = total + current
    return value if seen else None


def find_quantities(ents, doc_text: str) -> list[Quantity]:
    """Quantities among spaCy entity spans (e.g. a sentence's), with offsets into ``doc_text``."""
    words = _words()
    out = []
    for ent in ents:
        if ent.label_ not in NUMBER_LABELS:
            continue
        text = ent.text
        start, end = ent.start_char, ent.end_char
        qualifier = None
        low = text.lower()
        for q in words["qualifiers"]:
            if low.startswith(q + " "):
                qualifier = q
                break
        if qualifier is None:
            before = " " + doc_text[max(0, start - 20):start].lower().rstrip()
            qualifier = next((q for q in words["qualifiers"] if before.endswith(" " + q)), None)
        value = parse_value(text)
        unit = _unit(ent, low, words)
        counts = None if unit in words["currencies"].values() else _counts(ent)
        out.append(Quantity(text=text, start=start, end=end, value=value, unit=unit, counts=counts,
                            qualifier=qualifier))
    return out


def _unit(ent, low: str, words: dict) -> str | None:
    for symbol, code in words["currencies"].items():
        if not symbol.isalpha() and symbol in ent.text:
            return code
    following = [ent.doc[ent.end]] if ent.end < len(ent.doc) else []
    for tok in [*ent, *following]:
        if tok.lower_ in words["currencies"]:
            return words["currencies"][tok.lower_]
    if ent.label_ == "PERCENT" or any(p in low for p in words["percent"]):
        return "%"
    if ent.label_ == "QUANTITY":
        last = ent[-1]
        return last.lower_ if last.is_alpha else None
    return None


def _counts(ent) -> str | None:
    """The noun phrase a number counts ("three Black Sea ports" -> "Black Sea ports")."""
    root = ent.root
    head = root.head if root.dep_ in ("nummod", "quantmod") else None
    if head is None or head.i < ent.end - 1 or head.pos_ not in ("NOUN", "PROPN"):
        nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if ent.label_ == "CARDINAL" and nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.dep_ != "nummod":
            head = nxt
        else:
            return None
    left = [t for t in head.lefts if t.i >= ent.end and t.dep_ in ("compound", "amod", "nmod")]
    first = min([t.left_edge.i for t in left] + [head.i])
    return ent.doc[first:head.i + 1].text
