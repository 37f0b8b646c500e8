"""The document model shared by every stage.

A Document's raw text never changes. Stages match on the normalised view
(`Document.normalized`) and every span they emit points into the raw text, so
`doc.text[span.start:span.end] == span.text` always holds.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # raw offsets
    end: int
    nstart: int  # offsets in the normalised view
    nend: int
    boilerplate: bool = False


_new_object = object.__new__


def new_sentence(index: int, start: int, end: int, nstart: int, nend: int, boilerplate: bool = False) -> Sentence:
    """`Sentence(...)` for the segmenter's hot loop: the same object, built without the
    frozen dataclass __init__ (one object.__setattr__ call per field, 3-4x the cost)."""
    s = _new_object(Sentence)
    s.__dict__.update(index=index, start=start, end=end, nstart=nstart, nend=nend, boilerplate=boilerplate)
    return s


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    meta: dict = field(default_factory=dict, compare=False)
    encoding: str = "utf-8"

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @cached_property
    def normalized(self):
        from .normalize import normalize

        return normalize(self.text)

    def span(self, start: int, end: int) -> Span:
        """A span over raw offsets; its text is always sliced from the raw text."""
        return Span(start, end, self.text[start:end])

    def nspan(self, nstart: int, nend: int) -> Span:
        """A span given in normalised-view offsets, mapped back to the raw text."""
        start, end = self.normalized.to_raw(nstart, nend)
        return self.span(start, end)

    def nspan_json(self, nstart: int, nend: int) -> dict:
        """`nspan(...).to_json()` without building the Span: records build many of these."""
        start, end = self.normalized.to_raw(nstart, nend)
        return {"text": self.text[start:end], "start": start, "end": end}

    def info(self, outlet: Any = None) -> dict:
        out = {"id": self.id, "sha256": self.sha256, "outlet": outlet}
        if self.encoding != "utf-8":
            out["encoding"] = self.encoding
        if self.meta:
            out["meta"] = self.meta
        return out
