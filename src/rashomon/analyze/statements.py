"""Statements: an article cut into small factual units, each carrying the entity keys, normalized
times, quantities and the attribution it sits under, all by span. The comparison stage aligns these
across outlets, so a unit should hold one fact: sentences are split again at semicolons, at
paragraph breaks the sentence splitter missed, and between coordinated clauses that each have their
own subject ("No one was killed, and all 212 passengers were taken off" is two facts; "X announced
an inquiry, while Y opened its own" too). The split points come from spaCy's dependency parse.
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
    version = 2

    def __call__(self, state) -> None:
        res = state.results
        res.statements = split_statements(state.doc, res.entities, res.times, res.quotes)


CONTRAST_MARKS = {"while", "whereas"}


def _split_points(sent) -> list[tuple[int, int]]:
    """(end of the clause before, start of the clause after) token indexes inside a sentence."""
    points = []
    for tok in sent:
        if tok.i == sent.start:
            continue
        if tok.text == ";" or "\n" in tok.text:
            points.append((tok.i, tok.i + 1))
        elif tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.pos_ in ("VERB", "AUX") \
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
            start = tok.left_edge.i
            end = start
            while end > sent.start and (sent.doc[end - 1].dep_ == "cc" or sent.doc[end - 1].is_punct):
                end -= 1
            if sent.start < end < start <= tok.i:
                points.append((end, start))
        elif tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in tok.children):
            start = tok.left_edge.i
            end = start
            while end > sent.start and sent.doc[end - 1].is_punct:
                end -= 1
            if sent.start < end <= start and start > tok.head.i:
                points.append((end, start))
    return sorted(set(points))


def _clauses(sent):
    """(start token, end token) of a sentence's clauses (see the module docstring)."""
    start = sent.start
    for end, nxt in _split_points(sent):
        if end > start:
            yield start, end
        start = max(start, nxt)
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
            if end - start < 2:
                continue
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
