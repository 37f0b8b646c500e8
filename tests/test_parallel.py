"""--jobs: worker processes give the same bytes, in the same order, as one process."""
import io
import json

import pytest
from click.testing import CliRunner

from batch_corpus import corpus_records, write_corpus
from claimx.cli import main
from claimx.io import iter_documents
from claimx.parallel import Engine, Progress, Stage, as_stage, resolve_jobs
from claimx.pipeline import Options, Pipeline
from conftest import SEEDS


@pytest.fixture(autouse=True)
def fork_workers(monkeypatch):
    """Fork, as the CLI does: an idle thread left by the Dask tests would otherwise select the
    slower forkserver, and monkeypatched stages reach the workers only through fork."""
    monkeypatch.setenv("CLAIMX_START_METHOD", "fork")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    """Reference output of each stage with --jobs 1."""
    out = {}
    for stage in ("normalize", "extract"):
        path = tmp_path_factory.mktemp("serial") / f"{stage}.jsonl"
        assert run(stage, str(corpus), "-o", str(path), "-q").exit_code == 0
        out[stage] = path.read_bytes()
    return out


@pytest.mark.parametrize("stage", ["normalize", "extract"])
@pytest.mark.parametrize("jobs", ["2", "3", "0"])
def test_parallel_jobs_output_byte_identical(stage, jobs, corpus, serial, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run(stage, str(corpus), "-o", str(out), "--jobs", jobs)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == serial[stage]
    assert f"claimx: {len(corpus_records())} documents" in result.stderr


def test_parallel_jobs_1_same_as_before_parallel_existed(corpus, serial):
    """The Stage path writes exactly what the plain Pipeline + JsonlWriter path wrote."""
    pipe = Pipeline()
    expected = "".join(json.dumps(r, ensure_ascii=False) + "\n"
                       for d in iter_documents([str(corpus)]) for r in pipe.extract(d))
    assert serial["extract"].decode("utf-8") == expected


@pytest.mark.parametrize("chunk_docs", [1, 2, 7])
def test_parallel_engine_small_chunks_keep_order(corpus, serial, chunk_docs):
    engine = Engine(Stage("extract", Options()), jobs=2, chunk_docs=chunk_docs)
    got = "".join(lines for _, lines in engine.run(iter_documents([str(corpus)])))
    assert got.encode("utf-8") == serial["extract"]
    assert "worker processes" in engine.pool_description


def test_parallel_folder_and_stdin_inputs(tmp_path):
    folder = run("extract", str(SEEDS), "-q")
    assert run("extract", str(SEEDS), "-q", "-j", "2").stdout == folder.stdout
    data = (SEEDS / "001_114348e94f6ad00b.txt").read_text("utf-8")
    assert run("extract", "-", "-q", "-j", "2", input=data).stdout == run("extract", "-", "-q", input=data).stdout


def test_parallel_fail_fast_writes_what_jobs_1_writes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "002_bad.txt").write_bytes(b"\x00\x01\x02 binary \x00" * 10)
    outputs = []
    for jobs in ("1", "2"):
        r = run("extract", str(folder), "--fail-fast", "-j", jobs)
        assert r.exit_code == 1
        assert "002_bad.txt" in r.stderr
        outputs.append(r.stdout)
        out = tmp_path / f"out{jobs}.jsonl"
        assert run("extract", str(folder), "-o", str(out), "--fail-fast", "-j", jobs).exit_code == 1
        assert not out.exists()  # -o is complete or absent
    assert outputs[0] == outputs[1]
    assert outputs[0]  # the two documents before the bad file were written


def test_parallel_crash_on_one_document_is_its_failure(monkeypatch, tmp_path):
    """A stage that raises on one document: reported in order, the batch goes on, same for every N."""
    import claimx.pipeline

    real = claimx.pipeline.Pipeline.extract

    def flaky(self, doc):
        if doc.id.endswith("#3"):
            raise ValueError("boom")
        return real(self, doc)

    monkeypatch.setattr(claimx.pipeline.Pipeline, "extract", flaky)
    monkeypatch.setattr("claimx.parallel._PIPELINES", {})
    corpus = write_corpus(tmp_path / "c.jsonl", corpus_records()[:20])
    results = [run("extract", str(corpus), "-j", jobs) for jobs in ("1", "2")]
    for r in results:
        assert r.exit_code == 1
        assert "internal error while processing it (ValueError: boom)" in r.stderr
    assert results[0].stdout == results[1].stdout and results[0].stdout
    assert results[0].stderr.count("boom") == results[1].stderr.count("boom") >= 1


def test_parallel_failed_inputs_reported_once_and_batch_goes_on(tmp_path):
    corpus = tmp_path / "c.jsonl"
    recs = corpus_records()[:12]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines.insert(5, "{not json")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = run("extract", str(corpus), "-j", "1")
    b = run("extract", str(corpus), "-j", "2")
    assert a.exit_code == b.exit_code == 1
    assert a.stdout == b.stdout
    assert b.stderr.count("c.jsonl:6") == 1


