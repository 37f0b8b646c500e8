"""Run a stage over many documents: in-process, in worker processes, or on Dask.

Whatever runs the work, the output is the same bytes in the same order:

* a `Stage` (a Pipeline method name + `Options`) turns one document into its
  JSON lines, with one serialiser for every path;
* worker processes (`--jobs N`) receive chunks of documents and build their own
  `Pipeline` from the `Options` (with `fork` they inherit the parent's);
* results are written in input order; at most a few chunks per worker are in
  flight, so memory does not grow with the corpus;
* the cache (`--cache DIR`) is read and written by the parent only, so a hit
  never reaches a worker and a cluster needs no shared filesystem.

    >>> from claimx.pipeline import Options
    >>> engine = Engine(Stage("extract", Options()), jobs=2)        # doctest: +SKIP
    >>> for doc, lines in engine.run(iter_documents(["seeds"])):    # doctest: +SKIP
    ...     sys.stdout.write(lines)
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

STAGES = ("normalize", "tag", "extract")
CHUNK_DOCS = 16
CHUNK_CHARS = 256 * 1024
CHUNKS_PER_WORKER = 4

# Pipelines built in this process, by Options.key(): workers build theirs once.
_PIPELINES: dict[str, Any] = {}


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int) -> int:
    """`--jobs 0` means every core this process may use."""
    if jobs < 0:
        raise ValueError("--jobs must be 0 (all cores) or a positive number")
    return cpu_count() if jobs == 0 else jobs


# json.dumps(rec, ensure_ascii=False) without building an encoder for every record.
# JSONEncoder.encode builds a new C encoder (and a circular-reference table) on each
# call, about three times the cost of encoding a claim record: one C encoder serves
# every record. Records are trees of dicts, lists and scalars (never circular), so
# the table is not needed; the bytes are those of json.dumps.
def _encoder():
    from json.encoder import c_make_encoder, encode_basestring

    plain = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:  # a Python without the C accelerator
        return plain.encode
    iterencode = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, True)
    join = "".join

    def encode(obj) -> str:
        if isinstance(obj, str):
            return encode_basestring(obj)
        return join(iterencode(obj, 0))

    return encode


_ENCODE = _encoder()
_DOC_MARK = "\ue000claimx-doc\ue001"
_DOC_MARK_JSON = '"doc": ' + _ENCODE(_DOC_MARK)


def json_lines(records) -> str:
    """The JSON lines of `records`, the bytes of `json.dumps(rec, ensure_ascii=False)` each.

    The claims of a document share one `doc` block (`to_records`), about 70% of
    each line: it is encoded once and spliced into every line. The splice is used
    only where it cannot misplace it: `doc` after string fields only (schema, id),
    so the first `"doc": ` of the line is that key.
    """
    if len(records) < 2:
        return "".join([_ENCODE(rec) + "\n" for rec in records])
    shared = records[0].get("doc")
    doc_json = None
    out = []
    for rec in records:
        if shared is None or rec.get("doc") is not shared:
            out.append(_ENCODE(rec) + "\n")
            continue
        plain = True
        for k, v in rec.items():  # stops at "doc", which is a key
            if k == "doc":
                break
            if type(v) is not str:
                plain = False
                break
        if not plain:
            out.append(_ENCODE(rec) + "\n")
            continue
        if doc_json is None:
            doc_json = '"doc": ' + _ENCODE(shared)
        marked = dict(rec)
        marked["doc"] = _DOC_MARK
        head, _, tail = _ENCODE(marked).partition(_DOC_MARK_JSON)
        out.append(head + doc_json + tail + "\n")
    return "".join(out)


@dataclass(frozen=True)
class Stage:
    """A Pipeline method by name plus the Options to build the Pipeline: picklable, cheap."""

    name: str
    options: Any = None

    def pipeline(self):
        from .pipeline import Options, Pipeline

        options = self.options if self.options is not None else Options()
        key = options.key()
        pipe = _PIPELINES.get(key)
        if pipe is None:
            pipe = _PIPELINES[key] = Pipeline(options)
        return pipe

    def lines(self, doc) -> str:
        """The JSON lines (each ending in a newline) this stage writes for `doc`."""
        out = getattr(self.pipeline(), self.name)(doc)
        if isinstance(out, dict):
            return _ENCODE(out) + "\n"
        return json_lines(out)

    def safe_lines(self, doc, as_bytes: bool = False) -> "str | bytes | Crash":
        """`lines`, or a Crash when the stage fails on this document (the batch goes on).

        With `as_bytes`, UTF-8 bytes: what the cache stores and JsonlWriter writes
        as is, so a worker's result crosses the pipe without a decode and encode
        (text with lone surrogates stays a str, and fails where it always did: at write).

        A ClaimxError other than an InputError (a broken lexicon or gazetteer, a
        missing engine) is about the configuration, not the document: it comes back
        as a fatal Crash and ends the run with one message instead of one per document.
        """
        from .errors import ClaimxError, InputError

        try:
            lines = self.lines(doc)
        except InputError as e:  # the stage found the document itself unusable
            return Crash("", e.reason, hint=e.hint)
        except ClaimxError as e:
            return Crash(type(e).__name__, str(e), fatal=True)
        except Exception as e:  # noqa: BLE001 - one bad document must not end a nightly batch
            if os.environ.get("CLAIMX_DEBUG"):
                raise
            return Crash(type(e).__name__, str(e))
        if as_bytes:
            try:
                return lines.encode("utf-8")
            except UnicodeEncodeError:
                pass
        return lines

    def records(self, doc) -> list[dict]:
        out = getattr(self.pipeline(), self.name)(doc)
        return [out] if isinstance(out, dict) else list(out)


@dataclass(frozen=True)
class Crash:
    """A stage raised on one document; reported as that document's failure."""

    error: str
    message: str
    fatal: bool = False
    hint: str | None = None

    def to_input_error(self, doc):
        from .errors import InputError

        if not self.error:
            return InputError(doc.id, self.message, self.hint or "")

        # the same words as batch._process_one, which handles non-Stage callables
        return InputError(doc.id, f"internal error while processing it ({self.error}: {self.message})",
                          "please report this bug with the document; CLAIMX_DEBUG=1 shows the traceback")


