"""An incremental, per-document cache of stage output for batch re-runs.

`--cache DIR` stores, for every document, the exact JSON lines a stage wrote
for it. The key covers everything that can change those lines:

* the document: id, the SHA-256 of its text, and every other field of the
  `Document` (metadata, encoding …) in their original order;
* the stage (`normalize`, `tag`, `extract`) and `Options.key()`;
* the code and data: claimx's version plus a fingerprint of every file of the
  installed package (so lexicons such as `claimx/lexicons/cues.yaml`, and any
  code change during development, invalidate) and the gazetteer hash;
* the bytes of every file an option names (`--gazetteer extra.yaml`, a
  `cues=` lexicon path …).

A re-run over an unchanged corpus therefore reads every record from the cache
and writes byte-identical output; changing one article recomputes that article
only; changing a lexicon or gazetteer recomputes everything that used it.

Layout (format 1)::

    DIR/CACHEDIR.TAG              marks the folder for backup tools
    DIR/claimx-cache.json         {"format": 1}
    DIR/last-run.json             start/end time and counts of the last finished run
    DIR/v1/ab/ab12…ef.jsonl       one entry: a header line, then the records

An entry is written to a temporary file in its shard folder and renamed into
place (`os.replace`), so concurrent runs and interrupted writes never leave a
half-written entry under a real name; the header carries the length and CRC-32 of
the body, and an entry that fails the check is treated as a miss and rewritten.
A hit refreshes the entry's modification time, which is what `prune` uses.

    >>> from claimx.pipeline import Options
    >>> cache = Cache("/tmp/claimx-cache")                    # doctest: +SKIP
    >>> cfg = cache.config("extract", Options())               # doctest: +SKIP
    >>> cache.get(cfg, doc) or cache.put(cfg, doc, lines)      # doctest: +SKIP
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import itertools
import os
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from .errors import ClaimxError

FORMAT = 1
_ENTRY_DIR = f"v{FORMAT}"
_MARKER = "claimx-cache.json"
_LAST_RUN = "last-run.json"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimx.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")
# Files an option names are hashed whole up to this size, by size + mtime above it.
_HASH_LIMIT = 64 * 1024 * 1024
# A temporary file older than this belongs to a run that died; prune removes it.
STALE_TMP_SECONDS = 3600
# mtime granularity and clock skew between the kernel's coarse clock and time.time()
_SLACK = 2.0


class CacheError(ClaimxError):
    """The cache folder cannot be used."""


@dataclass(frozen=True)
class CacheConfig:
    """Everything except the document that goes into an entry's key."""

    stage: str
    fingerprint: str  # 64 hex digits

    @property
    def short(self) -> str:
        return self.fingerprint[:12]


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt: int = 0
    writes: int = 0


