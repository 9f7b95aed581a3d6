"""The web app: an ASGI application (Starlette) over one store, served by uvicorn.

Every page has a JSON twin: the same URL with ``.json`` appended (``/stories/ID`` and
``/stories/ID.json``; ``/.json`` for the home page), as datasette does. Reads open one SQLite
connection per worker thread (WAL lets them read while a job writes); writes (adding articles) go
through ``web.jobs`` and the store's one write path.

Security: pages send a strict Content-Security-Policy (scripts and styles only from /static), all
store text is escaped by ``views``; writing needs ``read_only`` off, a same-origin request, and —
when a token is set (required when bound beyond loopback) — that token.
"""
from __future__ import annotations

import hmac
import logging
import threading
from importlib import resources
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from rashomon.config import IngestOptions
from rashomon.store import Store
from rashomon.web import data, views
from rashomon.web.comparisons import Comparisons
from rashomon.web.jobs import Jobs

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class Site:
    """The app's state: the store path, settings, per-thread connections, caches and jobs."""

    def __init__(self, db_path: str, *, read_only: bool = False, token: str | None = None,
                 options: IngestOptions | None = None) -> None:
        self.db_path = str(db_path)
        self.read_only = read_only
        self.token = token
        self.local = threading.local()
        self.comparisons = Comparisons()
        if not read_only:
            Store(self.db_path).close()  # create or migrate the store once, before any request
        self.jobs = Jobs(self.db_path, options or IngestOptions(allow_private=False, trust_given_url=False),
                         after=self.refresh)

    def store(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = Store(self.db_path, readonly=self.read_only)
        return store

    def refresh(self, store: Store | None = None) -> None:
        """Bring the entity and speaker indexes up to date with the stored analyses."""
        if self.read_only:
            return
        try:
            own = store is None
            store = store or Store(self.db_path)
            n = data.refresh_indexes(store, self.comparisons.analyzer_version)
            if n:
                log.info("indexed the analyses of %d articles", n)
            if own:
                store.close()
        except Exception:  # the pages work without the index; log and go on
            log.exception("index refresh failed")


def _respond(request: Request, record: dict[str, Any] | None, html: Callable[[], str], title: str,
             status: int = 200) -> Response:
    """The page, or its JSON twin when the path ends in ``.json``."""
    is_json = request.url.path.endswith(".json")
    if record is None:
        if is_json:
            return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)
        return _page(request, "Not found", views.not_found(f"Nothing at {request.url.path}."), status=404)
    if is_json:
        return JSONResponse(record, status_code=status)
    return _page(request, title, html(), status=status)


def _page(request: Request, title: str, body: str, status: int = 200, refresh: int | None = None) -> HTMLResponse:
    site: Site = request.app.state.site
    path = request.url.path
    twin = None if path.startswith(("/add", "/static")) else (
        ("/.json" if path == "/" else path + ".json") + (f"?{request.url.query}" if request.url.query else ""))
    html = views.layout(title, body, json_href=twin, query=request.query_params.get("q", ""),
                        writable=not site.read_only, refresh=refresh)
    return HTMLResponse(html, status_code=status)


def _strip_json(value: str) -> str:
    return value[:-5] if value.endswith(".json") else value


def home(request: Request) -> Response:
    record = data.home(request.app.state.site.store())
    return _respond(request, record, lambda: views.home(record), "Stories")


def search(request: Request) -> Response:
    p = request.query_params
    try:
        offset = max(0, int(p.get("offset", "0")))
    except ValueError:
        offset = 0
    record = data.search(request.app.state.site.store(), p.get("q", ""), outlet=p.get("outlet") or None,
                         since=p.get("since") or None, until=p.get("until") or None,
                         entity=p.get("entity") or None, offset=offset)
    return _respond(request, record, lambda: views.search(record), f"Search {p.get('q', '')}".strip())


def story(request: Request) -> Response:
    site: Site = request.app.state.site
    store = site.store()
    as_json = request.url.path.endswith(".json")
    found = data.story(store, _strip_json(request.path_params["id"]), site.comparisons, with_data=as_json)
    if found is None:
        return _respond(request, None, str, "")
    record, sections = found
    return _respond(request, record, lambda: views.story(record, sections), record["story"]["title"] or "Story")


