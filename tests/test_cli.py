"""The command line: contracts of extract, ingest, articles and show; error lines and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "lesbos-ferry-grounding"

BODY = ("The city council of Port Evran voted on Monday to extend the harbour promenade by 400 metres, "
        "the mayor's office said.\n\nWork is due to start in the autumn and to last eighteen months, "
        "according to the city's planning department.")
EXTRACT_FIELDS = ["id", "source", "url", "outlet", "title", "authors", "published", "published_from",
                  "modified", "language", "text", "captions"]


@pytest.fixture
def record_file(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"id": "evran-1", "url": "https://ledger.example/promenade", "outlet": "Ledger",
                                "title": "Promenade to grow", "published": "2025-03-03T09:00:00+01:00",
                                "text": BODY}) + "\n")
    return path


def test_extract_record_follows_the_contract(cli, record_file):
    code, out, err = cli("extract", "--format", "jsonl", str(record_file))
    assert code == 0, err
    [record] = [json.loads(line) for line in out.splitlines()]
    assert list(record)[:len(EXTRACT_FIELDS)] == EXTRACT_FIELDS
    assert record["id"] == "evran-1" and record["text"] == BODY  # clean text is used character for character
    assert record["published"] == "2025-03-03T09:00:00+01:00" and record["published_from"] == "given"
    assert record["language"] == "en" and record["source"].endswith("records.jsonl:1")


def test_extract_json_and_text_formats(cli, record_file):
    code, out, _ = cli("extract", "--format", "json", str(record_file))
    assert code == 0 and json.loads(out)[0]["title"] == "Promenade to grow"
    code, out, _ = cli("extract", "--format", "text", str(record_file))
    assert code == 0 and "Promenade to grow" in out and "outlet: Ledger" in out and "400 metres" in out


def test_failed_inputs_print_one_line_each_and_exit_1(cli, record_file, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    code, out, err = cli("extract", str(tmp_path / "missing.html"), str(record_file), str(tmp_path / "empty.txt"))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [f"rashomon: error: {tmp_path / 'missing.html'}: no such file or directory",
                     f"rashomon: error: {tmp_path / 'empty.txt'}: empty input (no text)"]
    assert json.loads(out)["id"] == "evran-1"  # the good input still came out


def test_usage_error_exits_2(cli):
    code, _, err = cli("extract", "--format", "yaml", "x.html")
    assert code == 2 and "yaml" in err
    code, _, _ = cli("extract")
    assert code == 2


def test_stdin_input(cli):
    code, out, _ = cli("extract", "-", input=json.dumps({"text": BODY, "id": "from-stdin"}))
    assert code == 0 and json.loads(out)["id"] == "from-stdin"


def test_ingest_twice_stores_once_then_lists_searches_and_shows(cli, record_file, tmp_path):
    code, _, err = cli("ingest", str(record_file))
    assert code == 0 and "1 added, 0 already stored, 0 failed" in err
    code, _, err = cli("ingest", str(record_file))
    assert code == 0 and "0 added, 1 already stored" in err
    code, out, _ = cli("articles")
    assert "evran-1" in out and "Promenade to grow" in out and "2025-03-03" in out
    code, out, _ = cli("articles", "--search", "promenade", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["evran-1"]
    code, out, err = cli("articles", "--search", "volcano")
    assert out == "" and "no articles found" in err
    code, out, _ = cli("show", "evran-1", "--format", "json")
    shown = json.loads(out)
    assert shown["text"] == BODY and len(shown["sources"]) == 1  # the same input twice is one source
    code, _, err = cli("show", "nothing-like-this")
    assert code == 1 and "no article or story with id nothing-like-this" in err


def test_store_path_from_flag_and_environment(cli, record_file, tmp_path):
    other = tmp_path / "other.db"
    code, _, _ = cli("ingest", "--db", str(other), str(record_file))
    assert code == 0 and other.exists()
    assert not (tmp_path / "test.db").exists()  # RASHOMON_DB was not used when --db was given
    code, out, _ = cli("articles", "--db", str(other))
    assert "evran-1" in out


def test_reading_a_missing_store_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("articles", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "rashomon ingest" in err


def test_ingest_reports_each_article_as_jsonl(cli, record_file):
    code, out, _ = cli("ingest", "--format", "jsonl", str(record_file))
    record = json.loads(out)
    assert {k: record[k] for k in ("id", "source", "status")} == \
        {"id": "evran-1", "source": f"{record_file}:1", "status": "added"}
    assert record["story"]  # every stored article is placed in a story


def test_page_with_no_article_is_reported(cli, tmp_path):
    page = tmp_path / "login.html"
    page.write_text("<html><head><title>Sign in</title></head><body><form><label>Email</label>"
                    "<input name=email><label>Password</label><input type=password>"
                    "<button>Sign in</button></form><a href='/forgot'>Forgot password?</a></body></html>")
    code, _, err = cli("extract", str(page))
    assert code == 1 and f"{page}: no article text found" in err


def test_deeply_nested_html_does_not_crash(cli, tmp_path):
    page = tmp_path / "nested.html"
    body = "<div>" * 10_000 + "<p>" + "Deep inside the page there is a sentence about the harbour. " * 5 + \
           "</p>" + "</div>" * 10_000
    page.write_text(f"<html><body>{body}</body></html>")
    code, out, err = cli("extract", str(page))
    assert code in (0, 1) and "Traceback" not in err
    if code == 1:
        assert "no article text found" in err
    else:
        assert "Deep inside the page" in json.loads(out)["text"]


def test_bundled_example_extracts(cli):
    code, out, err = cli("extract", str(EXAMPLE))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 3
    assert {r["outlet"] for r in records} == {"The Aegean Lantern", "Meridian Wire", "The Ionian Clarion"}
    for r in records:
        assert r["title"] and r["published"] and len(r["text"].split()) > 300