def as_stage(process: Any) -> Stage | None:
    """A Stage for `process` when it is one, or a bound Pipeline stage method (`pipe.tag`)."""
    if isinstance(process, Stage):
        return process
    owner, name = getattr(process, "__self__", None), getattr(process, "__name__", None)
    if owner is None or name not in STAGES:
        return None
    from .pipeline import Pipeline

    if not isinstance(owner, Pipeline):
        return None
    _PIPELINES.setdefault(owner.options.key(), owner)
    return Stage(name, owner.options)


# ------------------------------------------------------------------------ workers

_WORKER_STAGE: Stage | None = None
_WORKER_CACHE: tuple | None = None  # (Cache, CacheConfig) when the workers write the cache


def _init_worker(stage: Stage, cache_spec: tuple | None = None) -> None:
    import signal

    global _WORKER_STAGE, _WORKER_CACHE
    # The parent handles Ctrl-C and termination; a handler inherited through fork
    # (e.g. one that removes the parent's temporary output) must not run here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_STAGE = stage
    if cache_spec is not None:
        from .cache import Cache

        root, config = cache_spec
        _WORKER_CACHE = (Cache(root, create=False), config)
    stage.pipeline()


def _work_chunk(docs: list) -> tuple[list, int]:
    """Worker processes on this machine: lines as bytes, cache entries written here
    (in parallel, not by the parent); returns the results and the number written."""
    stage, cache = _WORKER_STAGE, _WORKER_CACHE
    out, writes = [], 0
    for doc in docs:
        result = stage.safe_lines(doc, as_bytes=True)
        if cache is not None and isinstance(result, bytes):
            writes += cache[0].put(cache[1], doc, result)
        out.append(result)
    return out, writes


