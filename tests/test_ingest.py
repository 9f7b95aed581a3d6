"""Ingest: files, directories, gz, stdin, JSON records, URLs over a real HTTP server, decoding, limits."""
from __future__ import annotations

import gzip
import io
import json

import pytest

from rashomon.config import IngestOptions
from rashomon.errors import DecodeError, FetchError, InputError, RecordError, TooLargeError
from rashomon.ingest import Fetcher, read_inputs
from rashomon.ingest.decode import decode_bytes
from rashomon.models import RawDocument

from conftest import CYRILLIC_TEXT

FRENCH = "Le café de la gare a rouvert lundi. « C'est très émouvant », a déclaré la gérante, Hélène Dubois."


def _docs(items):
    return [d for d in items if isinstance(d, RawDocument)]


def _errors(items):
    return [d for d in items if isinstance(d, InputError)]


# ------------------------------------------------------------------------------------------ decoding

def test_utf8_bom_is_removed():
    assert decode_bytes("Hello wörld".encode("utf-8-sig"), source="x") == "Hello wörld"


def test_utf16_with_bom():
    assert decode_bytes("Grüße aus Köln".encode("utf-16"), source="x") == "Grüße aus Köln"


def test_windows_1251_without_declaration_is_detected():
    text = decode_bytes(CYRILLIC_TEXT.encode("cp1251"), source="x")
    assert text == CYRILLIC_TEXT


def test_latin1_without_declaration_is_detected():
    assert decode_bytes((FRENCH * 3).encode("latin-1"), source="x") == FRENCH * 3


def test_declared_charset_in_meta_wins():
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{CYRILLIC_TEXT}</p></body></html>'
    assert CYRILLIC_TEXT in decode_bytes(html.encode("cp1251"), source="x")


def test_declared_latin1_means_windows_1252():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>' \
           '<body><p>It costs \u20ac5 \u2014 “quoted”</p></body></html>'
    assert "\u20ac5 \u2014 “quoted”" in decode_bytes(html.encode("cp1252"), source="x")


def test_mostly_utf8_with_broken_bytes_stays_utf8():
    data = ("Zürich, Genève und Köln. " * 20).encode("utf-8") + b"\xff\xfe broken" + " Straße.".encode("utf-8")
    text = decode_bytes(data, source="x")
    assert "Zürich" in text and "Straße" in text and "\ufffd" in text


def test_binary_image_is_refused():
    with pytest.raises(DecodeError, match="PNG image"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, source="x")


def test_nul_filled_data_is_refused():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"abc\x00\x01\x02" * 100, source="x")


# ------------------------------------------------------------------------------------------ files

def test_directory_is_read_recursively_by_suffix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text("<html><body><p>One</p></body></html>")
    (tmp_path / "two.txt").write_text("Two")
    (tmp_path / "three.json").write_text(json.dumps({"text": "Three"}))
    (tmp_path / "notes.md").write_text("ignored")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("ignored too")
    with gzip.open(tmp_path / "four.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"raw_text": "Four"}) + "\n")
    docs = _docs(read_inputs([str(tmp_path)]))
    assert sorted((d.kind, d.content) for d in docs) == [
        ("html", "<html><body><p>One</p></body></html>"), ("raw_text", "Four"), ("raw_text", "Two"),
        ("text", "Three")]


def test_missing_path_is_an_error_and_the_rest_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_text("Fine")
    items = list(read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "ok.txt")]))
    assert [e.message for e in _errors(items)] == ["no such file or directory"]
    assert [d.content for d in _docs(items)] == ["Fine"]


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"  \n")
    [error] = list(read_inputs([str(tmp_path / "empty.html")]))
    assert isinstance(error, InputError) and "empty" in str(error) and "empty.html" in str(error)


def test_image_renamed_html_is_an_error(tmp_path):
    (tmp_path / "photo.html").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8)
    [error] = list(read_inputs([str(tmp_path / "photo.html")]))
    assert isinstance(error, DecodeError) and "JPEG" in str(error)


