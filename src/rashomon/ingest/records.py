"""JSON article records (DESIGN.md): one object per line (``.jsonl``) or a ``.json`` object or list.

Each record carries exactly one content field: ``html`` (a page), ``raw_text`` (text copied from a
page) or ``text`` (a clean body used character for character). A broken line is reported with its
number and the other lines go on.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Iterator

from rashomon.errors import InputError, RecordError
from rashomon.models import RawDocument

CONTENT_FIELDS = ("html", "raw_text", "text")
TEXT_FIELDS = ("id", "url", "outlet", "title", "published", "language")
PASSTHROUGH_FIELDS = ("story",)
_PARTIAL_ISO = re.compile(r"\d{4}(?:-\d{2})?")


def parse_records(text: str, *, source: str, lines: bool) -> Iterator[RawDocument | InputError]:
    """Records in a JSONL (``lines=True``) or JSON document; errors are yielded, not raised."""
    if lines:
        # Only "\n" ends a record: str.splitlines would also split at U+2028 and U+0085, which JSON
        # strings may hold unescaped.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{source}:{number}"
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})",
                                  source=source)
                continue
            yield _record_or_error(value, where)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", source=source)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield _record_or_error(item, f"{source}[{index}]")
    else:
        yield _record_or_error(value, source)


def _record_or_error(value: Any, where: str) -> RawDocument | RecordError:
    try:
        return record_to_document(value, source=where)
    except RecordError as exc:
        return exc


def record_to_document(record: Any, *, source: str) -> RawDocument:
    """Validate one record and turn it into a ``RawDocument``; raises ``RecordError`` naming the problem."""
    if not isinstance(record, dict):
        raise RecordError(f"a record must be a JSON object, not {type(record).__name__}", source=source)
    present = [name for name in CONTENT_FIELDS if record.get(name) not in (None, "")]
    if len(present) != 1:
        found = ", ".join(present) if present else "none"
        raise RecordError(f"a record needs exactly one of html, raw_text, text (found: {found})", source=source)
    kind = present[0]
    content = record[kind]
    if not isinstance(content, str):
        raise RecordError(f"field {kind!r} must be a string", source=source)
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = record.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise RecordError(f"field {name!r} must be a string", source=source)
        fields[name] = str(value)
    if "published" in fields:
        fields["published"] = normalize_published(fields["published"], source=source)
    authors = record.get("authors")
    if authors is not None:
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise RecordError("field 'authors' must be a list of strings", source=source)
        fields["authors"] = [a.strip() for a in authors if a.strip()]
    extra = {name: record[name] for name in PASSTHROUGH_FIELDS if name in record}
    return RawDocument(source=source, kind=kind, content=content, extra=extra, **fields)


def normalize_published(value: str, *, source: str) -> str:
    """An ISO 8601 date or date-time as given; other common forms converted; else ``RecordError``."""
    text = value.strip()
    if _PARTIAL_ISO.fullmatch(text):
        return text
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return text
    except ValueError:
        pass
    import dateparser  # imported here: slow to import, rarely needed

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True,
                                                                "REQUIRE_PARTS": ["year"]})
    if parsed is None:
        raise RecordError(f"field 'published' is not a date: {value!r} (use ISO 8601, e.g. 2024-01-29)",
                          source=source)
    return parsed.isoformat()