def work_chunk(stage: Stage, docs: list) -> tuple[list, int]:
    """One chunk of documents → their lines (bytes) or Crash (the task a Dask worker
    runs; the client writes the cache, the workers may not share its filesystem)."""
    return [stage.safe_lines(doc, as_bytes=True) for doc in docs], 0


class _ProcessPool:
    writes_cache = True

    def __init__(self, stage: Stage, jobs: int, cache_spec: tuple | None = None):
        import multiprocessing as mp
        import threading

        methods = mp.get_all_start_methods()
        method = os.environ.get("CLAIMX_START_METHOD")  # fork, forkserver or spawn: an override
        if method not in methods:
            # fork is the fastest (workers inherit the built pipeline) but is unsafe once
            # the process runs other threads (a Dask client, a server): then forkserver
            if "fork" in methods and threading.active_count() == 1:
                method = "fork"
            else:
                method = "forkserver" if "forkserver" in methods else "spawn"
        self.method = method
        self.workers = jobs
        self.pool = mp.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(stage, cache_spec))

    def submit(self, docs: list):
        return self.pool.apply_async(_work_chunk, (docs,)).get

    def close(self, ok: bool) -> None:
        if ok:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def describe(self) -> str:
        return f"{self.workers} worker processes ({self.method})"


class _DaskPool:
    writes_cache = False

    def __init__(self, stage: Stage, address: str):
        from .dask_backend import connect

        self.stage = stage
        self.client, self.cluster = connect(address)
        self.workers = max(1, sum(self.client.nthreads().values()))

    def submit(self, docs: list):
        return self.client.submit(work_chunk, self.stage, docs, pure=False).result

    def close(self, ok: bool) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        return f"Dask, {self.workers} worker threads at {self.client.scheduler.address}"


# ------------------------------------------------------------------------ engine


class _Slot:
    __slots__ = ("doc", "lines", "chunk", "key")

    def __init__(self, doc, lines, key=None):
        self.doc, self.lines, self.chunk, self.key = doc, lines, None, key


class _Chunk:
    __slots__ = ("slots", "result")

    def __init__(self):
        self.slots: list[_Slot] = []
        self.result = None  # a callable that blocks until the chunk's lines are back


