"""Fetching ``http(s)://`` URLs with httpx: timeouts, a size cap, checked redirects, a clear user agent.

Redirects are followed by hand so that every hop is checked: only http and https, at most
``max_redirects`` hops, and no hop to a loopback, private or link-local address unless
``allow_private`` is set. The URL the user typed is trusted, and so are redirects within its host;
a page redirecting into the local network is not. Host names are resolved for the check and again
by the request (a DNS answer that changes in between is not caught; the web app binds to loopback). Tests inject an ``httpx`` transport or point at a server on 127.0.0.1.
"""
from __future__ import annotations

import ipaddress
import logging
import socket
import time
from urllib.parse import urljoin, urlsplit

import httpx

from rashomon.config import IngestOptions, size_cap_message
from rashomon.errors import FetchError, TooLargeError
from rashomon.ingest.decode import decode_bytes

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
JSON_TYPES = ("application/json", "application/x-ndjson", "application/jsonl", "application/json-lines")


class Fetched:
    """A downloaded body, decoded, with its final URL and how it should be read."""

    def __init__(self, url: str, final_url: str, text: str, kind: str) -> None:
        self.url, self.final_url, self.text, self.kind = url, final_url, text, kind


def is_url(value: str) -> bool:
    """True when ``value`` looks like a URL with a scheme (``http://``, ``file://``, ``ftp://``...)."""
    scheme = urlsplit(value).scheme
    return len(scheme) > 1 and "://" in value


def _is_private_host(host: str) -> bool:
    """True when the host is, or resolves to, a loopback, private, link-local or reserved address."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: the request itself will fail with a clear error
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_multicast
               or a.is_unspecified for a in addresses)


class Fetcher:
    """Downloads pages under one ``IngestOptions`` policy; reuse one instance for a batch."""

    def __init__(self, options: IngestOptions | None = None, *, transport: httpx.BaseTransport | None = None):
        self.options = options or IngestOptions()
        timeout = httpx.Timeout(self.options.timeout, connect=min(10.0, self.options.timeout))
        self.client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False,
                                   headers={"User-Agent": self.options.user_agent,
                                            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,"
                                                      "application/json;q=0.8,*/*;q=0.1"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self, url: str, *, source: str, first: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            what = "URL scheme" if first else f"redirect to {url}: scheme"
            raise FetchError(f"refused {what} {parts.scheme or '(none)'}:// (only http and https are fetched)",
                             source=source)
        if not parts.hostname:
            raise FetchError("URL has no host", source=source)
        trusted = self.options.trust_given_url and (first or parts.hostname == urlsplit(source).hostname)
        if not trusted and not self.options.allow_private and _is_private_host(parts.hostname):
            what = "URL at" if first else f"redirect to {url}:"
            raise FetchError(f"refused {what} a private or local address ({parts.hostname}); "
                             f"use --allow-private to allow it", source=source)

    def fetch(self, url: str) -> Fetched:
        """Download ``url`` following checked redirects; raises ``FetchError`` or ``TooLargeError``."""
        current, started = url, time.monotonic()
        self._check(current, source=url, first=True)
        for _ in range(self.options.max_redirects + 1):
            try:
                with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        target = urljoin(current, location)
                        self._check(target, source=url, first=False)
                        log.info("%s: redirected to %s", current, target)
                        current = target
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}", source=url)
                    body = self._read_capped(response, url, started)
                    return self._decode(url, str(response.url), response, body)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {self.options.timeout:g} s ({type(exc).__name__})",
                                 source=url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"request failed: {exc}", source=url) from exc
        raise FetchError(f"more than {self.options.max_redirects} redirects", source=url)

    def _read_capped(self, response: httpx.Response, url: str, started: float) -> bytes:
        cap = self.options.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise TooLargeError(size_cap_message(int(declared), cap), source=url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise TooLargeError(size_cap_message(size, cap, at_least=True), source=url)
            if time.monotonic() - started > self.options.deadline:
                raise FetchError(f"download took longer than {self.options.deadline:g} s", source=url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _decode(self, url: str, final_url: str, response: httpx.Response, body: bytes) -> Fetched:
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        known = HTML_TYPES + JSON_TYPES + TEXT_TYPES + ("", "application/octet-stream", "text/xml", "application/xml")
        if ctype not in known:
            raise FetchError(f"unsupported content type {ctype} (not a page, text or JSON)", source=url)
        text = decode_bytes(body, source=url, declared=response.charset_encoding)
        if ctype in HTML_TYPES:
            kind = "html"
        elif ctype in JSON_TYPES:
            kind = "jsonl" if text.lstrip().startswith("{") and "\n{" in text else "json"
        elif ctype in TEXT_TYPES:
            kind = "raw_text"
        else:
            kind = "html" if text.lstrip()[:1] == "<" else "raw_text"
        return Fetched(url, final_url, text, kind)

