"""Stage 1, ingest: paths, directories, stdin and URLs -> ``RawDocument``s.

``read_inputs`` yields a ``RawDocument`` per page or record and an ``InputError`` per input that
cannot be read, so a caller reports the error and goes on with the rest of the batch.

    .html .htm .xhtml  a web page            .txt           text copied from a page (clutter included)
    .json              a record or a list     .jsonl .ndjson one record per line
    any of these + .gz; a directory (recursive); "-" for stdin; http(s):// URLs
"""
from __future__ import annotations

import gzip
import logging
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from rashomon.config import IngestOptions, size_cap_message
from rashomon.errors import DecodeError, InputError, TooLargeError
from rashomon.ingest.decode import decode_bytes
from rashomon.ingest.fetch import Fetcher, is_url
from rashomon.ingest.records import parse_records, record_to_document
from rashomon.models import RawDocument

log = logging.getLogger(__name__)

__all__ = ["read_inputs", "expand_inputs", "record_to_document", "Fetcher"]

SUFFIX_KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "raw_text", ".text": "raw_text",
                ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def kind_of(path: str) -> str | None:
    """The input kind a file name announces (``.gz`` looked through), or None."""
    name = path.lower().removesuffix(".gz")
    return SUFFIX_KINDS.get(Path(name).suffix)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | InputError]:
    """Inputs with directories replaced by the files they hold (recursively, sorted, known kinds only)."""
    for item in inputs:
        if item == "-" or is_url(item):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p.name)
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                log.warning("%s: directory holds no .html, .txt, .json or .jsonl files", item)
            yield from (str(p) for p in found)
        elif path.exists():
            yield item
        else:
            yield InputError("no such file or directory", source=item)


def read_inputs(inputs: Iterable[str], options: IngestOptions | None = None, *,
                fetcher: Fetcher | None = None, stdin: BinaryIO | None = None) -> Iterator[RawDocument | InputError]:
    """Documents from every input, in order; unreadable inputs come out as ``InputError`` items."""
    options = options or IngestOptions()
    own_fetcher = None
    try:
        for item in expand_inputs(inputs):
            if isinstance(item, InputError):
                yield item
                continue
            if is_url(item):
                if fetcher is None:
                    fetcher = own_fetcher = Fetcher(options)
                yield from _read_url(item, fetcher)
            else:
                yield from read_one(item, options, stdin=stdin)
    finally:
        if own_fetcher:
            own_fetcher.close()


def read_one(item: str, options: IngestOptions, *, stdin: BinaryIO | None = None) -> Iterator[RawDocument | InputError]:
    """Documents from one file path (or ``-``)."""
    try:
        if item == "-":
            data = _read_capped(stdin or sys.stdin.buffer, "-", options.max_bytes)
            kind = None
        else:
            data = _read_file(Path(item), options.max_bytes)
            kind = kind_of(item)
        text = decode_bytes(data, source=item)
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", source=item)
        return
    yield from documents_from_text(text, kind or sniff_kind(text), source=item)


def documents_from_text(text: str, kind: str, *, source: str, url: str | None = None) -> Iterator[RawDocument | InputError]:
    """Documents from decoded text of a known kind (html, raw_text, json or jsonl)."""
    if kind in ("json", "jsonl"):
        yield from parse_records(text, source=source, lines=kind == "jsonl")
    elif not text.strip():
        yield InputError("empty input (no text)", source=source)
    else:
        yield RawDocument(source=source, kind=kind, content=text, url=url)


def sniff_kind(text: str) -> str:
    """Guess the kind of text that came without a telling file name (stdin, unknown suffix)."""
    head = text.lstrip()[:2000].lower()
    if head.startswith(("{", "[")):
        first_line = head.split("\n", 1)[0].rstrip()
        return "jsonl" if head.startswith("{") and first_line.endswith("}") and "\n{" in text[:200000] else "json"
    if head.startswith("<") and any(tag in head for tag in ("<html", "<!doctype", "<body", "<head", "<p", "<div")):
        return "html"
    return "raw_text"


def _read_url(url: str, fetcher: Fetcher) -> Iterator[RawDocument | InputError]:
    try:
        fetched = fetcher.fetch(url)
    except InputError as exc:
        yield exc
        return
    yield from documents_from_text(fetched.text, fetched.kind, source=url, url=fetched.final_url)


def _read_file(path: Path, cap: int) -> bytes:
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path, "rb") as fh:
                return _read_capped(fh, str(path), cap)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise DecodeError(f"broken gzip file ({exc})", source=str(path)) from exc
    size = path.stat().st_size
    if size > cap:
        raise TooLargeError(size_cap_message(size, cap), source=str(path))
    return path.read_bytes()


def _read_capped(stream: BinaryIO, source: str, cap: int) -> bytes:
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise TooLargeError(size_cap_message(len(data), cap, at_least=True), source=source)
    return data
