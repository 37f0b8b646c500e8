"""Reading inputs and writing JSON Lines.

Inputs are files, folders (recursive, sorted, filtered by a glob), `.jsonl`
files of `{"id", "text", ...}` records, HTML pages, or `-` for standard input
(plain text, HTML or JSONL, detected). Every input that cannot be read is
reported through `on_error` as an `InputError` naming the file (and line) and
what to do; the rest of the batch goes on.

Bytes become text like this (`decode`): a byte-order mark decides (UTF-8,
UTF-16, UTF-32); otherwise valid UTF-8 is read as is; otherwise a legacy
encoding (Windows-1256, ISO-8859-6, ...) is used when charset-normalizer is
confident about it, and the Document records which. Line ends are kept as they
are (CRLF, CR): offsets always refer to the decoded text.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath
from typing import IO, Callable, Iterable, Iterator

from .errors import ClaimxError, InputError
from .model import Document

ErrorHandler = Callable[[InputError], None]

DEFAULT_MAX_BYTES = 20_000_000
"""Largest file (or JSONL record) read by default: far above any news article."""

# keys of a claimx document record that are not user metadata
_RECORD_KEYS = {"id", "text", "schema", "doc", "normalized", "sentences", "tokens", "mentions"}
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_GIVE_UP_AFTER = 100  # consecutive bad lines, with no good one, before a file is not JSONL

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)

_MAGIC = (
    (b"%PDF-", "a PDF document", "extract its text first, e.g. with pdftotext"),
    (b"\x89PNG", "a PNG image", "claimx reads text, HTML and JSONL files"),
    (b"\xff\xd8\xff", "a JPEG image", "claimx reads text, HTML and JSONL files"),
    (b"GIF8", "a GIF image", "claimx reads text, HTML and JSONL files"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)", "unpack it, or save the article as text"),
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first, with gunzip"),
    (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first, with unxz"),
    (b"BZh91AY&SY", "bzip2-compressed data", "decompress it first, with bunzip2"),
    (b"\x7fELF", "a program (ELF executable)", "claimx reads text, HTML and JSONL files"),
    (b"SQLite format 3\x00", "an SQLite database", "export the articles as JSONL first"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "save the article as text"),
)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b") + b"\x7f"


def _raise(err: InputError) -> None:
    raise err


# -- bytes to text -----------------------------------------------------------

def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def sniff_binary(data: bytes) -> tuple[str, str] | None:
    """(what it looks like, what to do) when the bytes are not text, else None."""
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            return what, hint
    if any(data.startswith(bom) for bom, _, _ in _BOMS[1:]):
        return None  # UTF-16/32 text holds NUL bytes
    head = data[:8192]
    if b"\x00" in head:
        return "NUL bytes", "pass text, HTML or JSONL files only"
    if head and sum(head.count(c) for c in _CONTROL) > len(head) * 0.05:
        return "control bytes", "pass text, HTML or JSONL files only"
    return None


def encoding_label(codec: str) -> str:
    """A codec as users know it: cp1256 -> windows-1256, iso8859_6 -> iso-8859-6."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    m = re.fullmatch(r"iso8859-(\d+)", name)
    return f"iso-8859-{m.group(1)}" if m else name


def _broken_utf8(data: bytes) -> int | None:
    """How many invalid sequences a file that is mostly UTF-8 has (None: not UTF-8 at all)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return bad if good >= 20 and good >= 8 * bad else None


def detect_encoding(data: bytes) -> str | None:
    """A legacy encoding charset-normalizer is confident about, else None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2 or best.coherence < 0.1:
        return None
    return best.encoding


