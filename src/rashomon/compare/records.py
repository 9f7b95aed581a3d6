"""Analysis records (the ``rashomon analyze`` JSON) back into ``AnalyzedArticle`` objects.

``AnalyzedArticle.from_record`` needs every ``Attribution`` field, but records drop the empty ones
(an unnamed source has no ``speaker_start``); the fields are filled in here before rebuilding.
"""
from __future__ import annotations

from typing import Any

from rashomon.models import AnalyzedArticle, Article

_QUOTE_DEFAULTS = {"speaker": None, "speaker_start": None, "speaker_end": None}


def analyzed_from_record(record: dict[str, Any], article: Article | None = None) -> AnalyzedArticle:
    """An ``AnalyzedArticle`` from an analysis record (the article from the record unless given)."""
    fixed = dict(record)
    fixed["quotes"] = [{**_QUOTE_DEFAULTS, **q} for q in record.get("quotes", [])]
    result = AnalyzedArticle.from_record(fixed, article=article)
    if article is None and record.get("story") is not None:
        result.article.extra["story"] = record["story"]
    return result
