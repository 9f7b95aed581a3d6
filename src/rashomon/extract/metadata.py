"""Metadata helpers shared by the HTML and scraped-text extractors: author names from bylines.

A byline is free text: "By Jane Roe and John Doe", "Jane Roe, John Doe | Reuters",
"by Nate Ostiller and The Kyiv Independent news desk January 29, 2024 3:49 PM". ``split_authors``
turns it into a list of names; words that only decorate a byline are kept as data below.
"""
from __future__ import annotations

import re

# Leading words that introduce a byline, and trailing role words that are not names.
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|reported|posted|published|story|text|words|analysis)\s+)?(?:by|from|von|par|por)\s*[:\-]?\s+",
    re.I)
# "y"/"e" (Spanish/Portuguese "and") only in lower case: "Bruce Y. Lee" is one name.
AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|(?-i:\by\b)|\bwith\b)\s*", re.I)
NOT_A_NAME = re.compile(
    r"^(?:staff|staff writer|reporter|correspondent|editor|contributor|columnist|updated|published|"
    r"posted|min read|read more|share|follow|email|twitter|facebook|photo|photos|video)$", re.I)
# A date or time at the end of a byline line ("January 29, 2024 3:49 PM") is not part of a name.
TRAILING_DATE = re.compile(
    r"\s+(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b.*|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}.*|"
    r"\d{4}-\d{2}-\d{2}.*|\d{1,2}[:.]\d{2}\s*(?:am|pm)?.*|\d+\s+min(?:ute)?s?\s+read.*)$",
    re.I)


def split_authors(byline: str) -> list[str]:
    """Names in a byline, in order, without the "By" prefix, dates, roles or duplicates."""
    text = BYLINE_PREFIX.sub("", byline.strip())
    text = TRAILING_DATE.sub("", text)
    names: list[str] = []
    for part in AUTHOR_SEPARATORS.split(text):
        name = part.strip(" .:-–—\t")
        if not name or NOT_A_NAME.match(name) or len(name) > 80:
            continue
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names
