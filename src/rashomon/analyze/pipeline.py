"""Stage 3, analyze: ``Article`` -> ``AnalyzedArticle`` through ordered components.

The spaCy pipeline (tokens, sentences, parse, named entities) runs first, batched with
``nlp.pipe``; then rashomon's components run in order, each declaring what it reads from the
``AnalysisState`` and what it adds, so the order can be checked when the pipeline is built:

    entities    reads doc                      adds entities (canonical names and keys)
    times       reads doc                      adds times (TimeML values against the publication date)
    quotes      reads doc, entities            adds quotes (attributions, speakers resolved)
    statements  reads doc, entities, times, quotes   adds statements (with numbers)

Texts not in English keep their extraction and get no English-only analyses (``language_supported``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol

from rashomon.models import AnalyzedArticle, Article

log = logging.getLogger(__name__)

ANALYZER_VERSION = "1"
CHUNK_CHARS = 50_000  # longer bodies are parsed in paragraph chunks and joined into one Doc


@dataclass
class AnalysisState:
    """What flows between components: the article, its spaCy doc and the results so far."""

    article: Article
    doc: Any = None
    results: AnalyzedArticle | None = None
    scratch: dict[str, Any] = field(default_factory=dict)


class Component(Protocol):
    """One analysis step. ``reads``/``writes`` name fields of ``AnalyzedArticle`` (and ``doc``)."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    def __call__(self, state: AnalysisState) -> None: ...


def check_order(components: Iterable[Component]) -> None:
    """Raise ``ValueError`` when a component reads something no earlier component writes."""
    available = {"doc", "article"}
    for comp in components:
        missing = [r for r in comp.reads if r not in available]
        if missing:
            raise ValueError(f"component {comp.name!r} reads {missing} before any component writes it")
        available.update(comp.writes)


def default_components() -> list[Component]:
    """rashomon's analysis components, in order."""
    from rashomon.analyze.entities import EntityLinker
    from rashomon.analyze.quotes import AttributionFinder
    from rashomon.analyze.statements import StatementSplitter
    from rashomon.analyze.times import TimeTagger

    return [EntityLinker(), TimeTagger(), AttributionFinder(), StatementSplitter()]


class Analyzer:
    """spaCy plus rashomon's components; ``analyze_many`` batches with ``nlp.pipe``."""

    def __init__(self, components: list[Component] | None = None, *, nlp=None, batch_size: int = 32,
                 n_process: int = 1) -> None:
        self.components = components if components is not None else default_components()
        check_order(self.components)
        self._nlp = nlp
        self.batch_size = batch_size
        self.n_process = n_process

    @property
    def nlp(self):
        if self._nlp is None:
            from rashomon.analyze.model import load_model
            self._nlp = load_model()
        return self._nlp

    @property
    def version(self) -> str:
        return f"{ANALYZER_VERSION}+" + ",".join(getattr(c, "name", "?") + "@" + str(getattr(c, "version", 1))
                                                 for c in self.components)

    def analyze(self, article: Article) -> AnalyzedArticle:
        return next(self.analyze_many([article]))

    def analyze_many(self, articles: Iterable[Article],
                     on_skip: Callable[[Article, str], None] | None = None) -> Iterator[AnalyzedArticle]:
        """Analyses in input order. English bodies go through spaCy in batches; others are passed on."""
        pending: list[Article] = []
        for article in articles:
            pending.append(article)
            if len(pending) >= self.batch_size * max(1, self.n_process):
                yield from self._run(pending, on_skip)
                pending = []
        if pending:
            yield from self._run(pending, on_skip)

    def _docs(self, texts: list[str]) -> Iterator:
        """Parsed docs of ``texts``; long texts are parsed in chunks and joined with exact offsets."""
        from spacy.tokens import Doc

        chunked = [chunk_text(t) for t in texts]
        flat = (chunk for chunks in chunked for chunk in chunks)
        parsed = iter(self.nlp.pipe(flat, batch_size=self.batch_size, n_process=self.n_process))
        for chunks in chunked:
            docs = [next(parsed) for _ in chunks]
            yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)

    def _run(self, batch: list[Article], on_skip) -> Iterator[AnalyzedArticle]:
        english = [a for a in batch if supported(a)]
        docs = self._docs([a.text for a in english])
        for article in batch:
            result = AnalyzedArticle(article=article, analyzer=self.version)
            if not supported(article):
                result.language_supported = False
                if on_skip:
                    on_skip(article, f"language {article.language!r} is not English: entities, times, quotes "
                                     f"and statements need English and were skipped")
                yield result
                continue
            state = AnalysisState(article=article, doc=next(docs), results=result)
            result.sentences = [(s.start_char, s.end_char) for s in state.doc.sents]
            for component in self.components:
                component(state)
            result.caption_times = caption_times(article)
            yield result


def caption_times(article: Article) -> list[tuple[int, "TimeExpression"]]:
    """Time expressions of the photo captions (offsets into each caption): a caption often dates an
    event the body does not ("... in Samarkand on Sept. 16, 2022")."""
    from rashomon.analyze.times import find_times

    return [(i, t) for i, caption in enumerate(article.captions)
            for t in find_times(caption, article.published)]


def chunk_text(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut at paragraph (else line, else space) boundaries into pieces of about ``size``
    characters; the pieces concatenate back to exactly ``text``."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "), window.rfind(" "))
        end = start + (cut + 1 if cut > size // 2 else size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def supported(article: Article) -> bool:
    """True when the article's body can be analysed (English, or language unknown, and not empty)."""
    return bool(article.text.strip()) and article.language in (None, "en")
