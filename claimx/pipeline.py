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
_COPYRIGHT = re.compile(r"©|جميع الحقوق|حقوق النشر|حقوق الطبع|كل الحقوق")


def _copyright_lines(text: str) -> list[re.Match]:
    """The copyright marks of a page. Most texts have none, and two substring tests are far
    cheaper than trying the alternation at every character of a long page."""
    if "©" not in text and "حقوق" not in text:  # every other alternative contains حقوق
        return []
    return list(_COPYRIGHT.finditer(text))
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
        self._engine = None
        self._url_index: dict | None = None
        if o.gazetteers:
            self.gazetteer  # extension files named by the user are checked up front, before any input

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

    @property
    def engine(self):
        """The optional engine (stanza) that refines the rules' claims; None for light."""
        if self._engine is None and self.options.engine != "light":
            from .engines import load_engine

            self._engine = load_engine(self.options.engine, **self.options.extra)
        return self._engine

    # -- stages -------------------------------------------------------------
    def outlet(self, doc: Document, mentions: list[dict] | None = None) -> dict | None:
        """The outlet that published the article, when the text or its URL says so.

        In order: a source footer ("المصدر : الجزيرة"); the page URL's domain
        (`doc.meta.url`) matched to a gazetteer source's `url`; a byline opening
        the text ("السورية نت - …", "الدرر الشامية:"), kept only when it names a
        gazetteer source (when `mentions` are given); a source named next to a
        copyright notice; finally `doc.meta.outlet`.
        """
        meta = doc.meta if isinstance(doc.meta, dict) else {}
        for m in _OUTLET_FOOTER.finditer(doc.text, max(0, len(doc.text) - 400)):
            return self._outlet_span(doc, m.start("name"), m.end("name"), mentions)
        by_url = self._outlet_from_url(meta.get("url"))
        if by_url is not None:
            return by_url
        for m in _OUTLET_LEAD.finditer(doc.text[:400]):
            if len(m.group("name").split()) <= 3:
                lead = self._outlet_span(doc, m.start("name"), m.end("name"), mentions)
                if mentions is None or lead["entity"]:
                    return lead
            break
        for m in _copyright_lines(doc.text):
            near = [x for x in mentions or () if x["type"] == "source" and x["id"]
                    and abs(x["start"] - m.start()) < 80]
            if near:
                return {"text": near[0]["text"], "start": near[0]["start"], "end": near[0]["end"], "entity": near[0]["id"]}
        if meta.get("outlet"):
            return {"text": str(meta["outlet"]), "start": None, "end": None, "entity": None}
        return None

    @staticmethod
    def _tagged_spans(doc: Document, drafts) -> list[tuple[int, int]]:
        """The raw stretches whose mentions the records and `outlet` read: the claims'
        spans, the outlet's footer and byline candidates, and copyright lines.
        Tagging all of a long scraped page would cost more than the claim stage."""
        n = doc.normalized
        spans = [n.to_raw(*x) for d in drafts for x in (d.source, d.recipient, d.via, d.content) if x]
        size = len(doc.text)
        spans += [m.span("name") for m in _OUTLET_FOOTER.finditer(doc.text, max(0, size - 400))]
        spans += [m.span("name") for m in _OUTLET_LEAD.finditer(doc.text[:400])][:1]
        spans += [(max(0, m.start() - 80), min(size, m.end() + 80)) for m in _copyright_lines(doc.text)]
        return spans

    @staticmethod
    def _outlet_span(doc: Document, s: int, e: int, mentions: list[dict] | None) -> dict:
        inside = [x for x in mentions or () if s <= x["start"] and x["end"] <= e and x["type"] == "source" and x["id"]]
        return {"text": doc.text[s:e], "start": s, "end": e, "entity": inside[0]["id"] if inside else None}

    def _outlet_from_url(self, url) -> dict | None:
        if not isinstance(url, str) or not url or self.gazetteer is None:
            return None
        from urllib.parse import urlsplit

        parsed = urlsplit(url if "//" in url else "//" + url)
        host, path = (parsed.hostname or "").lower(), parsed.path.lower()
        if self._url_index is None:  # host → [(path prefix, entry)], longest prefix first
            index: dict = {}
            for e in self.gazetteer.entries:
                if getattr(e, "url", None):
                    h, _, p = e.url.lower().partition("/")
                    index.setdefault(h, []).append(("/" + p if p else "", e))
            self._url_index = {h: sorted(v, key=lambda x: -len(x[0])) for h, v in index.items()}
        parts = host.split(".")
        for k in range(len(parts) - 1):  # arabic.rt.com → rt.com
            for prefix, entry in self._url_index.get(".".join(parts[k:]), ()):
                if path.startswith(prefix):
                    return {"text": entry.name, "start": None, "end": None, "entity": entry.id}
        return None

    def normalize(self, doc: Document) -> dict:
        n = doc.normalized
        rec = {
            "schema": DOC_SCHEMA,
            "id": doc.id,
            "doc": doc.info(self.outlet(doc)),
            "text": doc.text,
            "normalized": {"text": n.text, "steps": list(n.steps)},
            "sentences": [
                {"index": s.index, "start": s.start, "end": s.end, "text": doc.text[s.start:s.end],
                 "boilerplate": s.boilerplate}
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
        mentions = gaz.tag(doc)
        return {"schema": DOC_SCHEMA, "id": doc.id, "doc": doc.info(self.outlet(doc, mentions)), "text": doc.text,
                "mentions": mentions}

    def extract(self, doc: Document) -> list[dict]:
        sentences = split_sentences(doc)
        extra = None
        if self.engine is not None and hasattr(self.engine, "cue_candidates"):
            extra = self.engine.cue_candidates(doc.text, self.lexicons.cues)  # camel: unlisted forms of cue lemmas
        drafts = find_claims(doc, self.lexicons, sentences, extra)
        if not drafts:
            return []
        gaz = self.gazetteer
        spans = self._tagged_spans(doc, drafts)
        mentions = gaz.tag(doc, spans) if gaz is not None else None
        records = to_records(doc, drafts, self.lexicons, self.outlet(doc, mentions))
        if self.engine is not None:
            records = self.engine.refine(doc.text, records)
            for r in records:
                r["evidence"]["engine"] = self.engine.name
            if gaz is not None:  # the parse may move spans: tag what the records now cover
                spans += [(r[k]["start"], r[k]["end"]) for r in records
                          for k in ("source", "recipient", "via", "content") if r.get(k)]
                mentions = gaz.tag(doc, spans)
        if gaz is not None:
            gaz.attach(doc, records, mentions)
        return records
