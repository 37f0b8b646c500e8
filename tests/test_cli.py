"""The command line: every command, its options and exit statuses."""
import json

import jsonschema
import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.schema import CLAIM, DOC
from conftest import SEEDS, assert_spans


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def lines(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize("command", [[], ["normalize"], ["extract"], ["eval"], ["schema"]])
def test_cli_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_cli_extract_seeds_valid_records(seed_texts):
    result = run("extract", str(SEEDS), "-q")
    assert result.exit_code == 0
    recs = lines(result.stdout)
    assert len(recs) > 30
    validator = jsonschema.Draft202012Validator(CLAIM)
    for r in recs:
        validator.validate(r)
        assert_spans(r, seed_texts[r["doc"]["id"]])
    assert len({r["id"] for r in recs}) == len(recs)


def test_cli_extract_ids_are_stable():
    a = run("extract", str(SEEDS), "-q").stdout
    b = run("extract", str(SEEDS), "-q").stdout
    assert a == b


def test_cli_normalize_then_extract_same_claims():
    direct = run("extract", str(SEEDS), "-q").stdout
    docs = run("normalize", str(SEEDS), "-q").stdout
    for d in lines(docs):
        jsonschema.validate(d, DOC)
        for s in d["sentences"]:
            assert d["text"][s["start"]:s["end"]] == s["text"]
    piped = run("extract", "-", "-q", input=docs).stdout
    assert piped == direct


def test_cli_normalize_tokens_option(seed_texts):
    d = lines(run("normalize", str(SEEDS / "000_f8c17ac62d247ec4.txt"), "--tokens", "-q").stdout)[0]
    text = seed_texts["000_f8c17ac62d247ec4.txt"]
    assert d["tokens"] and all(text[s:e].strip() == text[s:e] for s, e in d["tokens"])
    assert d["id"] == "000_f8c17ac62d247ec4.txt"


def test_cli_stdin_plain_text_and_jsonl():
    plain = run("extract", "-", "-q", input="قال المرصد إن الاشتباكات مستمرة.\n")
    assert plain.exit_code == 0 and lines(plain.stdout)[0]["doc"]["id"] == "-"
    jl = run("extract", "-", "-q", input=json.dumps({"id": "a1", "text": "نفت الوزارة صحة الأنباء.", "url": "u"}) + "\n")
    rec = lines(jl.stdout)[0]
    assert rec["doc"]["id"] == "a1" and rec["doc"]["meta"] == {"url": "u"}


def test_cli_output_file_and_summary(tmp_path):
    out = tmp_path / "claims.jsonl"
    result = run("extract", str(SEEDS), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "5 documents" in result.stderr and "0 failed" in result.stderr
    assert len(lines(out.read_text("utf-8"))) > 30
    assert not list(tmp_path.glob(".claimx-*"))


def test_cli_glob_option(tmp_path):
    (tmp_path / "a.txt").write_text("قال المرصد إن الهجوم فشل.", "utf-8")
    (tmp_path / "b.md").write_text("قال المرصد إن الهجوم نجح.", "utf-8")
    assert len(lines(run("extract", str(tmp_path), "-q").stdout)) == 1
    assert len(lines(run("extract", str(tmp_path), "--glob", "*.md", "-q").stdout)) == 1


def test_cli_bad_inputs_reported_and_batch_continues(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("قال المرصد إن الهجوم فشل.", "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    jl = tmp_path / "docs.jsonl"
    jl.write_text('{"id": "x", "text": "أكد الجيش أن المدينة سقطت."}\nnot json\n{"id": "y"}\n{"id": "z", "text": 5}\n', "utf-8")
    errors = tmp_path / "errors.jsonl"
    result = run("extract", str(good), str(tmp_path / "empty.txt"), str(jl), str(tmp_path / "missing.txt"),
                 "--errors", str(errors))
    assert result.exit_code == 1
    assert len(lines(result.stdout)) == 2
    err = result.stderr
    assert "empty.txt: empty file" in err
    assert "docs.jsonl:2: not valid JSON" in err
    assert "docs.jsonl:3: record has no 'text'" in err
    assert "docs.jsonl:4: 'text' is a JSON number, not a string" in err
    assert "missing.txt: no such file or folder" in err
    recs = lines(errors.read_text("utf-8"))
    assert [r["line"] for r in recs] == [None, 2, 3, 4, None]


def test_cli_fail_fast_stops_at_first_failure(tmp_path):
    (tmp_path / "a.txt").write_text("", "utf-8")
    (tmp_path / "b.txt").write_text("قال المرصد إن الهجوم فشل.", "utf-8")
    result = run("extract", str(tmp_path), "--fail-fast")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_cli_usage_errors_exit_2():
    assert run("extract").exit_code == 2
    assert run("extract", "--no-such-option", "x").exit_code == 2
    assert run("schema", "nope").exit_code == 2


@pytest.mark.parametrize("name", ["claim", "doc"])
def test_cli_schema_prints_json_schema(name):
    result = run("schema", name)
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_cli_version():
    assert "claimx" in run("--version").output


def test_cli_normalize_flags_boilerplate_sentences():
    text = "قال المرصد إن الهجوم فشل.\nاقرأ أيضا\nزر الذهاب إلى الأعلى\n"
    d = lines(run("normalize", "-", "-q", input=text).stdout)[0]
    flags = {s["text"]: s["boilerplate"] for s in d["sentences"]}
    assert flags["قال المرصد إن الهجوم فشل."] is False
    assert flags["زر الذهاب إلى الأعلى"] is True
