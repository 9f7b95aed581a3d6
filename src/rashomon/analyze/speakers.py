"""Who a source mention names: pronouns and titles resolved to the named person or body.

Hand-written, deliberately simple and local (no coreference model ships with spaCy's small
English model): "he"/"she" is the most recent named person before it (a recent speaker first);
"they"/"it" a recent organisation, country or group; "the spokesperson" a named person the text
has called a spokesperson ("spokesperson Dmitriy Peskov", "Peskov, the Kremlin's spokesperson").
A mention that contains a name is that name. Names come from the entities component when it ran
(canonical names and keys), else from spaCy's entities.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from rashomon.analyze.attribution_features import lexicon
from rashomon.models import Attribution, Entity

PERSON = {"PERSON"}
GROUP = {"ORG", "GPE", "NORP", "FAC"}
NAMED = PERSON | GROUP
LOOKBACK_CHARS = 1500


@dataclass
class _Name:
    start: int
    end: int
    label: str
    name: str
    key: str | None


class SpeakerResolver:
    """Resolves source mentions of one document, in text order (``note`` each attribution found)."""

    def __init__(self, doc: Any, entities: list[Entity] | None = None, text: str | None = None) -> None:
        self.doc = doc
        self.text = text if text is not None else doc.text
        if entities:
            # A capital speaking for its government ("Kyiv said") keeps its own name; its key says Ukraine.
            names = [_Name(e.start, e.end, e.label,
                           e.text if (e.role or "").startswith("government") else e.canonical or e.text, e.key)
                     for e in entities]
        else:
            names = [_Name(e.start_char, e.end_char, e.label_, e.text, None) for e in doc.ents]
        self.names = sorted((n for n in names if n.label in NAMED), key=lambda n: n.start)
        self.starts = [n.start for n in self.names]
        self.speakers: list[tuple[int, _Name]] = []  # (offset, resolved named speaker) in text order
        self._title_hits: dict[str, list[int]] = {}  # title -> indexes of the persons written next to it
        self._by_name: dict[str, _Name] | None = None

    def _inside(self, start: int, end: int) -> list[_Name]:
        k = bisect.bisect_left(self.starts, start)
        out = []
        while k < len(self.names) and self.names[k].start < end:
            if self.names[k].end <= end:
                out.append(self.names[k])
            k += 1
        return out

    def _before(self, offset: int, labels: set[str]) -> _Name | None:
        k = bisect.bisect_left(self.starts, offset) - 1
        while k >= 0 and offset - self.names[k].end < LOOKBACK_CHARS:
            if self.names[k].label in labels:
                return self.names[k]
            k -= 1
        return None

    def resolve(self, start: int, end: int, head: Any) -> tuple[str, str | None]:
        """(speaker name, entity key or None) for the source mention at [start, end) headed by ``head``."""
        inside = self._inside(start, end)
        if inside:
            # the name that holds the head ("Kremlin spokesperson Dmitriy Peskov"), else a person or
            # organisation named after the head ("the state-run media outlet TASS"), never an
            # adjective ("Turkish local media")
            best = next((n for n in inside if n.start <= head.idx < n.end), None)
            if best is None and head.pos_ != "PROPN":
                best = next((n for n in reversed(inside) if n.label in ("PERSON", "ORG") and n.start > head.idx), None)
            if best is not None:
                return best.name, best.key
        if head.pos_ == "PROPN":
            # a name the NER missed ("Selin Aydogan, the district governor of Ayvalik"): the head's own
            # proper-noun run, never a place named in its apposition
            lo, hi = _proper_run(head)
            return self.text[lo:hi], None
        low = head.lower_
        pron = lexicon()["pronouns"].get(low)
        if pron in ("male", "female"):
            found = self._recent_speaker(start, PERSON) or self._before(start, PERSON)
            if found:
                return found.name, found.key
        elif pron in ("plural", "thing") and low not in ("we",):
            found = self._recent_speaker(start, GROUP) or self._before(start, GROUP)
            if found:
                return found.name, found.key
        elif head.tag_ in ("NN", "NNP") and head.lemma_.lower() in lexicon()["titles"] | lexicon()["source_nouns"]:
            found = self._titled(head.lemma_.lower(), start)
            if found:
                return found.name, found.key
        return self.text[start:end], None

    def _recent_speaker(self, offset: int, labels: set[str]) -> _Name | None:
        for at, name in reversed(self.speakers):
            if offset - at > LOOKBACK_CHARS:
                break
            if name.label in labels:
                # a more recent mention of another such name wins over an older speaker
                other = self._before(offset, labels)
                if other is not None and other.start > at and other.name != name.name:
                    return other
                return name
        return None

    def _titled(self, title: str, offset: int) -> _Name | None:
        """The nearest earlier person written next to the title ("spokesperson X", "X, the ... title")."""
        hits = self._title_hits.get(title)
        if hits is None:  # the persons written next to this title, found once per title
            text = self.text
            pattern = re.compile(r"\b" + re.escape(title), re.IGNORECASE)
            hits = []
            for k, n in enumerate(self.names):
                if n.label in PERSON:
                    window = text[max(0, n.start - 40):n.start] + " " + text[n.end:n.end + 60]
                    if pattern.search(window):
                        hits.append(k)
            self._title_hits[title] = hits
        j = bisect.bisect_left(hits, bisect.bisect_left(self.starts, offset)) - 1
        return self.names[hits[j]] if j >= 0 else None

    def note(self, att: Attribution, head: Any) -> None:
        """Remember a resolved speaker: later pronouns prefer recent speakers."""
        if att.speaker_start is None:
            return
        named = self._inside(att.speaker_start, att.speaker_end)
        if named:
            self.speakers.append((att.speaker_start, named[0]))
        elif att.speaker and head is not None:
            if self._by_name is None:
                self._by_name = {}
                for n in self.names:
                    self._by_name.setdefault(n.name, n)
            match = self._by_name.get(att.speaker)
            if match:
                self.speakers.append((att.speaker_start, match))


def _proper_run(head: Any) -> tuple[int, int]:
    """Character extent of the run of proper nouns holding ``head`` ("Selin Aydogan")."""
    doc, i, j = head.doc, head.i, head.i
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].head.i in (head.i, i):
        i -= 1
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].head.i == head.i:
        j += 1
    return doc[i].idx, doc[j].idx + len(doc[j])
