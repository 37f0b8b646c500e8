"""claimx diff: what a lexicon change did to the claims."""
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from claimx.cli import main
from claimx.diff import diff_files
from claimx.normalize import fold
from conftest import SEEDS

CUES = Path(__file__).resolve().parents[1] / "claimx" / "lexicons" / "cues.yaml"
FORM = "قالت"  # one cue form; the seeds use it several times


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def lexicon_change(tmp_path_factory):
    """Claims of the seeds with the shipped lexicon and with one cue form removed."""
    tmp = tmp_path_factory.mktemp("diff")
    data = yaml.safe_load(CUES.read_text("utf-8"))
    removed_from = [e["id"] for e in data["cues"] if FORM in e["forms"]]
    assert removed_from, f"{FORM} is no longer a cue form; pick another for this test"
    for e in data["cues"]:
        if FORM in e["forms"]:
            e["forms"].remove(FORM)
    changed = tmp / "cues.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old, new = tmp / "old.jsonl", tmp / "new.jsonl"
    assert run("extract", str(SEEDS), "-o", str(old), "-q").exit_code == 0
    from claimx.batch import BatchConfig, run_batch
    from claimx.parallel import Stage
    from claimx.pipeline import Options

    report = run_batch(BatchConfig((str(SEEDS),), str(new), quiet=True), Stage("extract", Options(cues=str(changed))))
    assert report.exit_code == 0
    return old, new


def _has_form(rec: dict) -> bool:
    return fold(FORM) in fold(rec["cue"]["text"])


def test_diff_real_lexicon_change(lexicon_change):
    old, new = lexicon_change
    d = diff_files(str(old), str(new))
    s = d.summary()
    with_form = [r for r in lines(old) if _has_form(r)]
    assert with_form, "the seeds no longer use the removed form"
    assert d.differ and s["removed"] >= 1
    assert s["old"] == len(lines(old)) and s["new"] == len(lines(new))
    assert s["unchanged"] + s["changed"] + s["removed"] == s["old"]
    assert s["unchanged"] + s["changed"] + s["added"] == s["new"]
    removed = [d.record(d.old, c.old) for c in d.changes if c.kind == "removed"]
    # every claim that went away was cued by the removed form
    assert all(_has_form(r) for r in removed)
    # and every claim cued by it went away or changed
    gone = {r["id"] for r in removed} | {c.old.key for c in d.changes if c.kind == "changed"}
    assert {r["id"] for r in with_form} <= gone


def test_diff_cli_listing_and_exit_status(lexicon_change):
    old, new = lexicon_change
    r = run("diff", str(old), str(new))
    assert r.exit_code == 1
    assert r.stdout.startswith(f"--- {old}\n+++ {new}\nclaims: ")
    assert "removed" in r.stdout.splitlines()[2]
    minus = [x for x in r.stdout.splitlines() if x.startswith("  - ")]
    assert minus and all(FORM in x or "← " in x for x in minus)
    assert any(FORM in x for x in minus)
    doc_ids = {x["doc"]["id"] for x in lines(old)}
    assert any(line in doc_ids for line in r.stdout.splitlines())  # grouped under document headers


def test_diff_cli_json(lexicon_change):
    old, new = lexicon_change
    r = run("diff", str(old), str(new), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert set(data) == {"old", "new", "summary", "added", "removed", "changed"}
    assert data["summary"]["removed"] == len(data["removed"]) >= 1
    assert data["summary"]["changed"] == len(data["changed"])
    assert all(_has_form(rec) for rec in data["removed"])
    for c in data["changed"]:
        assert c["by"] in ("id", "span", "text") and c["fields"] and c["old"] != c["new"]


def test_diff_cli_markdown_for_pull_requests(lexicon_change):
    old, new = lexicon_change
    r = run("diff", str(old), str(new), "--markdown")
    assert r.exit_code == 1
    assert r.stdout.startswith("### claimx diff") and "| removed |" in r.stdout and "```diff" in r.stdout


def test_diff_same_files_exit_0(lexicon_change, tmp_path):
    old, _ = lexicon_change
    r = run("diff", str(old), str(old))
    assert r.exit_code == 0
    assert "changed 0, added 0, removed 0" in r.stdout
    assert json.loads(run("diff", str(old), str(old), "--json").stdout)["summary"]["changed"] == 0


def _write(path: Path, recs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def test_diff_changed_by_id_names_the_fields(lexicon_change, tmp_path):
    old, _ = lexicon_change
    recs = lines(old)
    recs[0]["polarity"] = "negative" if recs[0]["polarity"] != "negative" else "positive"
    recs[1]["content"]["text"] = "نص آخر"
    d = diff_files(str(old), str(_write(tmp_path / "new.jsonl", recs)))
    changed = [c for c in d.changes if c.kind == "changed"]
    assert len(changed) == 2 and all(c.by == "id" for c in changed)
    assert d.fields(changed[0]) in (["polarity"], ["content.text"])
    out = run("diff", str(old), str(tmp_path / "new.jsonl")).stdout
    assert "polarity: " in out and 'content.text: ' in out and "نص آخر" in out


def test_diff_changed_by_span_when_the_cue_moved(lexicon_change, tmp_path):
    """A longer cue gives a new id; the overlapping span pairs it with the old claim."""
    old, _ = lexicon_change
    recs = lines(old)
    r = recs[2]
    r["cue"]["end"] += 1
    r["cue"]["text"] = "x" * (r["cue"]["end"] - r["cue"]["start"])
    r["id"] = "0123456789abcdef"
    d = diff_files(str(old), str(_write(tmp_path / "new.jsonl", recs)))
    assert d.summary()["changed"] == 1 and d.summary()["added"] == d.summary()["removed"] == 0
    c = d.changes[0]
    assert c.by == "span" and "cue.end" in d.fields(c) and "id" in d.fields(c)


def test_diff_added_and_removed(lexicon_change, tmp_path):
    old, _ = lexicon_change
    recs = lines(old)
    gone = recs.pop(3)
    extra = dict(recs[0], id="feedfacefeedface", cue=dict(recs[0]["cue"], start=10 ** 6, end=10 ** 6 + 3))
    recs.append(extra)
    d = diff_files(str(old), str(_write(tmp_path / "new.jsonl", recs)))
    assert [c.kind for c in d.changes if c.kind != "changed"].count("removed") == 1
    assert d.summary()["added"] == 1 and d.summary()["removed"] == 1
    assert next(c for c in d.changes if c.kind == "removed").old.key == gone["id"]
    out = run("diff", str(old), str(tmp_path / "new.jsonl"), "--limit", "1").stdout
    assert "more changes not listed" in out


def test_diff_unreadable_files_exit_2(tmp_path, lexicon_change):
    old, _ = lexicon_change
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\nnot json\n', encoding="utf-8")
    r = run("diff", str(old), str(bad))
    assert r.exit_code == 2 and "bad.jsonl:2" in r.stderr
    r = run("diff", str(old), str(tmp_path / "missing.jsonl"))
    assert r.exit_code == 2 and "missing.jsonl" in r.stderr


def test_diff_normalize_records_pair_by_id(tmp_path):
    a = run("normalize", str(SEEDS), "-q").stdout
    (tmp_path / "a.jsonl").write_text(a, encoding="utf-8")
    recs = [json.loads(x) for x in a.splitlines()]
    recs[0]["normalized"]["steps"] = ["changed"]
    d = diff_files(str(tmp_path / "a.jsonl"), str(_write(tmp_path / "b.jsonl", recs)))
    assert d.summary()["changed"] == 1 and d.fields(d.changes[0]) == ["normalized.steps"]
