"""One exception hierarchy. Every message says what was wrong, where, and what to do."""
from __future__ import annotations


class ClaimxError(Exception):
    """Base class of every error claimx raises on purpose."""


class InputError(ClaimxError):
    """An input file or record cannot be read. The batch goes on without it."""

    def __init__(self, path: str, reason: str, hint: str = "", line: int | None = None):
        self.path = path
        self.reason = reason
        self.hint = hint
        self.line = line
        super().__init__(self.message)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.reason}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_record(self) -> dict:
        return {"path": self.path, "line": self.line, "reason": self.reason, "hint": self.hint}


class DataFileError(ClaimxError):
    """A shipped or user-supplied data file (lexicon, gazetteer, gold) is invalid."""

    def __init__(self, path: str, reason: str | None = None, line: int | None = None, key: str | None = None):
        if reason is None:  # a complete message given on its own
            self.path, self.reason, self.line, self.key = "", str(path), line, key
            super().__init__(str(path))
            return
        self.path, self.reason, self.line, self.key = str(path), reason, line, key
        where = f"{self.path}:{line}" if line is not None else self.path
        if key:
            where += f": key '{key}'"
        super().__init__(f"{where}: {reason}")


class LexiconError(DataFileError):
    """A cue or hedge lexicon file is invalid."""


class GazetteerError(DataFileError):
    """A gazetteer file is invalid."""


class GoldError(DataFileError):
    """A gold annotation file is invalid or does not fit its documents."""


class EngineUnavailable(ClaimxError):
    """An optional engine was asked for but its package or models are missing."""
