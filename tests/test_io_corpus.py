"""A messy corpus end to end: every good file gives the claims of its clean seed,
every bad one its documented error, and nothing else is lost."""
import json

import pytest
from click.testing import CliRunner

import io_corpus
from claimx.cli import main
from claimx.model import Document
from claimx.pipeline import Pipeline
from conftest import assert_spans


def claim_texts(records, html=False):
    def t(s):  # the HTML extractor folds white space (NBSP, runs of spaces): nothing else
        return " ".join(s.split()) if html else s

    return [(t(r["cue"]["text"]), t(r["content"]["text"]), t(r["source"]["text"])) for r in records]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("messy")
    expected = io_corpus.build(folder)
    out, errs = folder.parent / "out.jsonl", folder.parent / "errors.jsonl"
    result = CliRunner().invoke(main, ["extract", str(folder), "--glob", "*", "--max-bytes", "50k",
                                       "--errors", str(errs), "-o", str(out)], catch_exceptions=False)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    errors = [json.loads(line) for line in errs.read_text("utf-8").splitlines()]
    return folder, expected, result, records, errors


def test_io_corpus_exit_status_and_summary(corpus_run):
    folder, expected, result, records, errors = corpus_run
    assert result.exit_code == 1
    n_good, n_bad = len(expected["good"]), len(expected["bad"])
    assert f"claimx: {n_good} documents, {len(records)} claims, {n_bad} failed" in result.stderr


def test_io_corpus_every_bad_input_reported_once(corpus_run):
    folder, expected, result, records, errors = corpus_run
    got = {}
    for e in errors:
        name = e["path"].rsplit("/", 1)[-1]
        got[f"{name}:{e['line']}" if e["line"] is not None else name] = e["reason"]
    assert set(got) == set(expected["bad"])
    for where, reason in expected["bad"].items():
        assert reason in got[where], where
        assert where in result.stderr  # one line on stderr names the file (and line)
    assert all(e["hint"] for e in errors)  # and says what to do
    assert len(result.stderr.strip().splitlines()) == len(expected["bad"]) + 1


@pytest.mark.parametrize("name", [
    "a-windows-1256.txt", "b-iso-8859-6.txt", "c-bom.txt", "d-crlf.txt", "e-cr.txt", "f-utf-16.txt",
    "g-page.html", "h-page-1256.html", "i-scrape.txt", "j-records.jsonl:j1", "j-records.jsonl:j5"])
def test_io_corpus_good_file_has_the_claims_of_its_clean_seed(corpus_run, name):
    folder, expected, result, records, errors = corpus_run
    doc_id = name.split(":")[-1]
    mine = [r for r in records if r["doc"]["id"] == doc_id]
    seed = io_corpus.SEED[expected["good"][name]]
    clean = Pipeline().extract(Document("clean", seed))
    assert mine, name
    html = name.endswith(".html")
    assert claim_texts(mine, html) == claim_texts(clean, html)


def test_io_corpus_offsets_point_into_the_decoded_text(corpus_run):
    folder, expected, result, records, errors = corpus_run
    from claimx.io import iter_documents

    texts = {d.id: d.text for d in iter_documents([str(folder)], "*", on_error=lambda e: None, max_bytes=50_000)}
    for r in records:
        assert_spans(r, texts[r["doc"]["id"]])
    assert "\r\n" in texts["d-crlf.txt"] and "\r" in texts["e-cr.txt"]  # line ends kept as they were


def test_io_corpus_records_say_the_encoding(corpus_run):
    folder, expected, result, records, errors = corpus_run
    enc = {r["doc"]["id"]: r["doc"].get("encoding", "utf-8") for r in records}
    assert enc["a-windows-1256.txt"] == "windows-1256"
    assert enc["b-iso-8859-6.txt"] == "iso-8859-6"
    assert enc["c-bom.txt"] == "utf-8-sig"
    assert enc["f-utf-16.txt"] == "utf-16-le"
    assert enc["h-page-1256.html"] == "windows-1256"
    assert enc["d-crlf.txt"] == enc["j1"] == "utf-8"


def test_io_corpus_html_metadata_in_doc_meta(corpus_run):
    folder, expected, result, records, errors = corpus_run
    meta = next(r["doc"]["meta"] for r in records if r["doc"]["id"] == "g-page.html")
    assert meta["url"] == "https://news.example.org/2017/10/article-1"
    assert meta["date"] == "2017-10-21"
    assert meta["outlet"] == "شبكة الأخبار"
    assert meta["title"].startswith(io_corpus.SEED["000"].splitlines()[0][:20])
    # nav, related links and reader comments give no claims
    texts = " ".join(r["content"]["text"] for r in records if r["doc"]["id"] == "g-page.html")
    assert "الاشتباكات توقفت" not in texts and "كاذب" not in texts and "انسحبت من المدينة" not in texts


def test_io_corpus_jsonl_metadata_passes_through(corpus_run):
    folder, expected, result, records, errors = corpus_run
    meta = next(r["doc"]["meta"] for r in records if r["doc"]["id"] == "j1")
    assert meta == {"url": "https://example.org/1"}


def test_io_corpus_records_valid_against_the_schema(corpus_run):
    import jsonschema

    from claimx.schema import CLAIM

    folder, expected, result, records, errors = corpus_run
    for r in records:
        jsonschema.validate(r, CLAIM)
