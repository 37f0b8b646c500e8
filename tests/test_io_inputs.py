"""Inputs: folders (symlinks, permissions, special files, globs), JSON Lines, stdin, sizes."""
import io
import json
import os

import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.errors import InputError
from claimx.io import iter_documents

STORY = "قال المرصد السوري إن الاشتباكات مستمرة في ريف دير الزور."


def collect(inputs, **kw):
    errors = []
    docs = list(iter_documents([str(i) for i in inputs], on_error=errors.append, **kw))
    return docs, errors


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_io_folder_symlink_loop_reported_and_rest_read(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY, "utf-8")
    os.symlink(tmp_path, tmp_path / "sub" / "back")  # sub/back -> the root: a loop
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")  # a file link to itself
    docs, errors = collect([tmp_path])
    assert [d.id for d in docs] == ["sub/a.txt"]
    reasons = sorted(e.reason.split(" (")[0] for e in errors)
    assert reasons == ["symbolic link loop", "symbolic link loop"]
    assert all(e.hint for e in errors)


def test_io_folder_follows_symlinked_folders_once(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text(STORY, "utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_text(STORY, "utf-8")
    os.symlink(outside, root / "linked")
    docs, errors = collect([root])
    assert [d.id for d in docs] == ["a.txt", "linked/b.txt"] and not errors


def test_io_broken_symlink_reported(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    docs, errors = collect([tmp_path])
    assert not docs and errors[0].reason.startswith("broken symbolic link")
    docs, errors = collect([tmp_path / "link.txt"])
    assert errors[0].reason.startswith("broken symbolic link")


def test_io_missing_path_reported(tmp_path):
    docs, errors = collect([tmp_path / "nope.txt"])
    assert errors[0].message == f"{tmp_path / 'nope.txt'}: no such file or folder (check the path)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_io_unreadable_file_and_folder_reported(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    (tmp_path / "secret.txt").write_text(STORY, "utf-8")
    (tmp_path / "locked").mkdir()
    os.chmod(tmp_path / "secret.txt", 0)
    os.chmod(tmp_path / "locked", 0)
    try:
        docs, errors = collect([tmp_path])
    finally:
        os.chmod(tmp_path / "secret.txt", 0o644)
        os.chmod(tmp_path / "locked", 0o755)
    assert [d.id for d in docs] == ["a.txt"]
    assert sorted(e.reason for e in errors) == ["cannot list folder: permission denied", "cannot read: permission denied"]


def test_io_permission_error_reported(tmp_path, monkeypatch):
    """The same, for root too: the OS refuses the read."""
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    (tmp_path / "b.txt").write_text(STORY, "utf-8")
    real_open = open

    def fake_open(path, *a, **kw):
        if str(path).endswith("b.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr("builtins.open", fake_open)
    docs, errors = collect([tmp_path])
    assert [d.id for d in docs] == ["a.txt"]
    assert errors[0].where.endswith("b.txt") and errors[0].reason == "cannot read: permission denied"


def test_io_fifo_in_folder_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    docs, errors = collect([tmp_path])
    assert [d.id for d in docs] == ["a.txt"]
    assert errors[0].reason.startswith("not a regular file")


def test_io_glob_takes_several_patterns(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><article><p>{STORY}</p></article></body></html>", "utf-8")
    (tmp_path / "c.md").write_text(STORY, "utf-8")
    docs, errors = collect([tmp_path], glob="*.txt,*.html")
    assert [d.id for d in docs] == ["a.txt", "b.html"] and not errors


def test_io_oversized_file_skipped_without_reading(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    (tmp_path / "a.txt").write_text(STORY, "utf-8")
    docs, errors = collect([tmp_path], max_bytes=1000)
    assert [d.id for d in docs] == ["a.txt"]
    assert errors[0].message.startswith(f"{tmp_path / 'big.txt'}: file is 2000 bytes, over --max-bytes 1000 bytes")


def test_io_max_bytes_option_in_cli(tmp_path):
    (tmp_path / "big.txt").write_text(STORY * 100, "utf-8")
    result = run("extract", str(tmp_path / "big.txt"), "--max-bytes", "1k")
    assert result.exit_code == 1 and "over --max-bytes 1000 bytes" in result.stderr
    assert run("extract", str(tmp_path / "big.txt"), "--max-bytes", "0", "-q").exit_code == 0  # no limit
    assert run("extract", str(tmp_path / "big.txt"), "--max-bytes", "lots").exit_code == 2


# -- JSON Lines -----------------------------------------------------------------

def write_jsonl(path, lines):
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    "utf-8")


@pytest.mark.parametrize("line, reason", [
    ("{broken", "not valid JSON"),
    ("[1, 2]", "record is a JSON list, not an object"),
    ('"text"', "record is a JSON str, not an object"),
    ('{"id": 1}', "record has no 'text'"),
    ('{"id": 1, "text": null}', "record has no 'text'"),
    ('{"id": 1, "text": ["a"]}', "'text' is a JSON array, not a string"),
    ('{"id": 1, "text": {"a": 1}}', "'text' is a JSON object, not a string"),
    ('{"id": 1, "text": true}', "'text' is a JSON boolean, not a string"),
    ('{"id": 1, "text": "  "}', "'text' is empty"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
])
def test_io_jsonl_bad_line_reported_with_its_number(tmp_path, line, reason):
    path = tmp_path / "d.jsonl"
    write_jsonl(path, [{"id": "a", "text": STORY}, line, {"id": "c", "text": STORY}])
    docs, errors = collect([path])
    assert [d.id for d in docs] == ["a", "c"]
    assert len(errors) == 1 and errors[0].line == 2 and reason in errors[0].reason


def test_io_jsonl_record_over_max_bytes_skipped(tmp_path):
    path = tmp_path / "d.jsonl"
    write_jsonl(path, [{"id": "a", "text": STORY}, {"id": "b", "text": "x" * 5000}, {"id": "c", "text": STORY}])
    docs, errors = collect([path], max_bytes=1000)
    assert [d.id for d in docs] == ["a", "c"]
    assert errors[0].line == 2 and "record is over --max-bytes" in errors[0].reason


def test_io_jsonl_file_larger_than_max_bytes_is_fine(tmp_path):
    path = tmp_path / "d.jsonl"
    write_jsonl(path, [{"id": str(i), "text": STORY} for i in range(50)])
    docs, errors = collect([path], max_bytes=1000)
    assert len(docs) == 50 and not errors


def test_io_jsonl_that_is_not_jsonl_gives_up(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("just text\n" * 500, "utf-8")
    docs, errors = collect([path])
    assert not docs and len(errors) == 101
    assert errors[-1].reason.startswith("gave up after 100 bad lines")


def test_io_jsonl_empty_binary_and_utf16(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "bin.jsonl").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 50)
    (tmp_path / "u16.jsonl").write_bytes(json.dumps({"id": "a", "text": STORY}).encode("utf-16"))
    docs, errors = collect([tmp_path / "empty.jsonl", tmp_path / "bin.jsonl", tmp_path / "u16.jsonl"])
    assert not docs
    assert [e.reason for e in errors] == [
        "no records (empty file)",
        "looks like a binary file (gzip-compressed data), not JSON Lines",
        "JSON Lines must be UTF-8, this file is UTF-16/32",
    ]


def test_io_jsonl_odd_doc_fields_do_not_crash(tmp_path):
    path = tmp_path / "d.jsonl"
    write_jsonl(path, [{"text": STORY, "doc": {"meta": [1, 2], "encoding": 5}}, {"text": STORY, "doc": "x"}])
    docs, errors = collect([path])
    assert [d.id for d in docs] == ["d.jsonl:1", "d.jsonl:2"] and not errors
    assert docs[0].encoding == "utf-8" and docs[0].meta == {}


# -- standard input ------------------------------------------------------------------

@pytest.mark.parametrize("data, n_docs", [
    (STORY.encode("utf-8"), 1),
    (STORY.encode("cp1256") * 3, 1),
    ((json.dumps({"id": "a", "text": STORY}) + "\n" + json.dumps({"id": "b", "text": STORY}) + "\n").encode(), 2),
    (f"<!DOCTYPE html><html><body><article><p>{STORY}</p></article></body></html>".encode("utf-8"), 1),
])
def test_io_stdin_kinds_detected(data, n_docs):
    docs, errors = collect(["-"], stdin=io.BytesIO(data))
    assert len(docs) == n_docs and not errors
    assert all("المرصد" in d.text for d in docs)


def test_io_stdin_long_jsonl_stream_is_read_line_by_line():
    stream = "".join(json.dumps({"id": str(i), "text": STORY}, ensure_ascii=False) + "\n" for i in range(2000))
    docs, errors = collect(["-"], stdin=io.BytesIO(stream.encode("utf-8")), max_bytes=10_000)
    assert len(docs) == 2000 and not errors  # the stream is far over max_bytes, each record below


@pytest.mark.parametrize("data, reason", [(b"", "no input on standard input"), (b"\x00\x01" * 10, "binary"),
                                          (b"x" * 3000, "over --max-bytes")])
def test_io_stdin_bad_input(data, reason):
    docs, errors = collect(["-"], stdin=io.BytesIO(data), max_bytes=1000)
    assert not docs and reason in errors[0].reason and errors[0].path == "<stdin>"


def test_io_default_error_handler_raises(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(iter_documents([str(tmp_path / "x.txt")]))
