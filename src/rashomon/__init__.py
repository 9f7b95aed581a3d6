"""rashomon: see how different outlets tell the same news story.

The public API follows the stages of DESIGN.md::

    from rashomon import read_inputs, extract, Store
    for item in read_inputs(["page.html", "copied.txt"]):
        article = extract(item)
"""
from __future__ import annotations

__version__ = "0.1.0"

from rashomon.errors import InputError, RashomonError  # noqa: E402
from rashomon.models import Article, RawDocument  # noqa: E402

__all__ = ["Article", "RawDocument", "RashomonError", "InputError", "__version__"]
