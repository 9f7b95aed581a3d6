"""Framing: the words each outlet chooses for the same referent, and loaded labels.

Four sources of evidence, the first two needing no word list:

1. **names** (entity identity): every entity the analysis linked to one canonical key is one
   referent; its surface forms are collected per article ("Türkiye" / "Turkey", "Erdoğan" /
   "Erdogan"). The choice *differs* when an outlet uses a form no other outlet uses and that form is
   not merely a shorter or longer form of another's ("Putin" next to "Vladimir Putin" does not differ).
2. **phrases** (alignment): in two aligned mentions from different outlets, the words are aligned
   (difflib's longest matching blocks over folded tokens); a short replaced segment next to a matched
   content word is two ways of saying the same thing ("a [passenger] ferry" / "a [Turkish] ferry"). Numbers, times and names are left out (they are
   conflicts or names, not word choice), as are inflections of one word.
3. **event labels**: nouns a story uses to name what happened ("military operation", "full-scale
   war", "accident", "disaster", list in ``data/framing.json``), with up to two modifiers, grouped by
   the entity they attach to ("operation into Ukraine", "war in Ukraine"); an unattached label takes
   the entity its head noun has elsewhere in the same article, else, when it is a definite
   description ("the incident", "the worst maritime disaster"), it names the story's own event.
4. **loaded labels** (``data/framing.json``): "terrorist group", "regime"... called out where they
   occur, with the entity they label.

Referents told by one outlet only are not framing and are dropped. Each entry: ``referent``,
``kind`` (name | phrase | event | loaded), ``terms`` per article, ``differs``, ``loaded`` (the
loaded words among the terms), ``mentions`` with spans.
"""
from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

from rashomon.compare.facts import Fact, outlet_key
from rashomon.compare.features import StoryStatements
from rashomon.compare.text import TOKEN, fold, stem, weight
from rashomon.models import AnalyzedArticle

