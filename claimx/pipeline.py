"""The pipeline: one document in, records out.

    io → normalize → segment → (gazetteer) → extract → records

`Pipeline` holds everything that is loaded once (lexicons, gazetteer) and is
cheap to pickle by configuration, so worker processes rebuild it themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .extract import find_claims, to_records
from .lexicon import Lexicons, default_lexicons
from .model import Document
from .segment import split_sentences, tokens

DOC_SCHEMA = "claimx.doc/1"

# Bylines and footers that name the outlet: "المصدر : الجزيرة + الفرنسية",
# "السورية نت - …", "الدرر الشامية:", "(فرانس برس)".
_OUTLET_FOOTER = re.compile(r"^[ \t]*(?:ال)?مصدر[ \t]*[:：][ \t]*(?P<name>[^\n+|،,]{2,40}?)[ \t]*(?:[+|،,\n]|$)", re.M)
_OUTLET_LEAD = re.compile(r"^[ \t]*(?P<name>[^\W\d_][^\n:\-–—]{1,28}?)[ \t]*(?:[-–—]|:)[ \t]+\S", re.M)


@dataclass
class Options:
    """Everything besides the input that can change the output."""

    gazetteers: tuple[str, ...] = ()
    cues: str | None = None
    hedges: str | None = None
    engine: str = "light"
    tokens: bool = False
    extra: dict = field(default_factory=dict)

    def key(self) -> str:
        return repr((self.gazetteers, self.cues, self.hedges, self.engine, self.tokens, sorted(self.extra.items())))


class Pipeline:
    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        o = self.options
        self.lexicons: Lexicons = default_lexicons() if not (o.cues or o.hedges) else Lexicons(o.cues, o.hedges)
        self._gazetteer = None

    @property
    def gazetteer(self):
        """The gazetteer tagger, loaded on first use (None when not available)."""
        if self._gazetteer is None:
            try:
                from .gazetteer import load_gazetteer
            except ImportError:
                self._gazetteer = False
            else:
                self._gazetteer = load_gazetteer(self.options.gazetteers)
        return self._gazetteer or None

    # -- stages -------------------------------------------------------------
    def outlet(self, doc: Document) -> dict | None:
        meta_outlet = doc.meta.get("outlet") if isinstance(doc.meta, dict) else None
        head = doc.text[:400]
        tail_start = max(0, len(doc.text) - 400)
        candidates = []
        for m in _OUTLET_FOOTER.finditer(doc.text, tail_start):
            candidates.append((m.start("name"), m.end("name")))
        for m in _OUTLET_LEAD.finditer(head):
            if len(m.group("name").split()) <= 3:
                candidates.append((m.start("name"), m.end("name")))
                break
        if not candidates:
            return {"text": str(meta_outlet), "start": None, "end": None, "entity": None} if meta_outlet else None
        s, e = candidates[0]
        return {"text": doc.text[s:e], "start": s, "end": e, "entity": None}

    def normalize(self, doc: Document) -> dict:
        n = doc.normalized
        rec = {
            "schema": DOC_SCHEMA,
            "id": doc.id,
            "doc": doc.info(self.outlet(doc)),
            "text": doc.text,
            "normalized": {"text": n.text, "steps": list(n.steps)},
            "sentences": [
                {"index": s.index, "start": s.start, "end": s.end, "text": doc.text[s.start:s.end]}
                for s in split_sentences(doc)
            ],
        }
        if self.options.tokens:
            rec["tokens"] = [[s, e] for s, e in tokens(doc)]
        return rec

    def tag(self, doc: Document) -> dict:
        """The document record with its place, actor and source mentions (`claimx tag`)."""
        gaz = self.gazetteer
        if gaz is None:
            from .errors import ClaimxError

            raise ClaimxError("the gazetteer is not available in this installation; reinstall claimx")
        return gaz.record(doc, self.outlet(doc))

    def extract(self, doc: Document) -> list[dict]:
        sentences = split_sentences(doc)
        drafts = find_claims(doc, self.lexicons, sentences)
        records = to_records(doc, drafts, self.lexicons, self.outlet(doc))
        gaz = self.gazetteer
        if gaz is not None and records:
            gaz.attach(doc, records)
        return records