@dataclass
class Engine:
    """Turns documents into (document, lines) pairs in input order."""

    stage: Stage
    jobs: int = 1
    cache: Any = None  # a claimx.cache.Cache
    dask: str | None = None
    progress: "Progress | None" = None
    on_error: Any = None  # called with an InputError for a document the stage crashed on
    raw: bool = False  # cache hits as the stored UTF-8 bytes (for JsonlWriter.write_lines)
    chunk_docs: int = CHUNK_DOCS
    chunk_chars: int = CHUNK_CHARS
    pool_description: str = field(default="in-process", init=False)
    _pool: Any = field(default=None, init=False, repr=False)
    _config: Any = field(default=None, init=False, repr=False)

    def _start_pool(self):
        # Build (and so validate) the pipeline here first: a bad lexicon is one
        # clear error in the parent, and forked workers inherit the built pipeline.
        self.stage.pipeline()
        if self.dask:
            self._pool = _DaskPool(self.stage, self.dask)
        else:
            spec = (str(self.cache.root), self._config) if self.cache is not None else None
            self._pool = _ProcessPool(self.stage, self.jobs, spec)
        self.pool_description = self._pool.describe()
        return self._pool

    def run(self, docs: Iterable) -> Iterator[tuple[Any, str]]:
        config = self.cache.config(self.stage.name, self.stage.options) if self.cache is not None else None
        self._config = config
        parallel = bool(self.dask) or self.jobs > 1
        ok = False
        try:
            if parallel:
                yield from self._run_parallel(docs, config)
            else:
                yield from self._run_serial(docs, config)
            ok = True
        finally:
            if self._pool is not None:
                self._pool.close(ok)
                self._pool = None
            if self.progress is not None:
                self.progress.close()

    def _emit(self, doc, result) -> str:
        """Report a crash (in input order, as jobs 1 would), count progress, return the lines."""
        if self.progress is not None:
            self.progress.update(doc)
        if isinstance(result, Crash):
            if result.fatal:
                from .errors import ClaimxError

                raise ClaimxError(result.message)
            if self.on_error is None:
                raise RuntimeError(f"{doc.id}: {result.error}: {result.message}")
            self.on_error(result.to_input_error(doc))
            return ""
        return result

    def _run_serial(self, docs, config):
        cache, stage, raw = self.cache, self.stage, self.raw
        for doc in docs:
            key = lines = None
            if cache is not None:
                key, lines = cache.lookup(config, doc, raw)
            if lines is None:
                lines = stage.safe_lines(doc, as_bytes=raw)
                if cache is not None and not isinstance(lines, Crash):
                    cache.put(config, doc, lines, key)
            yield doc, self._emit(doc, lines)

    def _run_parallel(self, docs, config):
        cache = self.cache
        pool = None
        pending: deque[_Slot] = deque()
        inflight: deque[_Chunk] = deque()
        building = _Chunk()
        building_chars = 0
        window = None
        max_pending = None
        stop: BaseException | None = None

        def submit():
            nonlocal building, building_chars, pool, window, max_pending
            if not building.slots:
                return
            if pool is None:
                pool = self._start_pool()
                window = max(2, pool.workers * CHUNKS_PER_WORKER)
                max_pending = window * self.chunk_docs * 2
            building.result = pool.submit([s.doc for s in building.slots])
            inflight.append(building)
            building = _Chunk()
            building_chars = 0

        def settle(chunk: _Chunk):
            results, writes = chunk.result()
            if cache is not None:
                cache.stats.writes += writes
            for slot, lines in zip(chunk.slots, results):
                if not self.raw and isinstance(lines, bytes):
                    lines = lines.decode("utf-8")
                slot.lines = lines
                if cache is not None and not pool.writes_cache and not isinstance(lines, Crash):
                    cache.put(config, slot.doc, lines, slot.key)
            chunk.slots = []

        def ready_head():
            while pending:
                head = pending[0]
                if head.lines is None:
                    chunk = head.chunk
                    if chunk is building:
                        submit()
                    # settle every chunk up to this one, in order
                    while inflight and head.lines is None:
                        settle(inflight.popleft())
                pending.popleft()
                yield head

        it = iter(docs)
        while True:
            try:
                doc = next(it)
            except StopIteration:
                break
            except Exception as e:  # e.g. --fail-fast: write what was read before, then stop
                stop = e
                break
            key = lines = None
            if cache is not None:
                key, lines = cache.lookup(config, doc, self.raw)
            slot = _Slot(doc, lines, key)
            pending.append(slot)
            if lines is None:
                slot.chunk = building
                building.slots.append(slot)
                building_chars += len(doc.text)
                if len(building.slots) >= self.chunk_docs or building_chars >= self.chunk_chars:
                    submit()
            # emit the finished head of the queue without blocking
            while pending and pending[0].lines is not None:
                s = pending.popleft()
                yield s.doc, self._emit(s.doc, s.lines)
            # bound the work in flight and the documents held in memory
            while (window is not None and len(inflight) > window) or len(pending) > (max_pending or CHUNK_DOCS * 64):
                if inflight:
                    settle(inflight.popleft())
                else:
                    submit()  # the head of the queue waits in the chunk being built
                while pending and pending[0].lines is not None:
                    s = pending.popleft()
                    yield s.doc, self._emit(s.doc, s.lines)
        submit()
        for s in ready_head():
            yield s.doc, self._emit(s.doc, s.lines)
        if stop is not None:
            raise stop