MAX_PHRASE_WORDS = 4     # longer replaced segments are different content, not different words
MAX_NAME_ENTRIES = 25    # names told alike by every outlet are listed up to this many (most mentioned)
ATTACH_WORDS = 4         # an event label attaches to an entity at most this many words after it
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LABEL_TOKEN = re.compile(r"[\w’'-]+", re.UNICODE)   # "18-month" stays one token (a number, not a modifier)
_PLACES_ORGS = ("GPE", "LOC", "NORP", "ORG", "FAC")
_DEFINITE = re.compile(r"\b(?:the|this|that)\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def lists() -> dict:
    data = json.loads(resources.files("rashomon.compare").joinpath("data", "framing.json").read_text("utf-8"))
    loaded = sorted(data["loaded"], key=lambda w: -len(w.split()))
    return {"event": frozenset(data["event_nouns"]), "loaded": loaded,
            "stop": frozenset(data["modifier_stop"])}


def _form(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return _POSSESSIVE.sub("", text).strip()


def _tokens(form: str) -> tuple[str, ...]:
    return tuple(form.casefold().split())


def _subform(x: str, y: str) -> bool:
    """True when one form's words are a contiguous part of the other's (exact spelling, any case)."""
    a, b = _tokens(x), _tokens(y)
    if len(a) > len(b):
        a, b = b, a
    return any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _names_differ(sets: dict[str, set[str]]) -> bool:
    """True when two articles each use a form of the referent the other does not use, and the two forms
    are not a short and a long form of one name ("Türkiye" / "Turkey": yes; "Putin" / "Vladimir Putin",
    or one article adding "Moscow" to the "Russia" both use: no)."""
    ids = list(sets)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            only_a, only_b = sets[a] - sets[b], sets[b] - sets[a]
            for f in only_a:
                for g in only_b:
                    if fold(f) == fold(g) or not (_subform(f, g) or any(_subform(f, h) for h in sets[b])
                                                  or any(_subform(g, h) for h in sets[a])):
                        return True
    return False


def _name_entries(data: StoryStatements) -> list[dict]:
    forms: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    mentions: dict[str, list[dict]] = defaultdict(list)
    canonical: dict[str, str] = {}
    outlets: dict[str, set[str]] = defaultdict(set)
    for k, a in enumerate(data.articles):
        for e in a.entities:
            if e.label in ("CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
                continue
            form = _form(e.text)
            if not form:
                continue
            forms[e.key][a.article.id][form] += 1
            canonical.setdefault(e.key, e.canonical)
            outlets[e.key].add(outlet_key(data, k))
            mentions[e.key].append({"article": a.article.id, "start": e.start, "end": e.end, "text": e.text})
    out = []
    for key, per_article in forms.items():
        if len(outlets[key]) < 2:
            continue
        differs = _names_differ({aid: set(c) for aid, c in per_article.items()})
        terms = {aid: [f for f, _ in c.most_common()] for aid, c in per_article.items()}
        out.append({"referent": canonical[key], "key": key, "kind": "name", "terms": terms, "differs": differs,
                    "loaded": [], "count": sum(sum(c.values()) for c in per_article.values()),
                    "mentions": mentions[key]})
    out.sort(key=lambda e: (not e["differs"], -e["count"]))
    kept = [e for e in out if e["differs"]] + [e for e in out if not e["differs"]][:MAX_NAME_ENTRIES]
    for e in kept:
        del e["count"]
    return kept


def _statement_tokens(a: AnalyzedArticle, s) -> list[tuple[str, int, int]]:
    return [(m.group(), s.start + m.start(), s.start + m.end()) for m in TOKEN.finditer(s.text)]


def _blocked(a: AnalyzedArticle, start: int, end: int) -> bool:
    """True when the span touches a name, a time or a number (not word choice)."""
    return (any(e.start < end and start < e.end and e.label not in ("NORP",) for e in a.entities)
            or any(t.start < end and start < t.end for t in a.times))


def _phrase_pairs(data: StoryStatements, facts: list[Fact]) -> list[tuple[dict, dict, str]]:
    """(term in one article, term in another, anchor word) from aligned mentions (see module docstring)."""
    pairs = []
    for fact in facts:
        if len(fact.articles) < 2:
            continue
        toks = {r: _statement_tokens(data.articles[int(data.article_of[r])], data.statement(r)) for r in fact.rows}
        for i, r1 in enumerate(fact.rows):
            for r2 in fact.rows[i + 1:]:
                a1, a2 = int(data.article_of[r1]), int(data.article_of[r2])
                if outlet_key(data, a1) == outlet_key(data, a2):
                    continue
                t1, t2 = toks[r1], toks[r2]
                sm = difflib.SequenceMatcher(None, [fold(t) for t, _, _ in t1], [fold(t) for t, _, _ in t2],
                                             autojunk=False)
                for op, i1, i2, j1, j2 in sm.get_opcodes():
                    if op != "replace" or i1 == 0 and j1 == 0 or not (0 < i2 - i1 <= MAX_PHRASE_WORDS) \
                            or not (0 < j2 - j1 <= MAX_PHRASE_WORDS):
                        continue
                    w1, w2 = t1[i1:i2], t2[j1:j2]
                    if any(t[0][0].isdigit() for t in w1 + w2):
                        continue
                    if not any(weight(t[0]) > 0 for t in w1) or not any(weight(t[0]) > 0 for t in w2):
                        continue
                    if {stem(t[0]) for t in w1} == {stem(t[0]) for t in w2}:
                        continue
                    A1, A2 = data.articles[a1], data.articles[a2]
                    s1, e1, s2, e2 = w1[0][1], w1[-1][2], w2[0][1], w2[-1][2]
                    if _blocked(A1, s1, e1) or _blocked(A2, s2, e2):
                        continue
                    after = t1[i2][0] if i2 < len(t1) and j2 < len(t2) and weight(t1[i2][0]) > 0 else ""
                    before = t1[i1 - 1][0] if i1 and j1 and weight(t1[i1 - 1][0]) > 0 else ""
                    anchor = after or before
                    if not anchor:
                        continue  # "as [it approached] the" / "as [winds swept] the": no shared word to hold on to
                    text1, text2 = A1.article.text[s1:e1], A2.article.text[s2:e2]
                    pairs.append(({"article": A1.article.id, "start": s1, "end": e1, "text": text1, "fact": fact.id},
                                  {"article": A2.article.id, "start": s2, "end": e2, "text": text2, "fact": fact.id},
                                  anchor))
    return pairs


def _phrase_entries(data: StoryStatements, facts: list[Fact]) -> list[dict]:
    pairs = _phrase_pairs(data, facts)
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m1, m2, _ in pairs:
        n1, n2 = (m1["article"], fold(m1["text"])), (m2["article"], fold(m2["text"]))
        parent[find(n1)] = find(n2)
    groups: dict = defaultdict(lambda: {"terms": defaultdict(list), "mentions": [], "anchors": Counter(),
                                        "facts": set()})
    for m1, m2, anchor in pairs:
        g = groups[find((m1["article"], fold(m1["text"])))]
        for m in (m1, m2):
            if m["text"] not in g["terms"][m["article"]]:
                g["terms"][m["article"]].append(m["text"])
            g["mentions"].append(m)
            g["facts"].add(m["fact"])
        if anchor:
            g["anchors"][anchor.casefold()] += 1
    out = []
    for g in groups.values():
        first = next(iter(g["terms"].values()))[0]
        referent = g["anchors"].most_common(1)[0][0] if g["anchors"] else first
        out.append({"referent": referent, "kind": "phrase", "terms": dict(g["terms"]), "differs": True,
                    "loaded": [], "facts": sorted(g["facts"], key=lambda f: int(f[1:])), "mentions": g["mentions"]})
    return out


def _event_entries(data: StoryStatements) -> list[dict]:
    L = lists()
    found: dict[str, dict] = defaultdict(lambda: {"terms": defaultdict(list), "mentions": [], "outlets": set()})
    names: dict[str, str] = {}
    for k, a in enumerate(data.articles):
        toks = [(m.group(), m.start(), m.end()) for m in _LABEL_TOKEN.finditer(a.article.text)]
        hits = []
        for i, (w, s, e) in enumerate(toks):
            if w.lower() not in L["event"]:
                continue
            j = i
            while j > i - 2 and j > 0 and _modifier(toks[j - 1][0], L["stop"]) \
                    and not re.search(r"[^\s]", a.article.text[toks[j - 1][2]:toks[j][1]]):
                j -= 1
            start = toks[j][1]
            key = _attached(a, start, e)
            hits.append((w.lower(), start, e, key))
        heads: dict[str, Counter] = defaultdict(Counter)
        for head, _, _, key in hits:
            if key:
                heads[head][key] += 1
        for head, s, e, key in hits:
            key = key or (heads[head].most_common(1)[0][0] if heads[head] else None)
            if key is None and not _DEFINITE.search(a.article.text[max(0, s - 12):s]):
                continue  # "a full withdrawal" names no event of the story; "the incident" does
            ref = key or "the event"
            if key:
                names.setdefault(key, next((x.canonical for x in a.entities if x.key == key), key))
            term = a.article.text[s:e]
            entry = found[ref]
            if term not in entry["terms"][a.article.id]:
                entry["terms"][a.article.id].append(term)
            entry["mentions"].append({"article": a.article.id, "start": s, "end": e, "text": term})
            entry["outlets"].add(outlet_key(data, k))
    out = []
    for ref, entry in found.items():
        if len(entry["outlets"]) < 2:
            continue
        sets = [{fold(t) for t in ts} for ts in entry["terms"].values()]
        differs = len({frozenset(s) for s in sets}) > 1
        out.append({"referent": names.get(ref, ref), "kind": "event", "terms": dict(entry["terms"]),
                    "differs": differs, "loaded": [], "mentions": entry["mentions"]})
    return out


def _modifier(word: str, stop: frozenset[str]) -> bool:
    """A word that may modify an event noun: lower case, not a function word, not a number."""
    return word[:1].islower() and word.lower() not in stop


def _attached(a: AnalyzedArticle, start: int, end: int) -> str | None:
    """Key of the entity a label names: "X's [label]" before it, else one within ATTACH_WORDS words
    after it in the same clause ("operation into Ukraine", "war in Ukraine")."""
    text = a.article.text
    for e in a.entities:
        if e.end <= start and re.fullmatch(r"['’]s?\s+", text[e.end:start]) and e.label in _PLACES_ORGS:
            return e.key
    for e in sorted(a.entities, key=lambda x: x.start):
        if e.start >= end and e.label in _PLACES_ORGS:
            gap = text[end:e.start]
            if len(TOKEN.findall(gap)) <= ATTACH_WORDS and not re.search(r"[.,;:!?]", gap):
                return e.key
            break
    return None


@lru_cache(maxsize=1)
def _loaded_pattern() -> re.Pattern:
    """One regex over every loaded phrase, longest first (so "terrorist group" wins over "terrorist")."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in lists()["loaded"]) + r")(?![\w-])",
                      re.IGNORECASE)


def _loaded_entries(data: StoryStatements) -> list[dict]:
    found: dict[str, dict] = {}
    for a in data.articles:
        text = a.article.text
        for m in _loaded_pattern().finditer(text):   # longest phrases first, no overlaps
            s, e = m.start(), m.end()
            phrase = m.group().lower()
            ent = next((x for x in a.entities if 0 <= x.start - e <= 3 or 0 <= s - x.end <= 4), None)
            ref = ent.canonical if ent else text[s:e]
            entry = found.setdefault(ref, {"referent": ref, "kind": "loaded", "terms": {}, "differs": True,
                                           "loaded": [], "mentions": []})
            term = text[s:ent.end] if ent and ent.start >= e else text[s:e]
            entry["terms"].setdefault(a.article.id, [])
            if term not in entry["terms"][a.article.id]:
                entry["terms"][a.article.id].append(term)
            if phrase not in entry["loaded"]:
                entry["loaded"].append(phrase)
            entry["mentions"].append({"article": a.article.id, "start": s, "end": e, "text": text[s:e]})
    return list(found.values())


def find_framing(data: StoryStatements, facts: list[Fact]) -> list[dict]:
    """Framing entries of a story: differing choices first (see the module docstring)."""
    entries = _name_entries(data) + _event_entries(data) + _phrase_entries(data, facts) + _loaded_entries(data)
    for e in entries:
        if e["kind"] != "loaded":
            for terms in e["terms"].values():
                for t in terms:
                    for m in _loaded_pattern().finditer(t):
                        if m.group().lower() not in e["loaded"]:
                            e["loaded"].append(m.group().lower())
    order = {"name": 0, "event": 1, "phrase": 2, "loaded": 3}
    entries.sort(key=lambda e: (not e["differs"], order[e["kind"]]))
    return entries
