"""Reading inputs and writing JSON Lines.

Inputs are files, folders (recursive, sorted, filtered by a glob), `.jsonl`
files of `{"id", "text", ...}` records, or `-` for standard input (plain text or
JSONL, detected). Every input that cannot be read is reported through
`on_error` as an `InputError` naming the file (and line) and what to do; the
rest of the batch goes on.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from .errors import InputError
from .model import Document

ErrorHandler = Callable[[InputError], None]

# keys of a claimx document record that are not user metadata
_RECORD_KEYS = {"id", "text", "schema", "doc", "normalized", "sentences", "tokens", "mentions"}


def _raise(err: InputError) -> None:
    raise err


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes to text: UTF-8 with or without BOM. Returns (text, encoding)."""
    if b"\x00" in data[:4096]:
        raise InputError(path, "looks like a binary file (NUL bytes)", "pass text, HTML or JSONL files only")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not valid UTF-8 (byte {e.start})", "convert the file to UTF-8") from None
    if text.startswith("\ufeff"):
        return text[1:], "utf-8-sig"
    return text, "utf-8"


def read_text_file(path: Path, doc_id: str) -> Document:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}", "check the path and its permissions") from None
    if not data.strip():
        raise InputError(str(path), "empty file", "remove it or give it text")
    text, encoding = decode(data, str(path))
    return Document(doc_id, text, {}, encoding)


def record_to_document(rec: object, where: str, line: int) -> Document:
    """A JSONL record (`{"id", "text", ...}` or a claimx doc record) as a Document."""
    if not isinstance(rec, dict):
        raise InputError(where, "record is not a JSON object", "each line must be {\"id\": ..., \"text\": ...}", line)
    text = rec.get("text")
    if text is None:
        raise InputError(where, "record has no 'text'", "add a \"text\" string to the record", line)
    if not isinstance(text, str):
        raise InputError(where, f"'text' is a {type(text).__name__}, not a string", "make \"text\" a string", line)
    doc = rec.get("doc") if isinstance(rec.get("doc"), dict) else {}
    doc_id = rec.get("id", doc.get("id"))
    doc_id = f"{Path(where).name}:{line}" if doc_id is None else str(doc_id)
    meta = dict(doc.get("meta") or {})
    meta.update({k: v for k, v in rec.items() if k not in _RECORD_KEYS})
    return Document(doc_id, text, meta, doc.get("encoding", "utf-8"))


def iter_jsonl_lines(lines: Iterable[bytes | str], where: str, on_error: ErrorHandler) -> Iterator[Document]:
    for n, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                on_error(InputError(where, f"line is not valid UTF-8 (byte {e.start})", "re-encode the file as UTF-8", n))
                continue
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as e:
            on_error(InputError(where, f"not valid JSON ({e.msg}, column {e.colno})", "fix or remove this line", n))
            continue
        try:
            yield record_to_document(rec, where, n)
        except InputError as e:
            on_error(e)


def _looks_like_jsonl(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def iter_documents(
    inputs: Iterable[str],
    glob: str = "*.txt",
    on_error: ErrorHandler = _raise,
    stdin: IO[bytes] | None = None,
) -> Iterator[Document]:
    """Documents from every input, in a deterministic order."""
    for spec in inputs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            if _looks_like_jsonl(data):
                yield from iter_jsonl_lines(data.splitlines(), "<stdin>", on_error)
            elif not data.strip():
                on_error(InputError("<stdin>", "no input on standard input", "pipe text or JSONL into claimx"))
            else:
                try:
                    text, enc = decode(data, "<stdin>")
                    yield Document("-", text, {}, enc)
                except InputError as e:
                    on_error(e)
            continue
        path = Path(spec)
        if path.is_dir():
            yield from _iter_folder(path, glob, on_error)
        elif path.is_file() or path.exists():
            yield from _iter_file(path, path.name, on_error)
        else:
            on_error(InputError(spec, "no such file or folder", "check the path"))


def _iter_folder(root: Path, glob: str, on_error: ErrorHandler) -> Iterator[Document]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: on_error(
            InputError(str(e.filename), f"cannot list folder: {e.strerror}", "check its permissions"))):
        dirnames.sort()
        for name in filenames:
            p = Path(dirpath) / name
            if p.match(glob) or (p.suffix == ".jsonl" and glob == "*.txt" and False):
                files.append(p)
    for p in sorted(files, key=lambda q: q.relative_to(root).as_posix()):
        yield from _iter_file(p, p.relative_to(root).as_posix(), on_error)


def _iter_file(path: Path, doc_id: str, on_error: ErrorHandler) -> Iterator[Document]:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        try:
            with path.open("rb") as fh:
                yield from iter_jsonl_lines(fh, str(path), on_error)
        except OSError as e:
            on_error(InputError(str(path), f"cannot read: {e.strerror or e}", "check the path and its permissions"))
        return
    try:
        yield read_text_file(path, doc_id)
    except InputError as e:
        on_error(e)


class JsonlWriter:
    """Write one JSON object a line to stdout or, atomically, to a file.

    A file is written to a temporary file in the same folder and renamed into
    place by `commit()`; `discard()` (or leaving the `with` block on an
    exception) removes it, so a failed run never leaves a partial output file.
    """

    def __init__(self, path: str | None, stdout: IO[str] | None = None):
        self.path = path
        self._tmp: str | None = None
        if path and path != "-":
            folder = os.path.dirname(os.path.abspath(path))
            fd, self._tmp = tempfile.mkstemp(prefix=".claimx-", suffix=".tmp", dir=folder)
            self._fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        else:
            self._fh = stdout if stdout is not None else sys.stdout

    def write(self, record: dict) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        if self._tmp:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(self._tmp, self.path)
            self._tmp = None
        else:
            self._fh.flush()

    def discard(self) -> None:
        if self._tmp:
            self._fh.close()
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()
