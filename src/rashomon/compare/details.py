"""Details of a fact: which outlets tell which part of it.

A fact groups statements that tell the same thing; each telling still carries its own details ("two
tugs reached the ferry *within half an hour*" / "*three* patrol boats"). For every fact told by two
outlets or more, each mention's words are marked with the articles of the fact that carry them too:
a content word by its stem ("inquiry" / "inquiries"), a number by its value, a time by an overlapping
calendar interval, a name by its story identity (``features.story_identities``). Runs of words carried
by the same articles, not by all of the fact's articles, are the fact's ``details``: what one outlet
(or some) adds to the shared telling, and so what the others leave out at a finer grain than the
fact. Function words never start or end a run, and do not break one.
"""
from __future__ import annotations

from rashomon.compare.facts import Fact, outlet_key
from rashomon.compare.features import StoryStatements
from rashomon.compare.text import TOKEN, stem, weight
from rashomon.compare.timevalues import interval, overlap

MAX_DETAILS = 12   # per fact, the longest runs first (then in text order)


def _units(data: StoryStatements, row: int) -> tuple[list[tuple[int, int, tuple]], set[tuple]]:
    """(start, end, unit) of a statement's content tokens in article offsets, and every unit it carries.

    A unit is ("w", stem), ("n", value), ("t", interval) or ("e", identity key). Times, numbers and names
    are shown as one unit each; the words inside them are carried too ("September" is carried by
    "September 2019", "Ege Mavi Lines" by a name the analysis missed)."""
    a = data.articles[int(data.article_of[row])]
    s = data.statement(row)
    spans: list[tuple[int, int, tuple]] = []
    for t in s.times:
        if 0 <= t < len(a.times):
            tx = a.times[t]
            span = interval(tx.value, tx.mod) or interval(tx.value)
            if span:
                spans.append((tx.start, tx.end, ("t", span)))
    for q in s.numbers:
        if q.value is not None:
            spans.append((q.start, q.end, ("n", float(q.value))))
    ident = data.identity
    for e in a.entities:
        if s.start <= e.start and e.end <= s.end and e.key:
            spans.append((e.start, e.end, ("e", ident.get(e.key, e.key))))
    shown = list(spans)
    carried = {u for _, _, u in spans}
    for m in TOKEN.finditer(s.text):
        start, end = s.start + m.start(), s.start + m.end()
        word = m.group()
        if word[0].isdigit() or weight(word) <= 0:
            continue
        carried.add(("w", stem(word)))
        if not any(b <= start < e for b, e, _ in spans):
            shown.append((start, end, ("w", stem(word))))
    words_of = {}
    for b, e, u in spans:
        words_of[u] = {("w", stem(w)) for w in TOKEN.findall(a.article.text[b:e]) if not w[0].isdigit()
                       and weight(w) > 0}
    return sorted(((b, e, (u, frozenset(words_of.get(u, ())))) for b, e, u in shown), key=lambda x: x[0]), carried


def _carried(unit: tuple, other: set[tuple]) -> bool:
    (kind, value), words = unit
    if kind == "t":
        return any(k == "t" and overlap(value, v) for k, v in other)
    if (kind, value) in other:
        return True
    return bool(words) and words <= other   # a name or time told in the same words


def fact_details(data: StoryStatements, fact: Fact) -> list[dict]:
    """Details of one fact (see the module docstring): [{"articles": [ids], "text", "mentions": [...]}]."""
    outlets = {outlet_key(data, k) for k in fact.articles}
    if len(outlets) < 2:
        return []
    units, by_article = {}, {}
    for r in fact.rows:
        units[r], carried = _units(data, r)
        by_article.setdefault(int(data.article_of[r]), set()).update(carried)
    everyone = frozenset(fact.articles)
    runs: dict[tuple[frozenset, str], dict] = {}
    for r in fact.rows:
        art = int(data.article_of[r])
        text = data.articles[art].article.text
        current: list[tuple[int, int]] = []
        current_set: frozenset | None = None

        def flush() -> None:
            if current and current_set is not None and current_set != everyone:
                start, end = current[0][0], current[-1][1]
                phrase = text[start:end]
                key = (current_set, phrase.casefold())
                entry = runs.setdefault(key, {"articles": current_set, "text": phrase, "mentions": [],
                                              "size": end - start})
                entry["mentions"].append({"article": data.articles[art].article.id, "start": start, "end": end,
                                          "text": phrase})
        for start, end, unit in units[r]:
            carriers = frozenset([art] + [k for k, us in by_article.items() if k != art and _carried(unit, us)])
            if carriers != current_set:
                flush()
                current, current_set = [], carriers
            current.append((start, end))
        flush()
    found = sorted(runs.values(), key=lambda e: -e["size"])[:MAX_DETAILS]
    found.sort(key=lambda e: (sorted(e["articles"]), e["mentions"][0]["start"]))
    return [{"articles": [data.articles[k].article.id for k in sorted(e["articles"])], "text": e["text"],
             "mentions": e["mentions"]} for e in found]
