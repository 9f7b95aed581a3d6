"""The ``rashomon`` command line: a thin click layer over the library (DESIGN.md, command-line contract).

Every failed input prints ``rashomon: error: INPUT: reason`` on stderr and the rest goes on; the
exit status is 1 when any input failed, 2 for usage errors. Progress bars appear only when stderr
is a terminal; piped output stays machine-readable.
"""
from __future__ import annotations

import json
import logging
import sys
from typing import Iterable, Iterator

import click

from rashomon import __version__, workflow
from rashomon.config import IngestOptions, db_path, parse_size
from rashomon.errors import RashomonError
from rashomon.models import Article

log = logging.getLogger("rashomon")



class _CliFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"rashomon: {record.levelname.lower()}: {record.getMessage()}"


def _setup_logging(verbose: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_CliFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG)
    # Libraries we call (trafilatura, htmldate, charset-normalizer...) speak only when something
    # is wrong for the user, or when asked to with -vv.
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer", "httpx", "httpcore", "justext"):
        logging.getLogger(name).setLevel(logging.ERROR if verbose < 2 else logging.DEBUG)


def report_error(error: RashomonError) -> None:
    """One line per failed input, as the contract says."""
    click.echo(f"rashomon: error: {error}", err=True)


def input_options(func):
    """Options shared by every command that reads inputs."""
    func = click.option("--max-size", default=None, metavar="SIZE",
                        help="Refuse inputs bigger than this (default 50MB; env RASHOMON_MAX_SIZE).")(func)
    func = click.option("--timeout", default=20.0, show_default=True, type=float,
                        help="Seconds to wait for a URL to answer.")(func)
    func = click.option("--allow-private", is_flag=True,
                        help="Let URL redirects lead to loopback or private addresses.")(func)
    return func


def _ingest_options(max_size: str | None, timeout: float, allow_private: bool) -> IngestOptions:
    options = IngestOptions(timeout=timeout, deadline=max(60.0, 3 * timeout), allow_private=allow_private)
    if max_size:
        try:
            options.max_bytes = parse_size(max_size)
        except ValueError:
            raise click.BadParameter(f"{max_size!r} is not a size such as 50MB", param_hint="--max-size")
    return options


def db_option(func):
    return click.option("--db", "db", default=None, metavar="PATH", envvar=None,
                        help="SQLite store (default: $RASHOMON_DB, else ./rashomon.db).")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rashomon")