# -------------------------------------------------------------------- fingerprints


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the files of the installed claimx package (code and data).

    Covers `claimx/lexicons/*.yaml` and any edit of the code during development,
    which a version number alone would not.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(_package_files(root)):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        digest.update(f"{rel}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _package_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in filenames:
            if name.endswith((".pyc", ".pyo", ".tmp")) or name.startswith("."):
                continue
            yield Path(dirpath) / name


def _gazetteer_hash(paths: tuple[str, ...]) -> str:
    """The gazetteer loader's hash (default files + extensions) when it can compute one.

    When the loader is missing or fails (a default file absent), hash the default
    gazetteer folder here instead: the key must change whenever those files do.
    Extension files are hashed with every other file an option names.
    """
    try:
        from .gazetteer_data import gazetteer_hash

        return gazetteer_hash(list(paths))
    except (ImportError, ClaimxError, OSError):
        pass
    digest = hashlib.sha256(b"claimx-cache/gazetteer-folder\n")
    try:
        from importlib import resources

        root = Path(str(resources.files("claimx._gazetteer")))
    except (ImportError, TypeError):
        root = Path(__file__).resolve().parents[1] / "gazetteer"
    if root.is_dir():
        for path in sorted(_package_files(root)):
            digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    if not os.path.isfile(path):
        return f"not-a-file:{st.st_mtime_ns}"
    if st.st_size > _HASH_LIMIT:
        return f"size:{st.st_size}:mtime:{st.st_mtime_ns}"
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _option_values(options: Any) -> Iterator[Any]:
    if dataclasses.is_dataclass(options):
        for f in dataclasses.fields(options):
            yield from _flatten(getattr(options, f.name))
    else:
        yield from _flatten(options)


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(k)
            yield from _flatten(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


def options_fingerprint(stage: str, options: Any) -> str:
    """SHA-256 of everything besides the document that can change a stage's output."""
    from . import __version__

    parts = [f"claimx-cache/{FORMAT}", f"version={__version__}", f"code={code_fingerprint()}",
             f"stage={stage}", f"options={options.key() if hasattr(options, 'key') else repr(options)}",
             f"gazetteer={_gazetteer_hash(tuple(getattr(options, 'gazetteers', ()) or ()))}"]
    # every option value that names a file (a lexicon, a gazetteer extension, a model)
    for value in _option_values(options):
        if isinstance(value, (str, os.PathLike)) and str(value) and os.path.exists(value):
            parts.append(f"file={os.fspath(value)}:{_file_digest(os.fspath(value))}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def document_key(config: CacheConfig, doc: Any) -> str:
    """The entry key of one document under one configuration (64 hex digits)."""
    digest = hashlib.sha256(config.fingerprint.encode())
    digest.update(b"\0")
    digest.update(doc.sha256.encode())
    for f in dataclasses.fields(doc):
        if f.name == "text":
            continue
        # insertion order matters: the output keeps the metadata's key order
        value = json.dumps(getattr(doc, f.name), ensure_ascii=False, default=repr)
        digest.update(f"\0{f.name}={value}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# -------------------------------------------------------------------- the cache


class Cache:
    """A cache folder. Safe to share between concurrent runs on one filesystem."""

    def __init__(self, root: str | os.PathLike, create: bool = True):
        self.root = Path(root)
        self._base = os.path.join(str(self.root), _ENTRY_DIR, "")
        self._shards: set[str] = set()
        self.stats = CacheStats()
        self.started = time.time()
        if create:
            self._init_folder()
        elif not (self.root / _MARKER).is_file():
            raise CacheError(f"{self.root}: not a claimx cache folder (no {_MARKER}); "
                             "check the path, or create one with `--cache DIR` on a batch run")

    def _init_folder(self) -> None:
        marker = self.root / _MARKER
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if marker.is_file():
                fmt = json.loads(marker.read_text("utf-8")).get("format")
                if fmt != FORMAT:
                    raise CacheError(f"{self.root}: cache format {fmt}, this claimx writes format {FORMAT}; "
                                     "use another folder or remove this one")
                return
            # another run may be creating the same new folder right now
            if any(p.name not in (_MARKER, "CACHEDIR.TAG") and not p.name.startswith(".tmp-")
                   for p in self.root.iterdir()):
                raise CacheError(f"{self.root}: folder is not empty and not a claimx cache; "
                                 "give --cache an empty or new folder (prune deletes files in it)")
            _atomic_write(self.root / "CACHEDIR.TAG", _TAG.encode())
            _atomic_write(marker, json.dumps({"format": FORMAT}).encode())
        except json.JSONDecodeError:
            raise CacheError(f"{self.root}/{_MARKER}: not valid JSON; remove the cache folder and re-run") from None
        except OSError as e:
            raise CacheError(f"{self.root}: cannot use as cache folder ({e.strerror or e}); "
                             "check the path and its permissions") from None

    # -- entries --------------------------------------------------------------
    def config(self, stage: str, options: Any) -> CacheConfig:
        try:
            return CacheConfig(stage, options_fingerprint(stage, options))
        except OSError as e:  # a package or gazetteer file vanished under us
            raise CacheError(f"cannot fingerprint the configuration: {e}") from None

    def path(self, key: str) -> str:
        # plain strings: on a warm run this is done once per document
        return f"{self._base}{key[:2]}{os.sep}{key}.jsonl"

    def get(self, config: CacheConfig, doc: Any, raw: bool = False) -> str | bytes | None:
        """The cached lines of `doc` (possibly ""), or None on a miss; UTF-8 bytes with `raw`."""
        return self.lookup(config, doc, raw)[1]

    def lookup(self, config: CacheConfig, doc: Any, raw: bool = False) -> tuple[str, str | bytes | None]:
        """(key, lines or None): the key is kept to store the lines after a miss."""
        key = document_key(config, doc)
        path = self.path(key)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            self.stats.misses += 1
            return key, None
        body = _check_entry(data)
        if body is None:
            self.stats.corrupt += 1
            self.stats.misses += 1
            return key, None
        try:
            os.utime(path)  # "touched by this run", for prune --unused
        except OSError:
            pass
        self.stats.hits += 1
        return key, (body if raw else body.decode("utf-8"))

    def put(self, config: CacheConfig, doc: Any, lines: str | bytes, key: str | None = None) -> bool:
        """Store the lines of `doc`; False (not an error of the batch) when it cannot."""
        if isinstance(lines, str):
            try:
                lines = lines.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates from a JSON "\\ud800": not cacheable as UTF-8
                return False
        header = json.dumps({"claimx-cache": FORMAT, "stage": config.stage, "config": config.short,
                             "n": lines.count(b"\n"), "bytes": len(lines), "crc32": zlib.crc32(lines)})
        key = key or document_key(config, doc)
        shard = f"{self._base}{key[:2]}"
        try:
            if shard not in self._shards:
                os.makedirs(shard, exist_ok=True)
                self._shards.add(shard)
            _atomic_write(f"{shard}{os.sep}{key}.jsonl", header.encode() + b"\n" + lines, sync=False)
        except OSError:
            return False
        self.stats.writes += 1
        return True

    # -- runs -------------------------------------------------------------------
    def finish_run(self, stage: str, documents: int) -> None:
        """Record the run that just ended (what `prune --unused` keeps)."""
        info = {"started": self.started, "finished": time.time(), "stage": stage, "documents": documents,
                **dataclasses.asdict(self.stats)}
        try:
            _atomic_write(self.root / _LAST_RUN, json.dumps(info).encode())
        except OSError:
            pass

    def last_run(self) -> dict | None:
        try:
            return json.loads((self.root / _LAST_RUN).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    # -- management ---------------------------------------------------------------
    def entries(self) -> Iterator[os.DirEntry]:
        base = self.root / _ENTRY_DIR
        if not base.is_dir():
            return
        for shard in sorted(os.scandir(base), key=lambda e: e.name):
            if shard.is_dir():
                yield from os.scandir(shard.path)

    def info(self, detail: bool = True) -> dict:
        """Counts and sizes; with `detail`, entries grouped by stage and configuration."""
        n = size = tmp = tmp_size = 0
        groups: dict[tuple[str, str], dict] = {}
        for e in self.entries():
            st = e.stat()
            if not e.name.endswith(".jsonl"):
                tmp += 1
                tmp_size += st.st_size
                continue
            n += 1
            size += st.st_size
            if detail:
                stage, config = _read_header(e.path)
                g = groups.setdefault((stage, config), {"stage": stage, "config": config, "entries": 0,
                                                        "bytes": 0, "last_used": 0.0})
                g["entries"] += 1
                g["bytes"] += st.st_size
                g["last_used"] = max(g["last_used"], st.st_mtime)
        out = {"path": str(self.root), "format": FORMAT, "entries": n, "bytes": size,
               "temporary_files": tmp, "temporary_bytes": tmp_size, "last_run": self.last_run()}
        if detail:
            out["configurations"] = sorted(groups.values(), key=lambda g: -g["last_used"])
        return out

    def prune(self, *, unused: bool = False, older_than: float | None = None, everything: bool = False,
              dry_run: bool = False) -> dict:
        """Delete entries: all, those not touched by the last finished run, or those not used for
        `older_than` seconds. Stale temporary files of dead runs always go."""
        now = time.time()
        cutoff = None
        if unused:
            last = self.last_run()
            if last is None:
                raise CacheError(f"{self.root}: no finished run recorded yet, so nothing is known to be unused; "
                                 "run a batch with --cache first, or prune with --older-than")
            cutoff = float(last["started"]) - _SLACK
        if older_than is not None:
            cutoff = max(cutoff or 0.0, now - older_than)
        removed = kept = freed = 0
        for e in self.entries():
            st = e.stat()
            if e.name.endswith(".jsonl"):
                drop = everything or (cutoff is not None and st.st_mtime < cutoff)
            else:
                drop = everything or now - st.st_mtime > STALE_TMP_SECONDS
            if not drop:
                kept += 1
                continue
            if not dry_run:
                try:
                    os.unlink(e.path)
                except FileNotFoundError:
                    continue
            removed += 1
            freed += st.st_size
        if not dry_run:
            base = self.root / _ENTRY_DIR
            for shard in (base.iterdir() if base.is_dir() else ()):
                try:
                    shard.rmdir()  # only empty shards go
                except OSError:
                    pass
        return {"removed": removed, "kept": kept, "bytes_freed": freed, "dry_run": dry_run}


def _check_entry(data: bytes) -> bytes | None:
    nl = data.find(b"\n")
    if nl < 0:
        return None
    try:
        header = json.loads(data[:nl])
    except ValueError:
        return None
    body = data[nl + 1:]
    # length + CRC-32: catches truncated, zero-filled or garbled entries (a machine
    # crash between rename and write-back); cheaper than a cryptographic hash
    if not isinstance(header, dict) or header.get("claimx-cache") != FORMAT \
            or header.get("bytes") != len(body) or header.get("crc32") != zlib.crc32(body):
        return None
    return body


def _read_header(path: str) -> tuple[str, str]:
    try:
        with open(path, "rb") as fh:
            header = json.loads(fh.readline())
        return str(header.get("stage", "?")), str(header.get("config", "?"))
    except (OSError, ValueError, AttributeError):
        return "?", "corrupt"


_TMP_COUNTER = itertools.count()


def _atomic_write(path: str | os.PathLike, data: bytes, sync: bool = True) -> None:
    """Write an entry atomically; its temporary file starts with .tmp- so prune can find strays."""
    from .io import write_atomic

    write_atomic(path, data, sync=sync, prefix=".tmp-")


def parse_age(text: str) -> float:
    """'30d', '12h', '45m', '90s' or a bare number of days → seconds."""
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    t = text.strip().lower()
    try:
        if t and t[-1] in units:
            return float(t[:-1]) * units[t[-1]]
        return float(t) * 86400
    except ValueError:
        raise ValueError(f"not an age: {text!r} (use e.g. 30d, 12h, 45m)") from None
