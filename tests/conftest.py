"""Shared test fixtures: the ../shared folder (tests skip without it), a CLI runner, a real HTTP server."""
from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder beside the repository (examples, eval data); skips the test when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared folder at {SHARED} (examples and evaluation data live there)")
    return SHARED


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``rashomon`` in-process with a fresh store; returns (exit code, stdout, stderr)."""
    from rashomon.cli import main

    monkeypatch.setenv("RASHOMON_DB", str(tmp_path / "test.db"))

    def run(*args: str, input: bytes | str | None = None):
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


# ------------------------------------------------------------------------------------------ HTTP server

PAGE_UTF8 = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour reopens</title></head>
<body><article><h1>Harbour reopens after storm</h1>
<p>The harbour of Port Evran reopened on Monday after a three-day closure caused by the storm, the port
authority said in a statement issued in the morning.</p>
<p>Ships that had waited offshore began entering the port shortly after dawn, and officials expected
traffic to return to normal by the end of the week, according to the harbour master.</p>
<p>Repairs to the northern breakwater will take several months, the authority added, and will cost
an estimated four million euros to be shared by the city and the regional government.</p>
</article></body></html>"""

CYRILLIC_TEXT = ("Порт Эврана возобновил работу в понедельник после трёхдневного перерыва из-за шторма. "
                 "Суда, ожидавшие на рейде, начали заходить в порт рано утром, сообщили в администрации.")


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        route(self)


def _send(handler, body: bytes, ctype: str, status: int = 200, headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(location: str):
    def route(h):
        h.send_response(302)
        h.send_header("Location", location.replace("PORT", str(h.server.server_port)))
        h.send_header("Content-Length", "0")
        h.end_headers()
    return route


def _slow(h):
    time.sleep(3)
    _send(h, b"<html><body><p>late</p></body></html>", "text/html")


def _endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    try:
        for _ in range(200):
            h.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass


ROUTES = {
    "/page.html": lambda h: _send(h, PAGE_UTF8.encode("utf-8"), "text/html; charset=utf-8"),
    "/cp1251.html": lambda h: _send(h, f"<html><body><p>{CYRILLIC_TEXT}</p></body></html>".encode("cp1251"),
                                    "text/html"),
    "/copied.txt": lambda h: _send(h, "Port news\n\nThe harbour reopened on Monday.".encode("utf-8"),
                                   "text/plain; charset=utf-8"),
    "/records.jsonl": lambda h: _send(h, (json.dumps({"id": "r1", "text": "A clean body about the harbour."}) + "\n"
                                          + json.dumps({"id": "r2", "text": "Another clean body."}) + "\n").encode(),
                                      "application/x-ndjson"),
    "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"),
    "/missing": lambda h: h.send_error(404),
    "/slow": _slow,
    "/endless": _endless,
    "/to-page": _redirect("/page.html"),
    "/to-file": _redirect("file:///etc/passwd"),
    "/to-private": _redirect("http://10.1.2.3/page.html"),
    "/to-localhost": _redirect("http://localhost:PORT/page.html"),
    "/loop": _redirect("/loop"),
}


@pytest.fixture(scope="session")
def http_server():
    """A real HTTP server on 127.0.0.1 serving the routes above; yields its base URL."""
    handler = type("Handler", (_Handler,), {"routes": ROUTES})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
