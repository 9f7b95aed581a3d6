"""Attributions written by typographic convention rather than by a sentence with a speech verb.

Three conventions the learned cue model misses because the parse gives the speaker no sentence
with the quotation in it:

* a question or exclamation ends the quotation, so the sentence splitter ends the sentence there:
  “How many times do we have to see this?” Clinton said.  /  “You winning?” she said, but ...
  /  “Enough!” said the mayor.
* a dash and a name after the closing mark (epigraphs, vox pops, social-media quotes):
  “He represents our greatest shame.” ― Sonya Herridge
* a transcript or headline line opened by a name and a colon:
  WALLACE: Let's start with the debate.  /  Pat Caddell: Democrat voters worried about ...

Hand-written like ``quote_marks.py``: these follow conventions, not statistics. Only a quotation no
found attribution already covers is looked at, and only the few tokens after its closing mark.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

from rashomon.analyze.attribution_features import lexicon
from rashomon.analyze.quote_marks import QuoteSpan
from rashomon.models import Attribution

DASHES = "―—–"
MAX_NAME_TOKENS = 5
ENDS = {".", ",", ";", ":", "!", "?"}
RESUMES = {"but", "and", "as", "before", "after", "adding", "while", "when"}
# a line opened by a name (up to four capitalised words, or one in capitals) and a colon
LABEL = re.compile(r"^[ \t]*[\"“]?((?:[A-Z][\w.'’-]*)(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(\S[^\n]*)", re.MULTILINE)
NAME_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}


def followup_attributions(doc: Any, quotes: list[QuoteSpan], found: list[Attribution]) -> list[tuple[Any, Any, Attribution]]:
    """(cue token, speaker head token, attribution) for quotations whose speaker follows them
    (see the module docstring); ``found``: the attributions already made (their quotations are skipped)."""
    text = doc.text
    starts = [t.idx for t in doc]
    taken = sorted((a.content_start, a.content_end) for a in found if a.content_start is not None)
    taken_starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))   # furthest end among contents starting so far
    cues = {a.cue_start for a in found}
    out = []
    for q in quotes:
        k = bisect.bisect_left(taken_starts, q.inner_end) - 1   # contents starting before the quote ends
        if k >= 0 and reach[k] > q.inner_start:
            continue
        pos = q.end
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] in DASHES:
            k = bisect.bisect_left(starts, pos + 1)
            dash = doc[max(0, bisect.bisect_right(starts, pos) - 1)]
            made = None if k >= len(doc) or text[pos + 1:doc[k].idx].strip() else _dash_name(doc, dash, pos, k, q)
        else:
            k = bisect.bisect_left(starts, q.end)
            if k >= len(doc) or text[q.end:doc[k].idx].strip():
                continue
            made = _said_name(doc, k, q)
        if made and made[2].cue_start not in cues:
            out.append(made)
    return out


def _attribution(doc: Any, cue: tuple[int, int], name: tuple[int, int], q: QuoteSpan) -> Attribution:
    """A direct quotation ``q`` said by the tokens ``name``, with the cue at characters ``cue``."""
    first, last = doc[name[0]], doc[name[1] - 1]
    return Attribution(speaker=None, speaker_start=first.idx, speaker_end=last.idx + len(last),
                       cue=doc.text[cue[0]:cue[1]], cue_start=cue[0], cue_end=cue[1],
                       content=doc.text[q.inner_start:q.inner_end], content_start=q.inner_start,
                       content_end=q.inner_end, direct=True, kind="speech")


def _name_run(doc: Any, k: int) -> tuple[int, int] | None:
    """Token range of a capitalised name (or a speaking pronoun, or "the" + noun) starting at ``k``."""
    if k >= len(doc):
        return None
    tok = doc[k]
    if tok.pos_ == "PRON" and lexicon()["pronouns"].get(tok.lower_) in ("male", "female", "plural"):
        return k, k + 1
    if tok.lower_ == "the" and k + 1 < len(doc) and doc[k + 1].pos_ == "NOUN":
        return k, k + 2
    j = k
    while j < len(doc) and j - k < MAX_NAME_TOKENS and (doc[j].is_title or doc[j].pos_ == "PROPN") \
            and (doc[j].is_alpha or doc[j].text.rstrip(".").isalpha()):
        j += 1
    return (k, j) if j > k else None


@lru_cache(maxsize=1)
def _speech_lemmas() -> frozenset[str]:
    return frozenset(w for w, c in lexicon()["lemma_class"].items() if c == "speech")


def _said_name(doc: Any, k: int, q: QuoteSpan) -> tuple[Any, Any, Attribution] | None:
    """“...?” Clinton said.  /  “...!” said Hester.  The quotation must end the sentence (?, !) or
    the speaker clause must stand alone up to its punctuation."""
    inner_last = doc.text[q.inner_start:q.inner_end].rstrip()[-1:]
    if inner_last not in "?!.,":
        return None
    speech = _speech_lemmas()
    name = _name_run(doc, k)
    if name and name[1] < len(doc) and doc[name[1]].lemma_.lower() in speech and doc[name[1]].pos_ == "VERB":
        cue, after = doc[name[1]], name[1] + 1
    elif doc[k].lemma_.lower() in speech and doc[k].pos_ == "VERB" and (name := _name_run(doc, k + 1)):
        cue, after = doc[k], name[1]
    else:
        return None
    if after < len(doc) and doc[after].text not in ENDS and doc[after].lower_ not in RESUMES:
        return None
    return cue, doc[name[1] - 1], _attribution(doc, (cue.idx, cue.idx + len(cue)), name, q)


def _dash_name(doc: Any, dash: Any, pos: int, k: int, q: QuoteSpan) -> tuple[Any, Any, Attribution] | None:
    """“...” ― Sonya Herridge  (``pos``: the dash's offset, ``dash`` its token, ``k`` the next token)"""
    name = _name_run(doc, k)
    if not name or doc[name[0]].pos_ == "PRON" or doc[name[0]].lower_ == "the":
        return None
    return dash, doc[name[1] - 1], _attribution(doc, (pos, pos + 1), name, q)


def label_attributions(doc: Any, found: list[Attribution]) -> list[tuple[Any, Any, Attribution]]:
    """(cue token, speaker head token, attribution) for lines opened by a speaker's name and a colon
    (transcripts, "Name: claim" headlines). The name must be a named entity, or one word in capitals
    (transcripts: WALLACE, PENCE), and not a label word ("Photo:", "UPDATE:", lexicon
    ``not_speakers``); the content runs to the end of the line."""
    text = doc.text
    starts = [t.idx for t in doc]
    labels = set(lexicon().get("not_speakers", ()))
    cues = {a.cue_start for a in found}
    out = []
    for m in LABEL.finditer(text):
        name_start, colon = m.start(1), m.end(1)
        words = m.group(1).split()
        if colon in cues or any(w.lower().strip(".") in labels for w in words):
            continue
        k = bisect.bisect_left(starts, name_start)
        j = bisect.bisect_left(starts, colon)
        if k >= len(doc) or j >= len(doc) or doc[k].idx != name_start or doc[j].idx != colon or j <= k:
            continue
        shouting = len(words) == 1 and words[0].isupper() and len(words[0]) >= 3
        if not shouting and not all(doc[i].ent_type_ in NAME_ENTITIES for i in range(k, j)):
            continue
        content_start, content_end = m.start(2), m.end(2)
        content_end -= len(text[content_start:content_end]) - len(text[content_start:content_end].rstrip(' \t"”'))
        if content_end <= content_start:
            continue
        att = Attribution(speaker=None, speaker_start=name_start, speaker_end=colon, cue=":", cue_start=colon,
                          cue_end=colon + 1, content=text[content_start:content_end], content_start=content_start,
                          content_end=content_end, direct=True, kind="speech")
        out.append((doc[j], doc[j - 1], att))
    return out
