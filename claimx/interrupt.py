"""Stopping a batch cleanly on SIGINT (Ctrl-C) and SIGTERM.

While `stop_on_signals()` is active, either signal raises `Interrupted` at the
next safe point: never in the middle of writing a record (wrap writes in
`guard.critical()`), so standard output gets only complete lines, and the
`with JsonlWriter(...)` block that sees the exception removes its temporary
file, so `-o FILE` is either complete or absent. Further signals while the run
winds down are ignored. The exit status is 128 + the signal number: 130 for
SIGINT, 143 for SIGTERM, as shells report them.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The run was asked to stop. A BaseException, like KeyboardInterrupt, so that
    no `except Exception` on the way up swallows it."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class SignalGuard:
    def __init__(self) -> None:
        self.pending: int | None = None
        self.stopping = False
        self._depth = 0

    def _handler(self, signum, frame) -> None:
        if self.stopping:
            return  # already winding down: let the cleanup finish
        if self._depth:
            self.pending = signum
            return
        self.stopping = True
        raise Interrupted(signum)

    @contextmanager
    def critical(self) -> Iterator[None]:
        """A section a signal must not cut in two (writing one record)."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self.pending is not None and not self.stopping:
                signum, self.pending = self.pending, None
                self.stopping = True
                raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[SignalGuard]:
    """Install the handlers (main thread only; elsewhere a no-op) and restore them after."""
    guard = SignalGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {}
    try:
        for s in SIGNALS:
            if signal.getsignal(s) is signal.SIG_IGN:
                continue  # started with the signal ignored (nohup, background job): keep it so
            previous[s] = signal.signal(s, guard._handler)
        yield guard
    finally:
        guard.stopping = True
        for s, handler in previous.items():
            signal.signal(s, handler)
