"""Output safety: atomic -o, clean stops on SIGINT/SIGTERM, quiet closed pipes,
bad documents reported instead of crashing, and per-document paths that stay put."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import io_corpus
from claimx.batch import BatchConfig, run_batch
from claimx.cli import main
from claimx.io import JsonlWriter, OutputError, safe_output_path

STORY = "قال المرصد السوري إن الاشتباكات مستمرة في ريف دير الزور."


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".claimx-")]


# -- the writer ------------------------------------------------------------------------

def test_io_writer_commits_atomically_with_normal_permissions(tmp_path):
    out = tmp_path / "out.jsonl"
    with JsonlWriter(str(out)) as w:
        w.write({"a": "ب"})
        assert not out.exists() and len(leftovers(tmp_path)) == 1  # only the temp file so far
    assert out.read_text("utf-8") == '{"a": "ب"}\n' and not leftovers(tmp_path)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_io_writer_discards_on_error_and_keeps_an_old_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", "utf-8")
    with pytest.raises(RuntimeError):
        with JsonlWriter(str(out)) as w:
            w.write({"a": 1})
            raise RuntimeError("boom")
    assert out.read_text("utf-8") == "old\n" and not leftovers(tmp_path)


def test_io_writer_to_a_device(tmp_path):
    with JsonlWriter(os.devnull) as w:
        w.write({"a": 1})
    assert Path(os.devnull).exists()


def test_io_output_folder_missing_is_a_clear_error(tmp_path):
    result = run("extract", "-", "-o", str(tmp_path / "no" / "out.jsonl"), input=STORY)
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(OutputError):
        JsonlWriter(str(tmp_path / "no" / "out.jsonl"))


def test_io_fail_fast_leaves_no_output_file(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(STORY, "utf-8")
    out, errs = tmp_path / "out.jsonl", tmp_path / "errs.jsonl"
    result = run("extract", str(tmp_path), "--fail-fast", "-o", str(out), "--errors", str(errs))
    assert result.exit_code == 1 and not out.exists() and not leftovers(tmp_path)
    assert [json.loads(x)["reason"] for x in errs.read_text("utf-8").splitlines()] == ["empty file"]
    assert "1 documents" in result.stderr  # c.txt was never read


def test_io_errors_file_written_even_when_all_is_well(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    errs = tmp_path / "errs.jsonl"
    assert run("extract", str(tmp_path / "a.txt"), "--errors", str(errs), "-q").exit_code == 0
    assert errs.read_text("utf-8") == ""


def test_io_crash_on_one_document_is_reported_not_fatal(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(STORY, "utf-8")

    def process(doc):
        if doc.id == "b.txt":
            raise ValueError("bad luck")
        return [{"id": doc.id}]

    class Sink:
        def __init__(self):
            self.text = ""

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    out, err = Sink(), Sink()
    report = run_batch(BatchConfig((str(tmp_path),), stdout=out, stderr=err), process)
    assert report.exit_code == 1 and report.documents == 3
    assert [json.loads(x)["id"] for x in out.text.splitlines()] == ["a.txt", "c.txt"]
    assert "b.txt: internal error while processing it (ValueError: bad luck)" in err.text


# -- signals and pipes (real processes) --------------------------------------------------

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """~2,000 documents: long enough to be interrupted half way."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    texts = list(io_corpus.SEED.values())
    with path.open("w", encoding="utf-8") as fh:
        for i in range(2000):
            fh.write(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
    return path


def claimx(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "claimx", *args], stderr=subprocess.PIPE, bufsize=0, **kw)


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_io_signal_leaves_no_output_file(tmp_path, big_corpus, sig, code):
    out = tmp_path / "out.jsonl"
    proc = claimx("extract", str(big_corpus), "-o", str(out), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not leftovers(tmp_path) and time.monotonic() < deadline:  # the run has started writing
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert b"Traceback" not in err and f"interrupted by {sig.name}".encode() in err
    assert not leftovers(tmp_path)
    if out.exists():  # finished before the signal: then it must be complete
        lines = out.read_text("utf-8").splitlines()
        assert all(json.loads(x) for x in lines)


def test_io_sigint_on_stdout_leaves_only_whole_lines(big_corpus):
    proc = claimx("extract", str(big_corpus), stdout=subprocess.PIPE)
    first = proc.stdout.read(1)  # running and writing
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    text = (first + rest).decode("utf-8")
    assert text.endswith("\n")
    assert all(json.loads(x) for x in text.splitlines())


def test_io_closed_pipe_ends_quietly(big_corpus):
    proc = claimx("extract", str(big_corpus), stdout=subprocess.PIPE)
    proc.stdout.read(100)  # like `| head -c 100`
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=30)
    assert proc.returncode == 0, err  # documented: a reader that stops early is not an error
    assert err == b""


# -- per-document paths --------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", [
    "../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../../b", "..\\..\\windows\\system32",
    "x\x00y", "\n", "CON", "a" * 1000, "ملف/../../خارج", "R-10#0", "sub/dir/a.txt",
])
def test_io_safe_output_path_stays_inside(tmp_path, doc_id):
    p = safe_output_path(tmp_path, doc_id, ".json")
    real = os.path.realpath(p)
    assert os.path.commonpath([real, os.path.realpath(tmp_path)]) == os.path.realpath(tmp_path)
    assert p.name.endswith(".json") and all(len(part.encode()) <= 255 for part in p.parts)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("{}", "utf-8")  # a real file can be made there


def test_io_safe_output_path_keeps_plain_ids_and_separates_changed_ones(tmp_path):
    assert safe_output_path(tmp_path, "R-10#0", ".json") == tmp_path / "R-10#0.json"
    assert safe_output_path(tmp_path, "2017/a.txt") == tmp_path / "2017" / "a.txt"
    assert safe_output_path(tmp_path, "a?b") != safe_output_path(tmp_path, "a_b")
    assert safe_output_path(tmp_path, "../x") != safe_output_path(tmp_path, "x")


def test_io_safe_output_path_not_through_a_symlink(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "sub")
    p = safe_output_path(root, "sub/x", ".json")
    assert p.parent == root and os.path.realpath(p).startswith(os.path.realpath(root))