def article(request: Request) -> Response:
    site: Site = request.app.state.site
    record = data.article(site.store(), _strip_json(request.path_params["id"]), site.comparisons.analyzer_version)
    title = (record or {}).get("article", {}).get("title") or "Article"
    return _respond(request, record, lambda: views.article(record), title)


def outlet(request: Request) -> Response:
    name = _strip_json(request.path_params["name"])
    record = data.outlet(request.app.state.site.store(), name)
    return _respond(request, record, lambda: views.outlet(record), name)


def entity(request: Request) -> Response:
    key = _strip_json(request.path_params["key"])
    record = data.entity(request.app.state.site.store(), key)
    return _respond(request, record, lambda: views.entity(record), (record or {}).get("name", key))


def job(request: Request) -> Response:
    found = request.app.state.site.jobs.get(_strip_json(request.path_params["id"]))
    record = found.to_record() if found else None
    if record is None or request.url.path.endswith(".json"):
        return _respond(request, record, str, "")
    refresh = 2 if record["state"] == "running" else None
    return _page(request, "Adding articles", views.job(record), refresh=refresh)


def _write_refusal(request: Request, token: str | None) -> str | None:
    """Why this write must be refused, or None when it may go ahead."""
    site: Site = request.app.state.site
    if site.read_only:
        return "this store is served read-only"
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
        return "a write must come from this site's own pages"
    if site.token:
        given = token or request.headers.get("x-rashomon-token") or \
            request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), site.token.encode()):
            return "a valid access token is needed to add articles"
    return None


async def add(request: Request) -> Response:
    site: Site = request.app.state.site
    if request.method == "GET":
        if site.read_only:
            return _page(request, "Add articles", views.add_form("This store is served read-only."), status=403)
        return _page(request, "Add articles", views.add_form(token_needed=bool(site.token)))
    form = await request.form(max_files=100, max_fields=20, max_part_size=MAX_UPLOAD_BYTES)
    refusal = _write_refusal(request, form.get("token"))
    if refusal:
        return _page(request, "Add articles", views.add_form(refusal, token_needed=bool(site.token)), status=403)
    urls = [u.strip() for u in str(form.get("urls") or "").splitlines() if u.strip()]
    files = []
    for upload in form.getlist("files"):
        if hasattr(upload, "read") and getattr(upload, "filename", ""):
            files.append((upload.filename, await upload.read()))
    text = str(form.get("text") or "")
    if not urls and not files and not text.strip():
        return _page(request, "Add articles", views.add_form("Give at least one URL, a text or a file.",
                                                             token_needed=bool(site.token)), status=400)
    meta = {"outlet": str(form.get("outlet") or "").strip(), "url": str(form.get("url") or "").strip()}
    new = site.jobs.submit(urls=urls, text=text, text_meta=meta, files=files)
    return RedirectResponse(f"/jobs/{new.id}", status_code=303)


def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name in ("report.css", "report.js"):
        from rashomon.render.html import asset
        body = asset(name)
    elif name in ("app.css", "app.js"):
        body = resources.files("rashomon.web").joinpath("static", name).read_text("utf-8")
    else:
        return Response("not found", status_code=404, media_type="text/plain")
    suffix = name[name.rfind("."):]
    return Response(body, media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "public, max-age=3600"})


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    headers.setdefault(k, v)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_path: str, *, read_only: bool = False, token: str | None = None,
               options: IngestOptions | None = None, refresh_on_start: bool = True) -> Starlette:
    """The ASGI app over the store at ``db_path``."""
    site = Site(db_path, read_only=read_only, token=token, options=options)
    routes = [Route("/", home), Route("/.json", home), Route("/index.json", home),
              Route("/search", search), Route("/search.json", search),
              Route("/stories/{id:path}", story), Route("/articles/{id:path}", article),
              Route("/outlets/{name:path}", outlet), Route("/entities/{key:path}", entity),
              Route("/add", add, methods=["GET", "POST"]), Route("/jobs/{id:path}", job),
              Route("/static/{name}", static)]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.site = site

    if refresh_on_start:
        threading.Thread(target=site.refresh, name="index-refresh", daemon=True).start()
    return app
