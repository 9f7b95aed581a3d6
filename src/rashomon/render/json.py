"""The comparison as JSON text: ``render(data) -> str`` (checked to be schema 1, indented, UTF-8)."""
from __future__ import annotations

import json
from typing import Any

from rashomon.render._model import read


def render(data: dict, *, indent: int | None = 2) -> str:
    """The comparison as JSON; raises ``RenderError`` when it is not a schema-1 comparison."""
    read(data)  # the same checks as the other renderers

    def default(value: Any) -> Any:
        if isinstance(value, (set, tuple)):
            return list(value)
        return str(value)

    return json.dumps(data, ensure_ascii=False, indent=indent, default=default) + "\n"
