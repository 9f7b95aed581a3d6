"""Bytes to text: byte-order marks, declared charsets, then a detector for undeclared ones.

The order follows what browsers do: a BOM wins; then the charset the server or the page declares
(``<meta charset>``, the XML declaration), with the WHATWG aliases (a page that says latin-1 means
windows-1252); then UTF-8 when the bytes are valid UTF-8; then charset-normalizer's best guess.
Binary data (images renamed .html, archives, NUL-filled files) is refused before any of that.
"""
from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from rashomon.errors import DecodeError, InputError

log = logging.getLogger(__name__)

BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
MAGIC = [(b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
         (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
         (b"\x1f\x8b", "gzip data (name it .gz)"), (b"RIFF", "a RIFF media file"),
         (b"\x00\x00\x00\x18ftyp", "an MP4 video"), (b"\x00\x00\x00\x1cftyp", "an MP4 video"),
         (b"\x7fELF", "an executable"), (b"SQLite format 3", "an SQLite database"),
         (b"OggS", "an Ogg media file"), (b"ID3", "an MP3 file")]
# WHATWG encoding labels that mean something else than Python's codec of the same name.
WHATWG_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                  "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-9": "cp1254",
                  "iso-8859-11": "cp874", "tis-620": "cp874", "x-user-defined": "cp1252",
                  "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-cp1251": "cp1251"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9._\-]+)""", re.I)


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None when unknown."""
    if not label:
        return None
    name = label.strip().strip("'\"").lower()
    name = WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def binary_kind(data: bytes) -> str | None:
    """A description of the binary format when ``data`` is clearly not text, else None."""
    head = data[:16]
    for magic, what in MAGIC:
        if head.startswith(magic):
            return what
    sample = data[:8192]
    if not sample:
        return None
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    if b"\x00" in sample or controls / len(sample) > 0.05:
        return "binary data"
    return None


def sniff_declared(data: bytes) -> str | None:
    """The charset a page or XML document declares in its first bytes."""
    head = data[:4096]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(valid multi-byte sequences, invalid bytes) when ``data`` is read as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\xef\xbf\xbd".encode("latin-1"))
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return multibyte, max(invalid, 0)


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode one input's bytes to text; raises ``DecodeError`` for binary data, ``InputError`` if empty."""
    if not data.strip():
        raise InputError("empty input (no text)", source=source)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    what = binary_kind(data)
    if what:
        raise DecodeError(f"{what}, not a text or HTML page", source=source)
    for label in (declared, sniff_declared(data)):
        encoding = normalize_charset(label)
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            log.info("%s: bytes are not valid %s as declared; detecting", source, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    multibyte, invalid = _utf8_damage(data)
    if multibyte >= 4 * invalid:
        # Mostly valid UTF-8 with a few broken sequences: a damaged UTF-8 file, not another charset.
        log.warning("%s: %d invalid UTF-8 byte sequence(s) replaced with U+FFFD", source, invalid)
        return data.decode("utf-8", errors="replace")
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("cannot determine the text encoding (binary or mixed data?)", source=source)
    log.info("%s: detected encoding %s", source, best.encoding)
    return str(best)
