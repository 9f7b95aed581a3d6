"""``rashomon compare``: the comparison of every story found in the inputs (DESIGN.md, Comparison JSON).

Inputs are read, extracted and analysed as by ``rashomon analyze`` (``--db`` keeps analyses and
statement vectors, so a second run only compares). Stories come from the records' ``"story"`` field
when they carry one, from ``--as-one-story``, else from the clustering stage. ``--format json``
writes the schema-1 JSON; ``md`` and ``html`` call the renderers (``rashomon.render``).
"""
from __future__ import annotations

import json
import logging
import sys
from collections import OrderedDict

import click

from rashomon.cli import (Batch, _ingest_options, _open_store, analyzed_records, input_options, main,
                          report_error)
from rashomon.errors import RashomonError

log = logging.getLogger("rashomon.compare")


def group_stories(analysed: list, as_one_story: bool = False, embedder=None) -> list[tuple[str | None, list[int]]]:
    """(story id or None, article indexes) per story: one story, the records' ``story`` field, or clustering."""
    if as_one_story or len(analysed) == 1:
        return [(None, list(range(len(analysed))))]
    groups: OrderedDict[str, list[int]] = OrderedDict()
    rest = []
    for i, a in enumerate(analysed):
        story = a.article.extra.get("story")
        if story is not None and str(story) != "":
            groups.setdefault(str(story), []).append(i)
        else:
            rest.append(i)
    out: list[tuple[str | None, list[int]]] = [(k, v) for k, v in groups.items()]
    if rest:
        from rashomon.cluster.batch import cluster_features, featurize

        features = list(featurize((analysed[i] for i in rest), embedder))
        clustered: OrderedDict[str, list[int]] = OrderedDict()
        for i, assignment in zip(rest, cluster_features(features)):
            clustered.setdefault(assignment.story, []).append(i)
        out += [(k, v) for k, v in clustered.items()]
    return out


def render(data: dict, fmt: str) -> str:
    """The comparison as text in ``fmt``: json, md or html."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        from rashomon.render.markdown import render as render_markdown

        return render_markdown(data)
    from rashomon.render.html import render as render_html

    return render_html(data)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "html", "md"]), default="json", show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write here instead of stdout.")
@click.option("--as-one-story", is_flag=True, help="Compare all inputs as one story (no clustering).")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for spaCy's parse.")
@click.option("--db", "db", default=None, metavar="PATH",
              help="Keep analyses and statement vectors in this store and re-use them.")
@input_options
def compare(inputs: tuple[str, ...], fmt: str, output: str | None, as_one_story: bool, jobs: int, db: str | None,
            max_size: str | None, timeout: float, allow_private: bool) -> None:
    """Compare how the articles of each story tell it: facts, omissions, conflicts, framing, sources, timeline."""
    from rashomon.compare import minilm

    minilm.preload()   # before clustering may load usearch (see minilm.preload)
    from rashomon.analyze.model import ModelMissingError
    from rashomon.analyze.pipeline import Analyzer
    from rashomon.compare import Comparison, StatementVectors, compare_story
    from rashomon.compare.vectors import paraphrase_vectors
    from rashomon.compare.records import analyzed_from_record
    from rashomon.extract import TemplateMemory

    batch = Batch(inputs, _ingest_options(max_size, timeout, allow_private), templates=TemplateMemory())
    articles = list(batch.articles())
    store = _open_store(db) if db else None
    try:
        analyzer = Analyzer(n_process=jobs)
        records = list(analyzed_records(articles, analyzer, store))
        analysed = [analyzed_from_record(r, a) for r, a in zip(records, articles)]
        vectors = StatementVectors(store=store)
        comparison = Comparison()
        for story, members in group_stories(analysed, as_one_story, vectors.embedder) if analysed else []:
            arts = [analysed[i] for i in members]
            comparison.stories.append(compare_story(arts, vectors.vectors(arts), story=story,
                                                    para=paraphrase_vectors(arts, store)))
        text = render(comparison.to_json(), fmt)
    except ModelMissingError as exc:
        report_error(exc)
        sys.exit(1)
    except RashomonError as exc:
        report_error(exc)
        sys.exit(1)
    finally:
        if store:
            store.close()
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    sys.exit(1 if batch.failed or not articles else 0)
