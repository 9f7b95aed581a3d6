"""Statements: an article cut into small factual units (sentences, split again at semicolons), each
carrying the entity keys, normalized times, quantities and the attribution it sits under, all by
span. The comparison stage aligns these across outlets.
"""
from __future__ import annotations

from rashomon.analyze.numbers import find_quantities
from rashomon.models import Statement

MIN_WORDS = 3


class StatementSplitter:
    """Pipeline component: adds ``statements``."""

    name = "statements"
    reads = ("doc", "entities", "times", "quotes")
    writes = ("statements",)
    version = 1

    def __call__(self, state) -> None:
        res = state.results
        res.statements = split_statements(state.doc, res.entities, res.times, res.quotes)


def _clauses(sent):
    """Spans of a sentence split at semicolons."""
    start = sent.start
    for tok in sent:
        if tok.text == ";" and tok.i > start:
            yield sent.doc[start:tok.i]
            start = tok.i + 1
    if start < sent.end:
        yield sent.doc[start:sent.end]


def split_statements(doc, entities, times, quotes) -> list[Statement]:
    """Statements of a parsed article with references to the other analyses."""
    out = []
    for sent in doc.sents:
        for span in _clauses(sent):
            words = [t for t in span if t.is_alpha]
            if len(words) < MIN_WORDS:
                continue
            start, end = span.start_char, span.end_char
            text = doc.text[start:end].strip()
            start += len(doc.text[start:end]) - len(doc.text[start:end].lstrip())
            end = start + len(text)
            keys = []
            for e in entities:
                if start <= e.start < end and e.key not in keys:
                    keys.append(e.key)
            time_ids = [i for i, t in enumerate(times) if start <= t.start < end]
            numbers = [q for q in find_quantities(span)
                       if not any(t.start < q.end and q.start < t.end for t in times)]
            attribution = next((i for i, q in enumerate(quotes)
                                if q.content_start < end and start < q.content_end
                                or start <= q.cue_start < end), None)
            out.append(Statement(start=start, end=end, text=text, entities=keys, times=time_ids,
                                 numbers=numbers, attribution=attribution))
    return out
