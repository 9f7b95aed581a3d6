"""Renderers of a comparison (the schema-1 dict of DESIGN.md): HTML report, Markdown, JSON.

Each is a pure function of the dict::

    from rashomon.render import render
    page = render(comparison, "html")      # or "md" / "markdown", "json"

``render.html.render`` gives one self-contained page (no network requests); ``render.markdown.render``
the same content for notes; ``render.json.render`` the data itself, indented.
"""
from __future__ import annotations

from rashomon.render._model import RenderError

FORMATS = ("html", "md", "json")


def render(data: dict, fmt: str = "html") -> str:
    """The comparison ``data`` as text in ``fmt`` (html, md or markdown, json)."""
    if fmt == "html":
        from rashomon.render.html import render as run
    elif fmt in ("md", "markdown"):
        from rashomon.render.markdown import render as run
    elif fmt == "json":
        from rashomon.render.json import render as run
    else:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    return run(data)


__all__ = ["FORMATS", "RenderError", "render"]