def decode(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes to text. Returns (text, encoding); raises InputError when impossible.

    `declared` is an encoding the input names itself (an HTML <meta charset>),
    tried after UTF-8 and before detection.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label
            except UnicodeDecodeError as e:
                raise InputError(path, f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                                 f"(byte {e.start + len(bom)})", "re-encode it as UTF-8") from None
    found = sniff_binary(data)
    if found:
        raise InputError(path, f"looks like a binary file ({found[0]})", found[1])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    bad = _broken_utf8(data)
    if bad is not None:
        raise InputError(path, f"not valid UTF-8: {bad} invalid byte sequence(s), the first at byte {first_bad}",
                         "repair the file or re-encode it as UTF-8")
    for codec in (declared, detect_encoding(data)):
        if codec and codecs.lookup(codec).name != "utf-8":
            try:
                return data.decode(codec), encoding_label(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    raise InputError(path, f"not UTF-8 (byte {first_bad}) and its encoding could not be detected with confidence",
                     "convert it to UTF-8, e.g. iconv -f windows-1256 -t utf-8")


def document_from_bytes(data: bytes, path: str, doc_id: str, html: bool | None = None) -> Document:
    """One text or HTML file's bytes as a Document (html=None: detect)."""
    from . import html as html_mod

    if html is None:
        html = html_mod.looks_like_html(data)
    markup_or_text, encoding = decode(data, path, html_mod.declared_charset(data) if html else None)
    if not markup_or_text.strip():
        what = "empty file" if not data else "file holds only white space"
        raise InputError(path, what, "remove it, or give it the article text")
    if html:
        return html_mod.extract_html(markup_or_text, path, doc_id, encoding)
    return Document(doc_id, markup_or_text, {}, encoding)


def read_text_file(path: Path, doc_id: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Document:
    from .html import is_html_path

    data = read_bytes(path, max_bytes)
    return document_from_bytes(data, str(path), doc_id, True if is_html_path(path.name) else None)


# -- files and errors ------------------------------------------------------------

def os_error(path: str | Path, e: OSError, doing: str = "cannot read") -> InputError:
    """An OSError as an InputError that says what to do."""
    path = str(path)
    if e.errno == errno.ENOENT:
        return InputError(path, "no such file or folder", "check the path")
    if e.errno in (errno.EACCES, errno.EPERM):
        return InputError(path, f"{doing}: permission denied", "check its permissions with ls -l, or run as a user who can read it")
    if e.errno == errno.ELOOP:
        return InputError(path, "symbolic link loop", "fix or remove the link")
    if e.errno == errno.EISDIR:
        return InputError(path, "is a folder", "pass the folder itself, not as a file")
    return InputError(path, f"{doing}: {e.strerror or e}", "check the path and its permissions")


def _too_big(path: str, size: int | None, max_bytes: int, line: int | None = None) -> InputError:
    what = "record" if line is not None else "file"
    how_big = f"is {_size(size)}, over" if size is not None else "is over"
    return InputError(path, f"{what} {how_big} --max-bytes {_size(max_bytes)}",
                      "split it into articles, or raise --max-bytes if it really is one article", line)


def read_bytes(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes; InputError when unreadable or over max_bytes."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise InputError(str(path), "is a folder", "pass the folder itself, not as a file")
            if max_bytes is not None and stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                raise _too_big(str(path), st.st_size, max_bytes)
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except OSError as e:
        raise os_error(path, e) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_big(str(path), None, max_bytes)
    return data


# -- JSON Lines ------------------------------------------------------------------

def record_to_document(rec: object, where: str, line: int) -> Document:
    """A JSONL record (`{"id", "text", ...}` or a claimx doc record) as a Document."""
    if not isinstance(rec, dict):
        raise InputError(where, f"record is a JSON {type(rec).__name__}, not an object",
                         "each line must be {\"id\": ..., \"text\": ...}", line)
    text = rec.get("text")
    if text is None:
        raise InputError(where, "record has no 'text'", "add a \"text\" string to the record", line)
    if not isinstance(text, str):
        raise InputError(where, f"'text' is a JSON {_json_type(text)}, not a string", "make \"text\" a string", line)
    if not text.strip():
        raise InputError(where, "'text' is empty", "drop the record, or give it the article text", line)
    doc = rec.get("doc") if isinstance(rec.get("doc"), dict) else {}
    doc_id = rec.get("id", doc.get("id"))
    doc_id = f"{Path(where).name}:{line}" if doc_id is None else str(doc_id)
    meta = dict(doc["meta"]) if isinstance(doc.get("meta"), dict) else {}
    meta.update({k: v for k, v in rec.items() if k not in _RECORD_KEYS})
    encoding = doc.get("encoding")
    return Document(doc_id, text, meta, encoding if isinstance(encoding, str) else "utf-8")


def _json_type(v: object) -> str:
    return {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}.get(type(v), type(v).__name__)


def _read_lines(fh, limit: int | None) -> Iterator[bytes | None]:
    """Lines of a binary stream; None in place of a line longer than limit (skipped)."""
    while True:
        line = fh.readline(-1 if limit is None else limit + 1)
        if not line:
            return
        if limit is not None and len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without holding it
                chunk = fh.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def iter_jsonl_lines(lines: Iterable[bytes | str | None], where: str, on_error: ErrorHandler,
                     max_bytes: int | None = None) -> Iterator[Document]:
    """Documents of JSON Lines; each bad line is one error and the rest goes on."""
    good = bad = bad_run = 0
    for n, raw in enumerate(lines, 1):
        err = None
        if raw is None:
            err = _too_big(where, None, max_bytes or 0, n)
        else:
            if isinstance(raw, bytes):
                try:
                    raw = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    err = InputError(where, f"line is not valid UTF-8 (byte {e.start})", "re-encode the file as UTF-8", n)
            if err is None:
                if not raw.strip():
                    continue
                try:
                    rec = json.loads(raw)
                except (json.JSONDecodeError, RecursionError) as e:
                    what = f"{e.msg}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else "nested too deeply"
                    err = InputError(where, f"not valid JSON ({what})", "fix or remove this line", n)
                else:
                    try:
                        doc = record_to_document(rec, where, n)
                    except InputError as e:
                        err = e
        if err is not None:
            on_error(err)
            bad += 1
            bad_run += 1
            if not good and bad_run >= _GIVE_UP_AFTER:
                on_error(InputError(where, f"gave up after {bad_run} bad lines and no good one",
                                    "is this really a JSON Lines file of {\"id\", \"text\"} records?"))
                return
            continue
        good += 1
        bad_run = 0
        yield doc
    if not good and not bad:
        on_error(InputError(where, "no records (empty file)", "remove it, or add one {\"id\", \"text\"} record a line"))


def _iter_jsonl_stream(fh, where: str, on_error: ErrorHandler, max_bytes: int | None) -> Iterator[Document]:
    head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        on_error(InputError(where, "JSON Lines must be UTF-8, this file is UTF-16/32", "re-encode it as UTF-8"))
        return
    found = sniff_binary(head)
    if found:
        on_error(InputError(where, f"looks like a binary file ({found[0]}), not JSON Lines", found[1]))
        return
    yield from iter_jsonl_lines(_read_lines(fh, max_bytes), where, on_error, max_bytes)


def _looks_like_jsonl(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


class _Prefixed:
    """A binary stream with some bytes already read put back in front."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def peek(self, n: int = 0) -> bytes:
        return self.head

    def readline(self, limit: int = -1) -> bytes:
        if not self.head:
            return self.stream.readline(limit)
        cut = self.head.find(b"\n") + 1 or len(self.head)
        if limit is not None and limit >= 0:
            cut = min(cut, limit)
        line, self.head = self.head[:cut], self.head[cut:]
        if not line.endswith(b"\n") and not self.head and (limit is None or limit < 0 or len(line) < limit):
            line += self.stream.readline(-1 if limit is None or limit < 0 else limit - len(line))
        return line

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            out, self.head = self.head + self.stream.read(), b""
            return out
        out, self.head = self.head[:n], self.head[n:]
        if len(out) < n:
            out += self.stream.read(n - len(out))
        return out


# -- inputs ----------------------------------------------------------------------

def iter_documents(
    inputs: Iterable[str],
    glob: str = "*.txt",
    on_error: ErrorHandler = _raise,
    stdin: IO[bytes] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[Document]:
    """Documents from every input, in a deterministic order.

    `glob` may list several patterns separated by commas ("*.txt,*.html").
    `max_bytes` bounds each text or HTML file and each JSONL record.
    """
    for spec in inputs:
        if spec == "-":
            yield from _iter_stdin(stdin if stdin is not None else sys.stdin.buffer, on_error, max_bytes)
            continue
        path = Path(spec)
        try:
            st = path.stat()
        except OSError as e:
            on_error(_missing(path, e))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _iter_folder(path, glob, on_error, max_bytes)
        else:
            yield from _iter_file(path, path.name, on_error, max_bytes)


def _missing(path: Path, e: OSError) -> InputError:
    """Why a path cannot be opened: missing, a broken or looping link, no permission."""
    if e.errno == errno.ENOENT and os.path.islink(path):
        return InputError(str(path), f"broken symbolic link (to {os.readlink(path)})", "fix or remove the link")
    return os_error(path, e)


def _iter_stdin(stream, on_error: ErrorHandler, max_bytes: int | None) -> Iterator[Document]:
    head = stream.read(65536)
    if _looks_like_jsonl(head):
        yield from _iter_jsonl_stream(_Prefixed(head, stream), "<stdin>", on_error, max_bytes)
        return
    rest = b"" if len(head) < 65536 else stream.read(-1 if max_bytes is None else max_bytes + 1 - len(head))
    data = head + rest
    try:
        if max_bytes is not None and len(data) > max_bytes:
            raise _too_big("<stdin>", None, max_bytes)
        if not data.strip():
            raise InputError("<stdin>", "no input on standard input", "pipe text, HTML or JSONL into claimx")
        yield document_from_bytes(data, "<stdin>", "-")
    except InputError as e:
        on_error(e)


def _patterns(glob: str) -> list[str]:
    return [g.strip() for g in glob.split(",") if g.strip()] or ["*.txt"]


def _iter_folder(root: Path, glob: str, on_error: ErrorHandler, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    patterns = _patterns(glob)
    files: list[tuple[str, Path]] = []

    def matches(rel: str) -> bool:
        p = PurePosixPath(rel)
        return any(p.match(g) for g in patterns)

    def visit(folder: Path, rel: str, ancestors: frozenset) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            on_error(os_error(folder, e, "cannot list folder"))
            return
        for entry in entries:
            path, name = Path(entry.path), rel + entry.name
            try:
                st = entry.stat()  # follows symbolic links
            except OSError as e:
                if matches(name) or e.errno == errno.ELOOP:
                    on_error(_missing(path, e))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    on_error(InputError(str(path), f"symbolic link loop (back to {os.path.realpath(path)})",
                                        "remove the link, or point it outside the folder"))
                    continue
                visit(path, name + "/", ancestors | {key})
            elif matches(name):
                if stat.S_ISREG(st.st_mode):
                    files.append((name, path))
                else:
                    on_error(InputError(str(path), "not a regular file (a pipe, socket or device)",
                                        "claimx reads only regular files inside folders"))

    try:
        rst = root.stat()
    except OSError as e:
        on_error(os_error(root, e, "cannot list folder"))
        return
    visit(root, "", frozenset({(rst.st_dev, rst.st_ino)}))
    for name, p in sorted(files):
        yield from _iter_file(p, name, on_error, max_bytes)


def _iter_file(path: Path, doc_id: str, on_error: ErrorHandler, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    if path.suffix.lower() in _JSONL_SUFFIXES:
        try:
            fh = open(path, "rb")
        except OSError as e:
            on_error(os_error(path, e))
            return
        with fh:
            try:
                yield from _iter_jsonl_stream(fh, str(path), on_error, max_bytes)
            except OSError as e:  # a read error halfway through
                on_error(os_error(path, e))
        return
    try:
        doc = read_text_file(path, doc_id, max_bytes)
    except InputError as e:
        on_error(e)
        return
    yield doc


# -- output ----------------------------------------------------------------------

class OutputError(ClaimxError):
    """The output file cannot be written."""


def safe_output_path(folder: str | os.PathLike, doc_id: str, suffix: str = "") -> Path:
    """A path inside `folder` for a per-document file named after `doc_id`.

    Ids come from JSONL records, so they are untrusted: "..", absolute paths,
    NUL and control characters, reserved characters and over-long names are
    neutralised, and the result never resolves outside `folder` (not even
    through a symbolic link already inside it). Subfolders of relative-path ids
    ("2017/a.txt") are kept. When the id had to be changed, a short hash of it
    is added so that two different ids never share a file.

    >>> safe_output_path("/out", "../../etc/passwd", ".json").as_posix()
    '/out/etc/passwd-3754d6cb.json'
    """
    root = Path(os.path.abspath(folder))
    ident = str(doc_id)
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    parts = []
    for part in re.split(r"[/\\]+", ident):
        part = unicodedata.normalize("NFC", part)
        part = "".join("_" if (unicodedata.category(c)[0] == "C" or c in '<>:"|?*') else c for c in part)
        part = part.strip(" .")
        if not part:
            continue
        while len(part.encode("utf-8", "surrogatepass")) > 120:
            part = part[:-1]
        parts.append(part)
    changed = "/".join(parts) != ident
    if parts and (changed or len(parts[-1]) + len(suffix) > 120):
        parts[-1] = f"{parts[-1][:100]}-{digest}"
    if not parts:
        parts = [f"doc-{digest}"]
    if parts[-1].split(".")[0].upper() in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}:
        parts[-1] = f"_{parts[-1]}"
    candidate = root.joinpath(*parts[:-1], parts[-1] + suffix)
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(candidate)]) != real_root:
        candidate = root / f"doc-{digest}{suffix}"
    return candidate


def _new_temp(folder: str, prefix: str) -> tuple[int, str]:
    """A temporary file next to its target, with the permissions open() would give."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder or ".")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # as if created by open(), not mkstemp's 0600
    return fd, tmp


def write_atomic(path: str | os.PathLike, data: str | bytes, *, sync: bool = True, prefix: str | None = None) -> None:
    """Write a whole file so that readers see the old file or the new one, never a part.

    The data goes to a temporary file in the same folder (so the rename stays on one
    filesystem), optionally reaches the disk (`sync`), and is renamed over `path`; on
    any failure the temporary file is removed. Every file claimx writes goes through
    here or through `JsonlWriter`, which streams with the same discipline.
    """
    folder, name = os.path.split(os.fspath(path))
    fd, tmp = _new_temp(folder, prefix if prefix is not None else f".{name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class JsonlWriter:
    """Write one JSON object a line to stdout or, atomically, to a file.

    A file is written to a temporary file in the same folder and renamed into
    place by `commit()`; `discard()` (or leaving the `with` block on an
    exception) removes it, so a failed or interrupted run never leaves a
    partial output file. A path that is not a regular file (/dev/null, a FIFO)
    is written directly.
    """

    def __init__(self, path: str | None, stdout: IO[str] | None = None):
        self.path = path
        self._tmp: str | None = None
        self._own = False
        self._binary = False  # the last write_lines went to the binary layer
        if path and path != "-":
            try:
                if os.path.exists(path) and not os.path.isfile(path):
                    self._fh: IO[str] = open(path, "w", encoding="utf-8", newline="\n")
                    self._own = True
                else:
                    fd, self._tmp = _new_temp(os.path.dirname(os.path.abspath(path)), ".claimx-")
                    self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            except OSError as e:
                raise OutputError(f"{path}: cannot write: {e.strerror or e} (check that the folder exists and is writable)") from None
        else:
            self._fh = stdout if stdout is not None else sys.stdout

    def write(self, record: dict) -> None:
        self.write_lines(json.dumps(record, ensure_ascii=False) + "\n")

    def write_lines(self, lines: str | bytes) -> None:
        """Write JSON lines already serialised (each ending in a newline) in one call.

        UTF-8 bytes (a cache hit) go straight to the binary layer, without a
        decode/encode round trip; pending text is flushed first to keep the order.
        """
        if not lines:
            return
        fh = self._fh
        if isinstance(lines, (bytes, bytearray)):
            buf = getattr(fh, "buffer", None)
            if buf is None:  # a text-only stream (io.StringIO)
                lines = lines.decode("utf-8")
            else:
                if not self._binary:
                    fh.flush()
                    self._binary = True
                fh = buf
        else:
            self._binary = False
        if self._tmp is None:
            fh.write(lines)  # standard output: a closed pipe is the caller's to handle
            return
        try:
            fh.write(lines)
        except OSError as e:  # disk full, quota
            raise OutputError(f"{self.path}: cannot write: {e.strerror or e}") from None

    def flush(self) -> None:
        self._fh.flush()

    def commit(self) -> None:
        if self._tmp:
            try:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                os.replace(self._tmp, self.path)
            except OSError as e:
                self.discard()
                raise OutputError(f"{self.path}: cannot write: {e.strerror or e}") from None
            self._tmp = None
        else:
            self._fh.flush()
            if self._own:
                self._fh.close()
                self._own = False

    def discard(self) -> None:
        if self._tmp:
            try:
                self._fh.close()
            except OSError:
                pass
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


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*", re.I)
_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def parse_size(text: str) -> int:
    """'20MB' -> 20_000_000, '512k' -> 512_000, '1MiB' -> 1_048_576, '1000' -> 1000."""
    m = _SIZE.fullmatch(str(text))
    if not m:
        raise ValueError(f"not a size: {text!r} (try 20MB, 500k or a number of bytes)")
    unit = (m.group(2) or "").lower()
    return int(float(m.group(1)) * _UNITS[unit[:-1] if unit.endswith("b") else unit])
