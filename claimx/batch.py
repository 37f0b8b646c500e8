"""Run one stage over many inputs: read, process, write, report.

The batch never stops at a bad input (unless asked to): each failure is one
line on standard error naming the file, line and what to do, optionally one
JSON line in an errors file, and the exit status says whether anything failed.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Callable, Iterable

from .errors import InputError
from .io import JsonlWriter, iter_documents
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

    @property
    def exit_code(self) -> int:
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


def run_batch(config: BatchConfig, process: Callable[[Document], Iterable[dict]]) -> Report:
    """Process every document of the inputs; write records; return the report."""
    err = config.stderr or sys.stderr
    report = Report()

    def on_error(e: InputError) -> None:
        report.failures.append(e)
        err.write(f"claimx: error: {e.message}\n")
        if config.fail_fast:
            raise FailFast(e.message)

    with JsonlWriter(config.output, config.stdout) as out:
        try:
            for doc in iter_documents(config.inputs, config.glob, on_error, config.stdin):
                report.documents += 1
                for rec in process(doc):
                    out.write(rec)
                    report.records += 1
        except FailFast:
            pass
    if config.errors_path:
        with JsonlWriter(config.errors_path) as ew:
            for e in report.failures:
                ew.write(e.to_record())
    if not config.quiet:
        err.write(report.summary(config.noun) + "\n")
    return report


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