def test_parallel_bound_pipeline_method_is_a_stage():
    pipe = Pipeline(Options(tokens=True))
    stage = as_stage(pipe.normalize)
    assert stage == Stage("normalize", pipe.options)
    assert as_stage(lambda doc: []) is None
    assert as_stage(Stage("extract")) == Stage("extract")


def test_parallel_jobs_zero_means_all_cores():
    assert resolve_jobs(0) >= 1
    assert resolve_jobs(3) == 3
    with pytest.raises(ValueError):
        resolve_jobs(-1)


def test_parallel_negative_jobs_is_usage_error():
    r = run("extract", str(SEEDS), "-j", "-2")
    assert r.exit_code == 2


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_parallel_progress_only_on_a_terminal():
    assert Progress.wanted(_Tty(), quiet=False)
    assert not Progress.wanted(_Tty(), quiet=True)
    assert not Progress.wanted(io.StringIO(), quiet=False)
    r = run("extract", str(SEEDS))  # CliRunner's stderr is not a terminal: no bar, only the summary
    assert "\r" not in r.stderr and "docs/s" not in r.stderr


def test_parallel_progress_draws_rate_and_eta(corpus):
    stream = _Tty()
    bar = Progress(stream, total_bytes=corpus.stat().st_size, label="extract: ", interval=0)
    engine = Engine(Stage("normalize", Options()), progress=bar)
    n = sum(1 for _ in engine.run(iter_documents([str(corpus)])))
    out = stream.getvalue()
    assert f"{n:,} docs" in out and "docs/s" in out and "MB/s" in out and "ETA" in out
    assert out.endswith("\r\x1b[2K")  # the bar is wiped before the summary line


def test_parallel_verbose_says_how_it_ran(corpus):
    r = run("extract", str(corpus), "-j", "2", "-v")
    assert "2 worker processes" in r.stderr and "documents/s" in r.stderr
    assert "worker" not in run("extract", str(corpus), "-j", "2", "-q").stderr


@pytest.mark.parametrize("command", ["normalize", "extract"])
def test_parallel_options_in_help(command):
    out = run(command, "--help").output
    for flag in ("--jobs", "--cache", "--dask", "--verbose", "--quiet"):
        assert flag in out


def test_parallel_configuration_error_is_one_message(monkeypatch, tmp_path):
    """A broken lexicon or gazetteer met while processing is one error, not one per document."""
    import claimx.pipeline
    from claimx.errors import GazetteerError

    def broken(self, doc):
        raise GazetteerError("extra.yaml", "not valid YAML", 3)

    monkeypatch.setattr(claimx.pipeline.Pipeline, "extract", broken)
    monkeypatch.setattr("claimx.parallel._PIPELINES", {})
    corpus = write_corpus(tmp_path / "c.jsonl", corpus_records()[:20])
    for jobs in ("1", "2"):
        r = run("extract", str(corpus), "-j", jobs, "-o", str(tmp_path / "out.jsonl"))
        assert r.exit_code == 1
        assert r.output.count("extra.yaml:3: not valid YAML") == 1
        assert not (tmp_path / "out.jsonl").exists()


def test_parallel_threaded_host_uses_forkserver(monkeypatch, corpus, serial):
    """With other threads running, fork is unsafe: the workers come from a fork server."""
    monkeypatch.delenv("CLAIMX_START_METHOD")
    monkeypatch.setattr("threading.active_count", lambda: 3)
    engine = Engine(Stage("normalize", Options()), jobs=2)
    got = "".join(lines for _, lines in engine.run(iter_documents([str(corpus)])))
    assert got.encode("utf-8") == serial["normalize"]
    assert "forkserver" in engine.pool_description


def test_json_lines_splices_the_shared_doc_block_byte_for_byte():
    from claimx.parallel import json_lines
    from claimx.pipeline import Pipeline
    from claimx.model import Document

    text = ("قال المرصد السوري لحقوق الإنسان إن القصف مستمر. وأكدت وزارة الدفاع أن الطائرات عادت.\n"
            'ونفى المتحدث "doc": ذلك.')
    recs = Pipeline().extract(Document("d1", text, meta={"url": "http://x/\"doc\": 1", "n": [1, {"doc": 2}]}))
    assert len(recs) >= 2 and all(r["doc"] is recs[0]["doc"] for r in recs)
    want = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
    assert json_lines(recs) == want
    # a record whose doc is not the shared one, or with a non-string field before it, is encoded whole
    odd = [dict(recs[0], doc={"id": "other"}), {"schema": 1, "doc": recs[0]["doc"], "x": "y"}, *recs]
    assert json_lines(odd) == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in odd)


def test_the_shared_encoder_writes_json_dumps_bytes():
    """parallel._ENCODE (one C encoder for every record) gives json.dumps(ensure_ascii=False)."""
    import json

    from claimx.parallel import _ENCODE

    for obj in [{"a": 1.5, "b": [None, True, False, float("nan"), -0.0, 10**20], "c": 'عربي "q"\n\u2028'},
                "نص", 3, [], {}, [{"x": {"y": [1, {"z": "\ue000"}]}}], {"k": ("t", 1)}]:
        assert _ENCODE(obj) == json.dumps(obj, ensure_ascii=False)
