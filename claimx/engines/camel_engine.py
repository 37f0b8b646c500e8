"""The camel engine: CAMeL Tools' morphological analyser for words the lexicon does not know.

The cue lexicon lists the inflections news uses, but Arabic has more (تصرّحان، ونوّهتا،
فأكّدتا). For such words the analyser gives lemmas (`lex`) and a clitic segmentation
(`atbtok`, e.g. و+_أكدت), so claimx can recognise a cue by its lemma and know where the
stem starts in the raw text.

Needs `pip install 'claimx[camel]'` and CAMeL's morphology database, installed by the
user: `camel_data -i morphology-db-msa-r13` (or `claimx models download --engine camel`).
Nothing is downloaded here.

    engine = CamelEngine()                      # the DB camel_data installed
    engine = CamelEngine(db_path="x/morphology.db")
    engine.lemmas("وصرّحت")                     # ['صرح', …]
    engine.cue_candidates(text, lexicons.cues)  # cues by lemma, with raw offsets
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import EngineUnavailable
from . import install_hint
from .align import plain, split_token

DB_PACKAGE = "morphology-db-msa-r13"
DB_NAME = "calima-msa-r13"
DB_RELPATH = Path("data") / "morphology_db" / DB_NAME / "morphology.db"
INSTALL_DB = f"camel_data -i {DB_PACKAGE}"

_AR_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u0640\u064b-\u065f\u0670\u0671-\u06d3]+")


def _camel_data_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("CAMELTOOLS_DATA"):
        dirs.append(Path(os.environ["CAMELTOOLS_DATA"]).expanduser())
    dirs.append(Path.home() / (".camel_tools" if sys.platform != "win32" else "AppData/Roaming/camel_tools"))
    return dirs


def find_db(db_path: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None) -> Path:
    """The morphology DB file: `db_path` (a file, or a folder holding one), else
    `data_dir`/CAMELTOOLS_DATA/~/.camel_tools + data/morphology_db/calima-msa-r13/."""
    tried = []
    if db_path is not None:
        p = Path(db_path).expanduser()
        for cand in (p, p / "morphology.db", p / DB_RELPATH):
            tried.append(str(cand))
            if cand.is_file():
                return cand
        raise EngineUnavailable(f"no CAMeL morphology database at {p} (tried {', '.join(tried)})")
    roots = ([Path(data_dir).expanduser()] if data_dir is not None else []) + _camel_data_dirs()
    for root in roots:
        cand = root / DB_RELPATH
        tried.append(str(cand))
        if cand.is_file():
            return cand
    raise EngineUnavailable(
        f"the camel engine needs CAMeL's morphology database; none in {', '.join(tried)}. "
        f"Install it with: {INSTALL_DB} (or: claimx models download --engine camel)")


def _minimal_catalogue() -> Path:
    """A data folder whose catalogue lists nothing.

    Importing camel_tools.morphology imports camel_tools.data, which reads a catalogue at
    import time and tries to download one when there is none. A user who ran camel_data has
    one; for a DB given by path (we load it by path, never through the catalogue) an empty
    catalogue keeps the import offline.
    """
    folder = Path(tempfile.gettempdir()) / "claimx-camel-offline"
    cat = folder / "catalogue.json"
    if not cat.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = cat.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": "claimx-offline", "packages": {}, "components": {}}), encoding="utf-8")
        os.replace(tmp, cat)
    return folder


def import_camel(db: Path):
    """Import the analyser classes without network access; EngineUnavailable if missing."""
    if "camel_tools.data" not in sys.modules:
        dirs = _camel_data_dirs()
        if not any((d / "catalogue.json").is_file() for d in dirs[:1]):
            root = db.parents[3] if len(db.parents) > 3 and db.parents[1].name == "morphology_db" else None
            folder = root if root is not None and (root / "catalogue.json").is_file() else _minimal_catalogue()
            old = os.environ.get("CAMELTOOLS_DATA")
            os.environ["CAMELTOOLS_DATA"] = str(folder)
            try:
                return _import()
            finally:
                if old is None:
                    os.environ.pop("CAMELTOOLS_DATA", None)
                else:
                    os.environ["CAMELTOOLS_DATA"] = old
    return _import()


def _import():
    try:
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB
    except ImportError as exc:
        raise EngineUnavailable(f"the camel engine needs the 'camel-tools' package ({exc}); {install_hint('camel')}") from exc
    return MorphologyDB, Analyzer


def _fold(s: str) -> str:
    from ..normalize import fold

    return fold(plain(s))


@dataclass(frozen=True)
class Segment:
    """One clitic or stem of a word; offsets relative to the word."""

    text: str
    start: int
    end: int
    role: str  # proclitic | stem | enclitic


class CamelEngine:
    """CAMeL morphology over one DB; analyses are cached per word."""

    name = "camel"

    def __init__(self, db_path: str | os.PathLike | None = None, data_dir: str | os.PathLike | None = None,
                 cache_size: int = 100_000):
        self.db_path = find_db(db_path, data_dir)
        MorphologyDB, Analyzer = import_camel(self.db_path)
        try:
            self.db = MorphologyDB(str(self.db_path), "a")
        except Exception as exc:  # camel raises its own DatabaseParseError and plain IO errors
            raise EngineUnavailable(f"{self.db_path}: not a CAMeL morphology database ({exc}); "
                                    f"reinstall it with: {INSTALL_DB}") from exc
        self.analyzer = Analyzer(self.db, backoff="NONE", cache_size=cache_size)

    def analyses(self, word: str) -> list[dict]:
        return self.analyzer.analyze(word)

    def refine(self, text: str, records: list[dict]) -> list[dict]:
        """The camel engine adds cues (`cue_candidates`); it leaves records as they are."""
        return records

    def lemmas(self, word: str) -> list[str]:
        """Distinct lemmas (diacritics removed), in the analyser's order."""
        out: list[str] = []
        for a in self.analyses(word):
            lex = plain(a.get("lex", ""))
            if lex and lex not in out:
                out.append(lex)
        return out

    def segment(self, word: str, analysis: dict | None = None) -> list[Segment] | None:
        """Clitic segmentation of a raw word from an analysis's ATB tokens (و+_أكدت+_ها).

        None when the word has no analysis or the pieces cannot be laid over the raw word.
        """
        if analysis is None:
            found = self.analyses(word)
            if not found:
                return None
            analysis = found[0]
        tok = analysis.get("atbtok") or analysis.get("d3tok")
        if not tok:
            return [Segment(word, 0, len(word), "stem")]
        pieces = [p for p in tok.split("_") if p]
        forms = [p.strip("+") for p in pieces]
        spans = split_token(word, forms) if len(forms) > 1 else [(0, len(word))]
        if spans is None:
            return None
        stem_at = next((k for k, p in enumerate(pieces) if not p.endswith("+") and not p.startswith("+")), 0)
        out = []
        for k, (p, (s, e)) in enumerate(zip(pieces, spans)):
            role = "stem" if k == stem_at else ("proclitic" if k < stem_at else "enclitic")
            out.append(Segment(word[s:e], s, e, role))
        return out

    def cue_candidates(self, text: str, cues: Iterable, skip: set[tuple[int, int]] = frozenset()) -> list[dict]:
        """Words of `text` whose lemma is a cue lemma but whose form the lexicon does not list.

        `cues` are lexicon entries (`claimx.lexicon.CueEntry`: id, lemma, type, pos, forms);
        `skip` holds raw (start, end) spans already matched. Each candidate's span is the
        stem with its suffixes: proclitics (و ف س …) are outside it, as in the rules' cues.
        """
        by_lemma: dict[str, list] = {}
        known: set[str] = set()
        for entry in cues:
            by_lemma.setdefault(_fold(entry.lemma), []).append(entry)
            known.update(_fold(f) for f in entry.forms)
        out = []
        for m in _AR_WORD.finditer(text):
            if (m.start(), m.end()) in skip:
                continue
            word = m.group()
            segs = None
            for a in self.analyses(word):
                entries = by_lemma.get(_fold(a.get("lex", "")))
                if not entries:
                    continue
                segs = self.segment(word, a)
                if not segs:
                    continue
                first = next(k for k, sg in enumerate(segs) if sg.role != "proclitic")
                s = m.start() + segs[first].start
                e = m.end()
                if _fold(text[s:e]) in known:
                    break  # the lexicon knows this form: the rules have it
                entry = entries[0]
                out.append({"text": text[s:e], "start": s, "end": e, "lemma": entry.lemma, "type": entry.type,
                            "entry": entry.id, "engine": "camel",
                            "analysis": {k: a.get(k) for k in ("lex", "pos", "atbtok", "diac")},
                            "segments": [{"text": sg.text, "start": m.start() + sg.start,
                                          "end": m.start() + sg.end, "role": sg.role} for sg in segs]})
                break
        return out