def test_file_over_the_size_cap_is_refused_with_how_to_raise_it(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:  # a sparse 200 MB file: nothing is read before the refusal
        fh.truncate(200 * 1024 * 1024)
    [error] = list(read_inputs([str(big)]))
    assert isinstance(error, TooLargeError)
    assert "--max-size" in str(error) and "RASHOMON_MAX_SIZE" in str(error) and "209.7 MB" in str(error)


def test_gz_over_the_size_cap_is_refused(tmp_path):
    path = tmp_path / "bomb.html.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b"<p>" + b"a" * 3_000_000 + b"</p>")
    [error] = list(read_inputs([str(path)], IngestOptions(max_bytes=1_000_000)))
    assert isinstance(error, TooLargeError)


def test_broken_gzip_is_an_error(tmp_path):
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    [error] = list(read_inputs([str(tmp_path / "bad.txt.gz")]))
    assert isinstance(error, DecodeError) and "gzip" in str(error)


def test_stdin_is_sniffed(tmp_path):
    html = b"<!doctype html><html><body><p>From stdin</p></body></html>"
    [doc] = list(read_inputs(["-"], stdin=io.BytesIO(html)))
    assert doc.kind == "html" and doc.source == "-"
    jsonl = b'{"text": "one"}\n{"text": "two"}\n'
    assert [d.content for d in read_inputs(["-"], stdin=io.BytesIO(jsonl))] == ["one", "two"]
    [doc] = list(read_inputs(["-"], stdin=io.BytesIO("Copied text\nfrom a page".encode())))
    assert doc.kind == "raw_text"


# ------------------------------------------------------------------------------------------ records

def test_jsonl_with_a_broken_line_reports_its_number_and_keeps_the_others(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"id": "a", "text": "First"}\n{"id": "b", "text": "Sec\n{"id": "c", "text": "Third"}\n')
    items = list(read_inputs([str(path)]))
    [error] = _errors(items)
    assert isinstance(error, RecordError) and "line 2" in str(error) and "batch.jsonl" in str(error)
    assert [d.id for d in _docs(items)] == ["a", "c"]
    assert _docs(items)[1].source.endswith("batch.jsonl:3")


def test_record_needs_exactly_one_content_field(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"id": "x", "title": "no content"}, {"text": "a", "html": "<p>b</p>"},
                                {"id": "ok", "raw_text": "fine", "published": "2024-01-29T15:49:00",
                                 "authors": ["A. Writer"], "story": "s1"}]))
    items = list(read_inputs([str(path)]))
    errors = _errors(items)
    assert len(errors) == 2 and all("exactly one of html, raw_text, text" in str(e) for e in errors)
    assert "r.json[0]" in str(errors[0])
    [doc] = _docs(items)
    assert (doc.id, doc.kind, doc.published, doc.authors, doc.extra) == \
        ("ok", "raw_text", "2024-01-29T15:49:00", ["A. Writer"], {"story": "s1"})


def test_record_with_an_unreadable_date_is_refused(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": "x", "published": "soonish"}) + "\n"
                    + json.dumps({"text": "y", "published": "January 29, 2024"}) + "\n")
    items = list(read_inputs([str(path)]))
    assert "not a date" in str(_errors(items)[0])
    assert _docs(items)[0].published.startswith("2024-01-29")


# ------------------------------------------------------------------------------------------ URLs

def test_url_is_fetched_over_http(http_server):
    [doc] = list(read_inputs([f"{http_server}/page.html"]))
    assert doc.kind == "html" and "Port Evran" in doc.content and doc.url == f"{http_server}/page.html"


def test_url_without_declared_charset_is_detected(http_server):
    [doc] = list(read_inputs([f"{http_server}/cp1251.html"]))
    assert CYRILLIC_TEXT in doc.content


def test_url_text_and_records(http_server):
    [doc] = list(read_inputs([f"{http_server}/copied.txt"]))
    assert doc.kind == "raw_text"
    assert [d.id for d in read_inputs([f"{http_server}/records.jsonl"])] == ["r1", "r2"]


def test_redirect_within_the_same_host_is_followed(http_server):
    [doc] = list(read_inputs([f"{http_server}/to-page"]))
    assert doc.url == f"{http_server}/page.html"


@pytest.mark.parametrize("path,reason", [
    ("/to-file", "refused redirect to file:///etc/passwd: scheme file://"),
    ("/to-private", "private or local address (10.1.2.3)"),
    ("/to-localhost", "private or local address (localhost)"),
    ("/loop", "more than 10 redirects"),
    ("/missing", "HTTP 404"),
    ("/image.png", "unsupported content type image/png"),
])
def test_url_failures_name_the_reason(http_server, path, reason):
    [error] = list(read_inputs([f"{http_server}{path}"]))
    assert isinstance(error, FetchError) and reason in str(error) and path in str(error)


def test_redirect_to_private_address_allowed_when_asked(http_server):
    [doc] = list(read_inputs([f"{http_server}/to-localhost"], IngestOptions(allow_private=True)))
    assert doc.kind == "html"


def test_url_that_times_out(http_server):
    [error] = list(read_inputs([f"{http_server}/slow"], IngestOptions(timeout=0.5)))
    assert isinstance(error, FetchError) and "timed out" in str(error)


def test_download_over_the_size_cap_is_refused(http_server):
    [error] = list(read_inputs([f"{http_server}/endless"], IngestOptions(max_bytes=500_000)))
    assert isinstance(error, TooLargeError) and "--max-size" in str(error)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.html", "javascript://alert(1)"])
def test_non_http_schemes_are_refused(url):
    [error] = list(read_inputs([url]))
    assert isinstance(error, FetchError) and "only http and https" in str(error)


def test_user_agent_is_sent():
    import httpx

    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["ua"] = request.headers["user-agent"]
        return httpx.Response(200, html="<html><body><p>hi</p></body></html>")

    with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        fetched = fetcher.fetch("https://news.example/story")
    assert seen["ua"].startswith("rashomon/") and fetched.kind == "html"


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path):
    path = tmp_path / "seps.jsonl"
    path.write_text(json.dumps({"id": "s", "text": "one\u2028two\x85three"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    [doc] = list(read_inputs([str(path)]))
    assert doc.content == "one\u2028two\x85three"
