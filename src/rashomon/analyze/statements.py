"""Statements: an article cut into small factual units (sentences, split again at semicolons), each
carrying the entity keys, normalized times, quantities and the attribution it sits under, all by
span. The comparison stage aligns these across outlets.
"""
from __future__ import annotations

from bisect import bisect_left

from rashomon.analyze.numbers import NUMBER_LABELS, find_quantities
from rashomon.models import Statement

MIN_WORDS = 3
MAX_QUOTE_CHARS = 5000  # a quote's content starting further back than this is not looked for


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
    """(start token, end token) of a sentence's parts, split at semicolons."""
    start = sent.start
    for tok in sent:
        if tok.text == ";" and tok.i > start:
            yield start, tok.i
            start = tok.i + 1
    if start < sent.end:
        yield start, sent.end


class _ByStart:
    """Items sorted by start offset, for the ones starting inside a span (linear overall)."""

    def __init__(self, items, start=lambda x: x.start):
        self.items = sorted(items, key=start)
        self.starts = [start(x) for x in self.items]

    def within(self, start: int, end: int) -> list:
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def split_statements(doc, entities, times, quotes) -> list[Statement]:
    """Statements of a parsed article with references to the other analyses."""
    text = doc.text
    ents = _ByStart(entities)
    time_ids = _ByStart(range(len(times)), start=lambda i: times[i].start)
    number_ents = _ByStart([e for e in doc.ents if e.label_ in NUMBER_LABELS], start=lambda e: e.start_char)
    by_content = _ByStart(range(len(quotes)), start=lambda i: quotes[i].content_start)
    by_cue = _ByStart(range(len(quotes)), start=lambda i: quotes[i].cue_start)
    out = []
    for sent in doc.sents:
        for first, last in _clauses(sent):
            span = doc[first:last]
            if sum(1 for t in span if t.is_alpha) < MIN_WORDS:
                continue
            raw_start, raw_end = span.start_char, span.end_char
            raw = text[raw_start:raw_end]
            start = raw_start + len(raw) - len(raw.lstrip())
            end = raw_start + len(raw.rstrip())
            keys = list(dict.fromkeys(e.key for e in ents.within(start, end)))
            tids = time_ids.within(start, end)
            numbers = [q for q in find_quantities(number_ents.within(start, end), text)
                       if not any(times[t].start < q.end and q.start < times[t].end for t in tids)]
            overlapping = [i for i in by_content.within(start - MAX_QUOTE_CHARS, end)
                           if quotes[i].content_end > start] + by_cue.within(start, end)
            attribution = min(overlapping) if overlapping else None
            out.append(Statement(start=start, end=end, text=text[start:end], entities=keys, times=tids,
                                 numbers=numbers, attribution=attribution))
    return out