# ------------------------------------------------------------------------ progress


def input_size(inputs: Iterable[str], glob: str = "*.txt") -> int | None:
    """Bytes of the inputs, for the ETA (None when reading standard input)."""
    total = 0
    for spec in inputs:
        if spec == "-":
            return None
        p = Path(spec)
        try:
            if p.is_dir():
                for dirpath, _, filenames in os.walk(p):
                    for name in filenames:
                        q = Path(dirpath) / name
                        if q.match(glob):
                            total += q.stat().st_size
            elif p.is_file():
                total += p.stat().st_size
        except OSError:
            continue
    return total


class Progress:
    """A one-line progress display on a terminal: documents, docs/s, MB/s, ETA."""

    def __init__(self, stream: IO[str], total_bytes: int | None = None, label: str = "", interval: float = 0.2):
        self.stream = stream
        self.total = total_bytes or None
        self.label = label
        self.interval = interval
        self.docs = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False

    @staticmethod
    def wanted(stream: IO[str], quiet: bool) -> bool:
        if quiet or os.environ.get("CLAIMX_PROGRESS") == "0":
            return False
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def update(self, doc) -> None:
        self.docs += 1
        if self.total:
            self.bytes += len(doc.text.encode("utf-8", "surrogatepass"))
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        secs = max(now - self.started, 1e-9)
        rate = self.docs / secs
        parts = [f"{self.label}{self.docs:,} docs", f"{rate:,.0f} docs/s"]
        if self.total:
            frac = min(self.bytes / self.total, 1.0)
            parts.append(f"{self.bytes / secs / 1e6:.2f} MB/s")
            width = 20
            fill = int(frac * width)
            parts.insert(0, f"[{'#' * fill}{'.' * (width - fill)}] {frac * 100:3.0f}%")
            if frac > 0:
                parts.append(f"ETA {_clock(secs * (1 - frac) / frac)}")
        line = "  ".join(parts)
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


def _clock(secs: float) -> str:
    secs = int(secs + 0.5)
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def default_stderr() -> IO[str]:
    return sys.stderr


# ------------------------------------------------------------------------ batch glue


class StageRun:
    """The engine of one `run_batch` call, set up from its BatchConfig, and its report lines."""

    def __init__(self, config, stage: Stage, err: IO[str], on_error=None):
        from .cache import Cache

        self.config, self.stage, self.err = config, stage, err
        jobs = resolve_jobs(getattr(config, "jobs", 1))
        cache_dir = getattr(config, "cache_dir", None)
        cache = Cache(cache_dir) if cache_dir else None
        show = getattr(config, "progress", None)
        if show is None:
            show = Progress.wanted(err, config.quiet)
        progress = Progress(err, input_size(config.inputs, config.glob), f"{stage.name}: ") if show else None
        self.engine = Engine(stage, jobs=jobs, cache=cache, dask=getattr(config, "dask", None), progress=progress,
                             on_error=on_error, raw=True)

    def finish(self, report) -> None:
        """After the output is committed: record the run in the cache, report on stderr."""
        engine, cache, err = self.engine, self.engine.cache, self.err
        complete = not (getattr(report, "stopped", False) or getattr(report, "interrupted", None) is not None
                        or (self.config.fail_fast and report.failures))
        if cache is not None and complete:
            cache.finish_run(self.stage.name, report.documents)
        if self.config.quiet:
            return
        if getattr(self.config, "verbose", False):
            secs = max(time.monotonic() - report.started, 1e-9)
            err.write(f"claimx: {self.stage.name}: {engine.pool_description}, "
                      f"{report.documents / secs:,.1f} documents/s\n")
        if cache is not None:
            s = cache.stats
            corrupt = f", {s.corrupt} corrupt entries replaced" if s.corrupt else ""
            err.write(f"claimx: cache {cache.root}: {s.hits} hits, {s.misses} misses, "
                      f"{s.writes} written{corrupt}\n")
