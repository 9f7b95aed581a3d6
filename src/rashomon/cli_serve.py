"""``rashomon serve``: the web app over a store, on uvicorn (loopback by default)."""
from __future__ import annotations

import ipaddress
import os

import click

from rashomon.cli import db_option, main
from rashomon.config import db_path


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8130, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", default=None, envvar="RASHOMON_TOKEN", metavar="TOKEN",
              help="Needed to add articles (env RASHOMON_TOKEN); required when listening beyond loopback.")
@click.option("--read-only", is_flag=True, help="Serve pages only; refuse every write.")
def serve(db: str | None, host: str, port: int, token: str | None, read_only: bool) -> None:
    """Browse, search and compare the stored stories in a browser."""
    import uvicorn

    from rashomon.web.app import create_app

    path = db_path(db)
    if read_only and not path.exists():
        raise click.UsageError(f"no store at {path}: run `rashomon ingest` first, or pass --db / set RASHOMON_DB")
    if not is_loopback(host) and not token and not read_only:
        raise click.UsageError(f"listening on {host} lets other machines reach this store: set a token for "
                               f"writes (--token or RASHOMON_TOKEN) or serve it --read-only")
    app = create_app(str(path), read_only=read_only, token=token)
    click.echo(f"rashomon: serving {path} on http://{host}:{port}/ "
               f"({'read-only' if read_only else 'token needed to add articles' if token else 'loopback only'})",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("RASHOMON_LOG_LEVEL", "warning"),
                access_log=False)