@click.option("-v", "--verbose", count=True, help="Say more on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """rashomon: see how different outlets tell the same news story."""
    _setup_logging(verbose)


class Batch(workflow.Batch):
    """``workflow.Batch`` that prints each failed input and shows a progress bar on a terminal."""

    def __init__(self, inputs: Iterable[str], options: IngestOptions, templates=None) -> None:
        super().__init__(inputs, options, templates, on_error=report_error)

    def articles(self) -> Iterator[Article]:
        show_bar = sys.stderr.isatty() and len(self.items) > 1
        with click.progressbar(length=len(self.items), label="reading", file=sys.stderr,
                               hidden=not show_bar) as bar:
            self.on_progress = lambda done, total: bar.update(done - bar.pos)
            yield from super().articles()


def _write_records(records: Iterable[dict], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        out.write("[")
        for i, record in enumerate(records):
            out.write(("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False))
        out.write("\n]\n")
    else:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def format_article_text(article: Article, sources: list[str] | None = None) -> str:
    """A readable rendering of one article for the terminal."""
    lines = [article.title or "(no title)", "=" * min(78, len(article.title or "(no title)"))]
    meta = [("id", article.id), ("outlet", article.outlet), ("authors", ", ".join(article.authors)),
            ("published", f"{article.published} ({article.published_from})" if article.published else None),
            ("modified", article.modified), ("language", article.language), ("url", article.url)]
    lines += [f"{name}: {value}" for name, value in meta if value]
    for src in sources or [article.source]:
        lines.append(f"source: {src}")
    lines += [f"caption: {c}" for c in article.captions]
    lines += ["", article.text, ""]
    return "\n".join(lines)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "text"]), default="jsonl", show_default=True)
@input_options
def extract(inputs: tuple[str, ...], fmt: str, max_size: str | None, timeout: float, allow_private: bool) -> None:
    """Clean pages into articles (no store needed). INPUT: files, directories, URLs or - for stdin."""
    from rashomon.extract import TemplateMemory

    batch = Batch(inputs, _ingest_options(max_size, timeout, allow_private), templates=TemplateMemory())
    if fmt == "text":
        for article in batch.articles():
            click.echo(format_article_text(article))
    else:
        _write_records((a.to_record() for a in batch.articles()), fmt)
    sys.exit(1 if batch.failed else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(["summary", "jsonl"]), default="summary", show_default=True,
              help="jsonl: one line per article with its id and whether it was added or a duplicate.")
@input_options
def ingest(inputs: tuple[str, ...], db: str | None, fmt: str, max_size: str | None, timeout: float,
           allow_private: bool) -> None:
    """Extract and store articles (each stored once, however often it is given) and place them in stories."""
    with _open_store(db) as store:
        batch = Batch(inputs, _ingest_options(max_size, timeout, allow_private))

        def on_result(record: dict) -> None:
            if fmt == "jsonl":
                click.echo(json.dumps({k: record[k] for k in ("id", "source", "status", "story")},
                                      ensure_ascii=False))

        summary = workflow.ingest_into(store, batch, on_result=on_result)
    click.echo(f"rashomon: {summary.added} added, {summary.duplicate} already stored, "
               f"{summary.failed} failed ({store.path})", err=True)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for spaCy's parse.")
@click.option("--db", "db", default=None, metavar="PATH",
              help="Keep analyses in this store and re-use them (an article is analysed once per analyzer version).")
@input_options
def analyze(inputs: tuple[str, ...], fmt: str, jobs: int, db: str | None, max_size: str | None, timeout: float,
            allow_private: bool) -> None:
    """Entities, times, attributions and statements of each article (offsets index its text)."""
    from rashomon.analyze.model import ModelMissingError
    from rashomon.analyze.pipeline import Analyzer
    from rashomon.extract import TemplateMemory

    batch = Batch(inputs, _ingest_options(max_size, timeout, allow_private), templates=TemplateMemory())
    try:
        analyzer = Analyzer(n_process=jobs)
        analyzer.nlp  # load the model now, so a missing model is reported before any work
    except ModelMissingError as exc:
        report_error(exc)
        sys.exit(1)
    store = _open_store(db) if db else None
    try:
        _write_records(analyzed_records(batch.articles(), analyzer, store), fmt)
    finally:
        if store:
            store.close()
    sys.exit(1 if batch.failed else 0)


from rashomon.analyze.stored import analyzed_records  # noqa: E402  (used by the analyze command)


def _open_store(db: str | None, *, must_exist: bool = False, readonly: bool = False):
    from rashomon.store import Store

    path = db_path(db)
    if must_exist and not path.exists():
        raise click.UsageError(f"no store at {path}: run `rashomon ingest` first, or pass --db / set RASHOMON_DB")
    try:
        return Store(path, readonly=readonly)
    except RashomonError as exc:
        report_error(exc)
        sys.exit(1)


@main.command()
@db_option
@click.option("--search", "-s", default=None, help="Full-text search over titles and text.")
@click.option("--outlet", default=None, help="Only articles from this outlet.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json"]), default="table", show_default=True)
def articles(db: str | None, search: str | None, outlet: str | None, limit: int, fmt: str) -> None:
    """List stored articles, newest first."""
    with _open_store(db, must_exist=True) as store:
        found = list(store.search(search, outlet=outlet, limit=limit))
    if fmt != "table":
        _write_records(({k: v for k, v in a.to_record().items() if k != "text"} for a in found), fmt)
        return
    for a in found:
        date = (a.published or "")[:10].ljust(10)
        outlet_name = (a.outlet or "-")[:22].ljust(22)
        click.echo(f"{a.id[:12]}  {date}  {outlet_name}  {a.title or a.text[:60]}")
    if not found:
        click.echo("no articles found", err=True)


@main.command()
@click.argument("article_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "md"]), default="text", show_default=True,
              help="html and md: a story's comparison report (as `rashomon compare` writes it).")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write here instead of stdout.")
def show(article_id: str, db: str | None, fmt: str, output: str | None) -> None:
    """Show one stored article, or a story and why each article is in it (ID or a unique prefix)."""
    with _open_store(db, must_exist=True) as store:
        if cli_stories.show_story(store, article_id, fmt, output, exact=True):
            return
        article = store.get(article_id)
        if article is None and cli_stories.show_story(store, article_id, fmt, output):
            return
        if article is None:
            report_error(RashomonError(f"no article or story with id {article_id}"))
            sys.exit(1)
        if fmt in ("html", "md"):
            report_error(RashomonError(f"--format {fmt} shows a story's comparison; {article_id} is an article "
                                       f"(its story is in `rashomon show {article_id} --format json`)"))
            sys.exit(2)
        sources = store.sources(article.id)
    if fmt == "json":
        record = article.to_record()
        record["sources"] = sources
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    else:
        text = format_article_text(article, sources) + "\n"
    write_output(text, output)


def write_output(text: str, output: str | None) -> None:
    """Write a command's result to ``output`` (a file path) or stdout."""
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


# Commands defined beside their stage register themselves on ``main``.
from rashomon import cli_compare, cli_serve, cli_stories  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
