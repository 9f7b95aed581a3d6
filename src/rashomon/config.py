"""Settings shared by the stages, with their defaults and environment overrides.

Every limit a user may need to change has a flag on the command line and an environment variable;
the error that a limit causes names both.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rashomon import __version__

DEFAULT_DB = "rashomon.db"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
USER_AGENT = f"rashomon/{__version__} (news coverage comparison; +https://github.com/rashomon-news/rashomon)"


def db_path(given: str | os.PathLike | None = None) -> Path:
    """The store's path: the flag, else ``RASHOMON_DB``, else ``./rashomon.db``."""
    return Path(given or os.environ.get("RASHOMON_DB") or DEFAULT_DB)


def parse_size(value: str | int) -> int:
    """Bytes from "50MB", "200 MiB", "1g" or a plain number of bytes."""
    if isinstance(value, int):
        return value
    text = value.strip().lower().replace(" ", "").removesuffix("b").removesuffix("i")
    units = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def _env_size() -> int:
    value = os.environ.get("RASHOMON_MAX_SIZE")
    return parse_size(value) if value else DEFAULT_MAX_BYTES


@dataclass
class IngestOptions:
    """Limits and policies for reading inputs.

    ``max_bytes`` caps every input (a file, a decompressed ``.gz``, a download);
    ``timeout`` is the per-request limit in seconds for URLs and ``deadline`` the whole download's;
    ``allow_private`` lets redirects lead to loopback/private addresses (the URL you typed is trusted).
    """

    max_bytes: int = field(default_factory=_env_size)
    timeout: float = 20.0
    deadline: float = 60.0
    allow_private: bool = False
    trust_given_url: bool = True
    max_redirects: int = 10
    user_agent: str = USER_AGENT


def size_cap_message(size: int, cap: int, *, at_least: bool = False) -> str:
    """The size-cap error text: how big, the cap, and how to raise it."""
    more = "more than " if at_least else ""
    return (f"{more}{size / 1e6:.1f} MB is over the size cap of {cap / 1e6:.1f} MB; raise it with "
            f"--max-size (e.g. --max-size 300MB) or RASHOMON_MAX_SIZE")
