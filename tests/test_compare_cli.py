"""`rashomon compare`: grouping by the records' story field, --as-one-story, formats, the schema-1 JSON."""
from __future__ import annotations

import importlib.util
import json

import pytest

STORY_A = [
    ("a1", "Harbour Daily", "The harbour of Port Evran reopened on Monday after a three-day closure caused by the storm, "
     "the port authority said. Ships that had waited offshore began entering the port shortly after dawn."),
    ("a2", "Coast Courier", "Port Evran's harbour reopened on Monday, ending a three-day closure forced by the storm. "
     "Repairs to the northern breakwater will cost an estimated four million euros, officials said."),
]
STORY_B = [
    ("b1", "Harbour Daily", "The city council of Lindmar approved a new budget for public libraries on Thursday. "
     "Opening hours will be extended on weekends from next month."),
]


def _records(tmp_path, rows, story: bool = True):
    path = tmp_path / "records.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for group, items in rows:
            for rid, outlet, text in items:
                rec = {"id": rid, "outlet": outlet, "published": "2025-01-13", "text": text}
                if story:
                    rec["story"] = group
                fh.write(json.dumps(rec) + "\n")
    return path


def test_compare_groups_by_story_field_and_writes_schema_1(cli, tmp_path):
    path = _records(tmp_path, [("harbour", STORY_A), ("library", STORY_B)])
    code, out, err = cli("compare", "--db", str(tmp_path / "c.db"), str(path))
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == 1
    stories = {s["id"]: s for s in data["stories"]}
    assert set(stories) == {"harbour", "library"}
    harbour = stories["harbour"]
    assert [a["id"] for a in harbour["articles"]] == ["a1", "a2"]
    for key in ("facts", "omissions", "conflicts", "framing", "sources", "timeline"):
        assert key in harbour
    shared = [f for f in harbour["facts"] if f["status"] == "shared"]
    assert shared and {m["article"] for m in shared[0]["mentions"]} == {"a1", "a2"}
    text = {r[0]: r[2] for r in STORY_A}
    for fact in harbour["facts"]:
        assert fact["status"] in ("shared", "partial", "unique") and fact["kind"] in ("news", "background")
        for m in fact["mentions"]:
            assert text[m["article"]][m["start"]:m["end"]] == m["text"]      # spans point into the article text
    assert set(harbour["omissions"]) == {"a1", "a2"}
    unique_a1 = [f["id"] for f in harbour["facts"] if f["articles"] == ["a1"]]
    assert set(unique_a1) <= set(harbour["omissions"]["a2"])
    assert [t["value"] for t in harbour["timeline"]] == ["2025-01-13"]
    assert all(f["status"] == "unique" for f in stories["library"]["facts"])


def test_as_one_story_and_output_file(cli, tmp_path):
    path = _records(tmp_path, [("harbour", STORY_A), ("library", STORY_B)])
    out_file = tmp_path / "cmp.json"
    code, out, err = cli("compare", "--as-one-story", "--db", str(tmp_path / "c.db"), "-o", str(out_file), str(path))
    assert code == 0, err
    assert out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert len(data["stories"]) == 1 and len(data["stories"][0]["articles"]) == 3


def test_second_run_reuses_the_store(cli, tmp_path):
    path = _records(tmp_path, [("harbour", STORY_A)])
    db = str(tmp_path / "c.db")
    first = cli("compare", "--db", db, str(path))
    second = cli("compare", "--db", db, str(path))
    assert first[0] == second[0] == 0
    assert json.loads(first[1]) == json.loads(second[1])


@pytest.mark.parametrize("fmt,module", [("md", "markdown"), ("html", "html")])
def test_rendered_formats_or_a_clear_message(cli, tmp_path, fmt, module):
    path = _records(tmp_path, [("harbour", STORY_A)])
    code, out, err = cli("compare", "--format", fmt, "--db", str(tmp_path / "c.db"), str(path))
    if importlib.util.find_spec(f"rashomon.render.{module}") is None:
        assert code == 1 and "not available yet" in err
    else:
        assert code == 0 and out.strip()


def test_failed_input_is_reported_and_others_go_on(cli, tmp_path):
    path = _records(tmp_path, [("harbour", STORY_A)])
    code, out, err = cli("compare", "--db", str(tmp_path / "c.db"), str(path), str(tmp_path / "missing.html"))
    assert code == 1
    assert "rashomon: error:" in err and "missing.html" in err
    assert len(json.loads(out)["stories"]) == 1
