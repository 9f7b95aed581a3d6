"""Quotation-mark spans in article text: pairing opening and closing marks, across paragraphs.

Hand-written: quotation marks follow typographic conventions, not statistics. Double quotes are
paired (curly “ ” and straight "); a straight mark opens when it follows a space, a line start or
an opening bracket or dash, and closes otherwise. A quotation left open at a paragraph's end that
is taken up by an opening mark at the start of the next paragraph continues there (the newspaper
convention for multi-paragraph quotes). Single quotes and apostrophes are not paired: they are
too ambiguous, and news text uses them for quotes inside quotes and headlines.
"""
from __future__ import annotations

from dataclasses import dataclass

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'
_OPEN_CONTEXT = " \t\n([{—–-/"
MAX_QUOTE_CHARS = 6000


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: ``start``/``end`` include the marks, ``inner_start``/``inner_end`` do not."""

    start: int
    end: int
    paragraphs: int = 1

    @property
    def inner_start(self) -> int:
        return self.start + 1

    @property
    def inner_end(self) -> int:
        return self.end - 1


def _marks(text: str) -> list[tuple[int, str]]:
    """Every double quotation mark as (offset, 'open' | 'close')."""
    out = []
    for i, ch in enumerate(text):
        if ch in OPENERS:
            out.append((i, "open"))
        elif ch in CLOSERS:
            out.append((i, "close"))
        elif ch == STRAIGHT:
            before = text[i - 1] if i else "\n"
            after = text[i + 1] if i + 1 < len(text) else "\n"
            if before in _OPEN_CONTEXT and not after.isspace():
                out.append((i, "open"))
            elif after.isspace() or after in ".,;:!?)]}—–-'’" or before.isalnum() or before in ".,;:!?'’":
                out.append((i, "close"))
            else:
                out.append((i, "open"))
    return out


def _paragraph_start(text: str, pos: int) -> bool:
    """True when ``pos`` is the first non-space character of a line."""
    j = pos - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] == "\n"


def find_quotes(text: str) -> list[QuoteSpan]:
    """Quotation spans in ``text``, in order, not nested (inner quotes are part of the outer one)."""
    marks = _marks(text)
    spans: list[QuoteSpan] = []
    k = 0
    while k < len(marks):
        pos, kind = marks[k]
        if kind != "open":
            k += 1
            continue
        start, paragraphs, j = pos, 1, k + 1
        end = None
        while j < len(marks):
            p2, kind2 = marks[j]
            if p2 - start > MAX_QUOTE_CHARS:
                break
            newline = text.find("\n", marks[j - 1][0], p2)
            if kind2 == "close":
                if newline == -1:
                    end = p2 + 1
                    break
                break  # a closing mark past a paragraph break without a new opening: unpaired
            # another opening mark: a paragraph continuation, or the previous quote was never closed
            if newline != -1 and _paragraph_start(text, p2):
                paragraphs += 1
                j += 1
                continue
            break
        if end is not None and text[start + 1:end - 1].strip():
            spans.append(QuoteSpan(start, end, paragraphs))
            k = j + 1
        else:
            k += 1
    return spans
