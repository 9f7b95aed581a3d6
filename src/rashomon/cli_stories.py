"""``rashomon cluster`` and ``rashomon stories``, and the story parts of ``ingest`` and ``show``.

A thin layer: the work is in ``rashomon.cluster`` (features, index, online clusterer) and
``rashomon.store.stories`` (persistence through the Store).
"""
from __future__ import annotations

import json
import sys

import click

from rashomon.cli import Batch, _ingest_options, _open_store, _write_records, db_option, input_options, main


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@click.option("--explain", is_flag=True, help="Add each article's score and reasons to its record.")
@click.option("--no-analysis", is_flag=True, help="Skip entity and dateline analysis (faster, less precise).")
@input_options
def cluster(inputs: tuple[str, ...], fmt: str, explain: bool, no_analysis: bool, max_size: str | None,
            timeout: float, allow_private: bool) -> None:
    """Group articles into stories (no store needed): one record per article with its story id."""
    from rashomon.cluster.batch import cluster_features, featurize
    from rashomon.cluster.service import analyze_for_clustering
    from rashomon.extract import TemplateMemory

    batch = Batch(inputs, _ingest_options(max_size, timeout, allow_private), templates=TemplateMemory())
    articles = list(batch.articles())
    analyzed = analyze_for_clustering(articles, False if no_analysis else None)
    assignments = cluster_features(list(featurize(analyzed)))

    def records():
        for a in assignments:
            record = {"id": a.id, "story": a.story}
            if explain:
                record.update({"score": a.score, "reasons": a.reasons})
            yield record

    _write_records(records(), fmt)
    sys.exit(1 if batch.failed else 0)


@main.command()
@db_option
@click.option("--since", default=None, metavar="DATE", help="Only stories with an article published on or after DATE.")
@click.option("--search", "-s", default=None, help="Only stories with an article matching these words.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json"]), default="table", show_default=True)
def stories(db: str | None, since: str | None, search: str | None, limit: int, fmt: str) -> None:
    """List stored stories, latest first, with their outlets and article counts."""
    from rashomon.store.db import fts_query
    from rashomon.store.stories import list_stories

    with _open_store(db, must_exist=True) as store:
        if search and search.strip():
            found = list_stories(store.conn, since, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                 (fts_query(search),), limit)
        else:
            found = list_stories(store.conn, since, limit=limit)
    if fmt != "table":
        _write_records((s.to_record() for s in found), fmt)
        return
    for s in found:
        date = (s.last_published or "")[:10].ljust(10)
        outlets = ", ".join(s.outlets) or "-"
        click.echo(f"{s.id}  {date}  {s.articles:>4}  {s.title or '(untitled)'}  [{outlets}]")
    if not found:
        click.echo("no stories found", err=True)


def show_story(store, story_id: str, fmt: str, output: str | None = None, exact: bool = False) -> bool:
    """Print a story when ``story_id`` names one (or, unless ``exact``, a unique prefix); else False.
    ``fmt`` html or md: its comparison report, computed once and cached in the store."""
    from rashomon.cli import write_output
    from rashomon.cluster.explain import format_story
    from rashomon.store.stories import resolve, story_articles, story_row

    if exact and not store.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
        return False
    resolved = resolve(store.conn, story_id)
    if resolved is None:
        return False
    row = story_row(store.conn, resolved)
    articles = story_articles(store.conn, resolved)
    record = row.to_record()
    if fmt in ("html", "md"):
        from rashomon.cli_compare import render
        from rashomon.web.comparisons import Comparisons

        data, _sections = Comparisons().get(store, resolved, [a["id"] for a in articles])
        text = render(data, fmt)
    elif fmt == "json":
        record["articles"] = articles
        record["articles_count"] = row.articles
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    else:
        text = format_story(record, articles)
    write_output(text, output)
    return True
