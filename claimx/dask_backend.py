"""claimx on Dask: the same stages, spread over a cluster's workers.

Two ways in:

* the CLI, `claimx extract --dask ADDRESS INPUT…` — this process reads the inputs,
  sends chunks of documents to the workers, and writes their records in input
  order (the cache, if any, stays on this machine): output byte-identical to a
  single-process run;
* the Python API below — Dask bags, for corpora that the workers read themselves
  from shared storage:

      >>> from claimx.dask_backend import read_jsonl, records_bag      # doctest: +SKIP
      >>> docs = read_jsonl("s3://bucket/articles/*.jsonl")              # doctest: +SKIP
      >>> claims = records_bag(docs, "extract")                          # doctest: +SKIP
      >>> claims.map(json.dumps).to_textfiles("out/claims-*.jsonl")      # doctest: +SKIP

Workers build one Pipeline per process from the picklable Options (no model or
lexicon is shipped over the network); claimx must be installed on them.
Install with `pip install 'claimx[dask]'`.
"""
from __future__ import annotations

import json
import os
from typing import Any, Iterable

from .errors import ClaimxError

INSTALL = "pip install 'claimx[dask]'  (or: pip install 'dask[bag]' distributed)"


class DaskUnavailable(ClaimxError):
    """Dask or distributed is not installed."""


def require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        raise DaskUnavailable(f"--dask needs Dask ({e.name} is not installed); install it with: {INSTALL}") from None


def connect(address: str):
    """A distributed Client for ADDRESS; returns (client, cluster we started or None).

    ADDRESS is `local` / `local:N` (a LocalCluster of N single-threaded worker
    processes on this machine), a scheduler file written by `dask scheduler
    --scheduler-file` / dask-mpi (`*.json`), or a scheduler address
    (`tcp://10.0.0.5:8786`).
    """
    require_dask()
    from distributed import Client, LocalCluster

    if address == "local" or address.startswith("local:"):
        n = address.partition(":")[2]
        try:
            workers = int(n) if n else (os.cpu_count() or 1)
        except ValueError:
            raise ClaimxError(f"--dask {address}: N must be a number of worker processes, e.g. local:2") from None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")  # a free port: never clash with another cluster
        return Client(cluster), cluster
    try:
        if address.endswith(".json") and os.path.isfile(address):
            return Client(scheduler_file=address), None
        return Client(address, timeout="30s"), None
    except OSError as e:
        raise ClaimxError(f"--dask {address}: cannot reach the scheduler ({e}); check the address "
                          "and that `dask scheduler` is running") from None


# ------------------------------------------------------------------------ bags


def _stage(stage: Any, options: Any):
    from .parallel import Stage

    if isinstance(stage, Stage):
        return stage
    if stage not in ("normalize", "tag", "extract"):
        raise ValueError(f"unknown stage {stage!r}: use normalize, tag or extract")
    return Stage(stage, options)


def _records_of_partition(docs: Iterable, stage) -> list[dict]:
    from .io import record_to_document
    from .model import Document

    out: list[dict] = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            doc = record_to_document(doc, "<bag>", i + 1)
        out.extend(stage.records(doc))
    return out


def records_bag(documents: Any, stage: Any = "extract", options: Any = None, npartitions: int | None = None):
    """A Dask bag of the stage's records (dicts), in document order.

    `documents` is a bag or an iterable of `Document`s or of `{"id", "text", …}`
    dicts. A local iterable is partitioned here (`npartitions`, default about
    100 documents a partition); a bag keeps its partitions.
    `records_bag(docs).compute()` equals `[r for d in docs for r in Pipeline(options).<stage>(d)]`.
    """
    require_dask()
    import dask.bag as db

    st = _stage(stage, options)
    if not isinstance(documents, db.Bag):
        documents = list(documents)
        n = npartitions or max(1, min(len(documents) // 100 + 1, 1000))
        documents = db.from_sequence(documents, npartitions=n)
    return documents.map_partitions(_records_of_partition, st)


def documents_bag(inputs: Iterable[str], glob: str = "*.txt", npartitions: int | None = None):
    """The documents of INPUTs (files, folders, JSONL) read here, as a bag — for small corpora."""
    require_dask()
    import dask.bag as db

    from .io import iter_documents

    docs = list(iter_documents(list(inputs), glob))
    return db.from_sequence(docs, npartitions=npartitions or max(1, min(len(docs) // 100 + 1, 1000)))


def _jsonl_partition(lines: Iterable[tuple[str, str]]) -> list:
    from .errors import InputError
    from .io import record_to_document

    out = []
    n = 0
    for line, path in lines:
        n += 1
        if n == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            out.append(record_to_document(json.loads(line), path, n))
        except (ValueError, InputError):
            continue  # the CLI reports these; a bag skips them
    return out


def read_jsonl(urlpath: str | list[str], **storage_options):
    """A bag of Documents from JSONL files read by the workers (local paths, s3://, gs:// …).

    One partition per file, so ids of records without an "id" are `FILE:LINE`
    exactly as the CLI makes them.
    """
    require_dask()
    import dask.bag as db

    bag = db.read_text(urlpath, blocksize=None, include_path=True, storage_options=storage_options or None)
    return bag.map_partitions(_jsonl_partition)


def lines_bag(documents: Any, stage: Any = "extract", options: Any = None, npartitions: int | None = None):
    """Like `records_bag`, as JSON lines exactly as the CLI writes them (for `to_textfiles`)."""
    return records_bag(documents, stage, options, npartitions).map(lambda r: json.dumps(r, ensure_ascii=False))
