"""Run one stage over many inputs: read, process, write, report.

The batch never stops at a bad input (unless asked to): each failure is one
line on standard error naming the file, line and what to do, optionally one
JSON line in an errors file, and the exit status says whether anything failed.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Callable, Iterable

from .errors import InputError
from .interrupt import Interrupted, stop_on_signals
from .io import DEFAULT_MAX_BYTES, JsonlWriter, iter_documents
from .model import Document

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2


class FailFast(Exception):
    """Raised to stop the batch at the first failure (--fail-fast)."""


@dataclass
class Report:
    documents: int = 0
    records: int = 0
    failures: list[InputError] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    interrupted: int | None = None  # the signal that stopped the run
    stopped: bool = False  # --fail-fast stopped the run

    @property
    def exit_code(self) -> int:
        if self.interrupted is not None:
            return 128 + self.interrupted  # 130 SIGINT, 143 SIGTERM
        return EXIT_FAILURES if self.failures else EXIT_OK

    def summary(self, noun: str) -> str:
        secs = time.monotonic() - self.started
        return (f"claimx: {self.documents} documents, {self.records} {noun}, "
                f"{len(self.failures)} failed, {secs:.2f}s")


@dataclass
class BatchConfig:
    inputs: tuple[str, ...]
    output: str | None = None
    glob: str = "*.txt"
    errors_path: str | None = None
    fail_fast: bool = False
    quiet: bool = False
    noun: str = "records"
    stdin: IO[bytes] | None = None
    stderr: IO[str] | None = None
    stdout: IO[str] | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES  # per text/HTML file and per JSONL record
    # parallel runs and the cache (claimx/parallel.py, claimx/cache.py)
    jobs: int = 1
    cache_dir: str | None = None
    dask: str | None = None
    verbose: bool = False
    progress: bool | None = None  # None: a progress bar when stderr is a terminal


def run_batch(config: BatchConfig, process: Callable[[Document], Iterable[dict]]) -> Report:
    """Process every document of the inputs; write records; return the report."""
    err = config.stderr or sys.stderr
    report = Report()

    def on_error(e: InputError) -> None:
        report.failures.append(e)
        err.write(f"claimx: error: {e.message}\n")
        if config.fail_fast:
            raise FailFast(e.message)

    from .parallel import as_stage

    stage = as_stage(process)  # a Stage or a bound Pipeline method: --jobs, --cache, --dask apply
    run = None
    # -o is renamed into place only when the loop completes: --fail-fast, SIGINT
    # and SIGTERM leave no output file; stdout gets only whole records.
    with stop_on_signals() as guard:
        try:
            with JsonlWriter(config.output, config.stdout) as out:
                docs = iter_documents(config.inputs, config.glob, on_error, config.stdin, max_bytes=config.max_bytes)
                if stage is not None:
                    from .parallel import StageRun

                    run = StageRun(config, stage, err, on_error)
                    for doc, lines in run.engine.run(docs):
                        report.documents += 1
                        with guard.critical():
                            out.write_lines(lines)
                        report.records += lines.count(b"\n" if isinstance(lines, bytes) else "\n")
                else:
                    for doc in docs:
                        report.documents += 1
                        records = _process_one(process, doc, on_error)
                        with guard.critical():
                            for rec in records:
                                out.write(rec)
                        report.records += len(records)
        except FailFast:
            report.stopped = True
        except Interrupted as e:
            report.interrupted = e.signum
        if run is not None:
            run.finish(report)
        if config.errors_path and report.interrupted is None:
            with guard.critical(), JsonlWriter(config.errors_path) as ew:
                for e in report.failures:
                    ew.write(e.to_record())
    if report.interrupted is not None:
        what = f"{config.output} not written" if config.output and config.output != "-" else "output incomplete"
        err.write(f"claimx: interrupted by {signal.Signals(report.interrupted).name} after "
                  f"{report.documents} documents ({what})\n")
    elif not config.quiet:
        err.write(report.summary(config.noun) + "\n")
    return report


def _process_one(process: Callable[[Document], Iterable[dict]], doc: Document, on_error) -> list[dict]:
    """The records of one document; a crash on it is reported as its failure, not the batch's."""
    try:
        return list(process(doc))
    except Exception as e:  # noqa: BLE001 - one bad document must not end a nightly batch
        if os.environ.get("CLAIMX_DEBUG"):
            raise
        on_error(InputError(doc.id, f"internal error while processing it ({type(e).__name__}: {e})",
                            "please report this bug with the document; CLAIMX_DEBUG=1 shows the traceback"))
        return []


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
