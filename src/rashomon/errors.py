"""rashomon's exceptions, all under one base class.

    RashomonError                 base; ``code`` (e.g. "R101") and a message saying cause and fix
    ├── InputError                an input cannot be read or used; names the input
    │   ├── DecodeError           bytes that are not text (binary file, undecodable)
    │   ├── TooLargeError         bigger than the size cap (says how to raise it)
    │   ├── FetchError            a URL could not be fetched (timeout, status, refused scheme/address)
    │   ├── RecordError           a JSON/JSONL record is broken (names the line)
    │   └── NoArticleError        the page holds no article text (listing, login page...)
    └── StoreError                the database cannot be opened or migrated

The CLI prints ``rashomon: error: INPUT: reason`` for every ``InputError`` and goes on with the
rest of the batch; library code raises and logs, it never prints.
"""
from __future__ import annotations


class RashomonError(Exception):
    """Base of every error rashomon raises on purpose."""

    code = "R000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.message = message

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(RashomonError):
    """An input cannot be read or used."""

    code = "R100"


class DecodeError(InputError):
    """The bytes are not text in any encoding we can trust (binary file, image...)."""

    code = "R101"


class TooLargeError(InputError):
    """The input is bigger than the size cap."""

    code = "R102"


class FetchError(InputError):
    """A URL could not be fetched."""

    code = "R103"


class RecordError(InputError):
    """A JSON record is malformed or lacks its content field."""

    code = "R104"


class NoArticleError(InputError):
    """The page holds no article text."""

    code = "R105"


class StoreError(RashomonError):
    """The store cannot be opened, migrated or written."""

    code = "R200"
