"""Offset-preserving Arabic normalisation.

`normalize(raw)` builds the *matching view* of a text: letter variants folded,
diacritics and invisible characters dropped, spaces unified. It never changes
the raw text; instead it returns an offset map so that any span found in the
view maps back to the exact raw characters it came from.

This is the only module that folds letters. Lexicons and the gazetteer pass
their entries through `fold()` so that both sides of a match see the same view.

    >>> n = normalize("قالَ مصدرٌ «محلي»")
    >>> n.text
    'قال مصدر "محلي"'
    >>> n.to_raw(4, 8)
    (5, 10)
"""
from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# --- character classes (why each exists is in the step names below) ---------

DIACRITICS = (
    "\u0610-\u061a"  # Quranic honorifics and small marks
    "\u064b-\u065f"  # harakat, tanwin, shadda, sukun, hamza above/below marks
    "\u0670"  # superscript (dagger) alef
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"  # Quranic annotation marks
    "\u08d3-\u08e1\u08e3-\u08ff"  # extended Arabic marks
)
TATWEEL = "\u0640"
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u200b-\u200f"  # zero-width space/joiners, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u2069"  # word joiner, invisible operators, bidi isolates
    "\ufeff"  # BOM / zero-width no-break space inside the text
)
SPACES = "\t\u000b\u000c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000 "
_SPACE_SET = frozenset("\t\u000b\u000c\u00a0\u1680\u202f\u205f\u3000 ") | {chr(c) for c in range(0x2000, 0x200B)}

_DIACRITIC_SET = frozenset(
    chr(c) for c in range(0x0600, 0x0900) if re.match(f"[{DIACRITICS}]", chr(c))
)

# Characters whose NFKC form differs and that are not handled by a cheaper step:
# presentation forms (ligatures such as ﻻ ﷲ), full-width forms, circled digits…
_NFKC_RANGES = "\ufb50-\ufdff\ufe70-\ufefe\ufb00-\ufb4f\uff01-\uffee\u2460-\u24ff\u2150-\u218f"

# One pass finds every character that deletes or expands; everything else is 1:1.
_SPECIAL = re.compile(
    # A run of spaces (with invisibles or marks between them) collapses to one space.
    f"(?P<ws>[{SPACES}][{SPACES}{DIACRITICS}{TATWEEL}{INVISIBLE}]*[{SPACES}])|(?P<cr>\r)|(?P<del>[{DIACRITICS}{TATWEEL}{INVISIBLE}])|(?P<nfkc>[{_NFKC_RANGES}])"
)

_DELETABLE = re.compile(f"[{DIACRITICS}{TATWEEL}{INVISIBLE}]")

# `_SPECIAL` is an alternation, so the regex engine tries it at every character
# (~70 ns each); these two single-class patterns skip along in C. Together they
# find a text `_SPECIAL` has nothing to do in: no CR, mark, invisible or NFKC
# character, and then a run of spaces needs two spaces in a row.
_SPECIAL_CHAR = re.compile(f"[\r{DIACRITICS}{TATWEEL}{INVISIBLE}{_NFKC_RANGES}]")
_SPACE_PAIR = re.compile(f"[{SPACES}][{SPACES}]")

# 1:1 folds, each a named step so provenance can say which of them fired.
_FOLDS: dict[str, dict[str, str]] = {
    "alef": {c: "\u0627" for c in "\u0623\u0625\u0622\u0671\u0672\u0673"},
    "alef_maqsura": {"\u0649": "\u064a", "\u06cc": "\u064a"},  # ى and Persian yeh → ي
    "teh_marbuta": {"\u0629": "\u0647"},  # ة → ه (matching only)
    "kaf": {"\u06a9": "\u0643"},  # Persian keheh → ك
    "digits": {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    },
    "spaces": {c: " " for c in "\t\u000b\u000c\u00a0\u1680\u202f\u205f\u3000"}
    | {chr(c): " " for c in range(0x2000, 0x200B)},
    "quotes": {c: '"' for c in "\u00ab\u00bb\u201c\u201d\u201f\u201e\u2033\u2039\u203a"},
    "punctuation": {"\u060c": ",", "\u061b": ";", "\u061f": "?", "\u066b": ".", "\u066c": ","},
}
_STEP_ORDER = (
    "nfkc", "diacritics", "tatweel", "invisible", "line_ends",
    *_FOLDS,
)


@dataclass(frozen=True)
class NormalizeConfig:
    """Which steps run. The defaults are what every stage and lexicon uses."""

    teh_marbuta: bool = True
    alef_maqsura: bool = True
    punctuation: bool = True


DEFAULT_CONFIG = NormalizeConfig()


def _table(config: NormalizeConfig) -> dict[int, str]:
    table: dict[int, str] = {}
    for step, mapping in _FOLDS.items():
        if getattr(config, step, True):
            table.update({ord(k): v for k, v in mapping.items()})
    return table


def _folds(config: NormalizeConfig) -> tuple[tuple[str, str, tuple[str, ...]], ...] | None:
    """The 1:1 folds as (character, replacement, steps naming it), for `str.replace`:
    one C scan per character is ~15 times faster than `str.translate` with a dict.
    None when a replacement holds a folded character (then only translate is right)."""
    table = _table(config)
    keys = {chr(k) for k in table}
    if any(c in keys for v in table.values() for c in v):
        return None
    named = {c: tuple(step for step, mapping in _FOLDS.items() if getattr(config, step, True) and c in mapping)
             for c in keys}
    return tuple((chr(k), v, named[chr(k)]) for k, v in table.items())


_TABLES: dict[NormalizeConfig, dict[int, str]] = {}
_FOLD_LISTS: dict[NormalizeConfig, tuple | None] = {}


@dataclass(frozen=True)
class NormalizedText:
    """The matching view of a raw text and the map back to it."""

    raw: str
    text: str
    # starts[i] = raw index of the character that produced view character i;
    # None when the view is aligned 1:1 with the raw text.
    starts: array | None
    steps: tuple[str, ...]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span [start, end) to the raw span that produced it.

        Combining marks that follow the last character stay with it, so a span
        ending in "صد" of "صدّ" covers the shadda too.
        """
        if start >= end:
            pos = self._raw_pos(start)
            return pos, pos
        if self.starts is None:
            rs, re_ = start, end
        else:
            rs = self.starts[start]
            re_ = self.starts[end - 1] + 1
        raw = self.raw
        while re_ < len(raw) and raw[re_] in _DIACRITIC_SET:
            re_ += 1
        return rs, re_

    def _raw_pos(self, pos: int) -> int:
        if self.starts is None:
            return pos
        if pos < len(self.starts):
            return self.starts[pos]
        return len(self.raw)

    def raw_to_view(self, raw_pos: int) -> int:
        """The first view index whose source is at or after raw_pos."""
        if self.starts is None:
            return raw_pos
        from bisect import bisect_left

        return bisect_left(self.starts, raw_pos)


def _deletion_step(ch: str) -> str:
    return "tatweel" if ch == TATWEEL else "diacritics" if ch in _DIACRITIC_SET else "invisible"


def _expand(ch: str) -> str:
    """NFKC of one character, with the deletions applied to the expansion too."""
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(c for c in out if c not in _DIACRITIC_SET and c != TATWEEL)
    # Isolated forms of marks (e.g. U+FC5E) expand to a space plus marks: a mark, so drop it.
    return out if out.strip() else ""


def normalize(raw: str, config: NormalizeConfig = DEFAULT_CONFIG) -> NormalizedText:
    """Build the matching view of `raw`. Never fails on any str."""
    steps: set[str] = set()
    if (_SPECIAL_CHAR.search(raw) is None and _SPACE_PAIR.search(raw) is None):
        view, starts = raw, None
    else:
        parts: list[str] = []
        starts = array("l")
        last = 0
        for m in _SPECIAL.finditer(raw):
            p = m.start()
            if p > last:
                parts.append(raw[last:p])
                starts.extend(range(last, p))
            kind = m.lastgroup
            if kind == "ws":
                parts.append(" ")  # a run of spaces becomes one space
                starts.append(p)
                steps.add("spaces")
                for ch in m.group():
                    if ch not in _SPACE_SET:
                        steps.add(_deletion_step(ch))
            elif kind == "cr":
                q = p + 1
                while q < len(raw) and _DELETABLE.match(raw, q):
                    q += 1  # marks or invisibles between CR and LF still make a CRLF
                if q < len(raw) and raw[q] == "\n":
                    pass  # CRLF: the LF that follows stands for the line end
                else:
                    parts.append("\n")
                    starts.append(p)
                steps.add("line_ends")
            elif kind == "del":
                steps.add(_deletion_step(raw[p]))
            else:
                exp = _expand(raw[p])
                parts.append(exp)
                starts.extend([p] * len(exp))
                if exp != raw[p]:
                    steps.add("nfkc")
            last = m.end()
        if last < len(raw):
            parts.append(raw[last:])
            starts.extend(range(last, len(raw)))
        view = "".join(parts)
    try:
        folds = _FOLD_LISTS[config]
    except KeyError:
        folds = _FOLD_LISTS[config] = _folds(config)
    if folds is not None:
        folded = view
        for ch, to, named in folds:
            if ch in folded:  # a replacement is never a folded character: the order does not matter
                folded = folded.replace(ch, to)
                steps.update(named)
    else:
        table = _TABLES.get(config)
        if table is None:
            table = _TABLES[config] = _table(config)
        folded = view.translate(table)
        if folded != view:
            for step, mapping in _FOLDS.items():
                if getattr(config, step, True) and any(c in view for c in mapping):
                    steps.add(step)
    view = sys.intern(folded) if len(folded) < 64 else folded
    ordered = tuple(s for s in _STEP_ORDER if s in steps)
    return NormalizedText(raw, view, starts, ordered)


# 8,192 words: a worker of `extract` reaches it within a few hundred articles (about 8,600
# distinct words in 500 Baly articles), so its memory stops growing there, not with the
# corpus; the words asked most stay (least recently used out).
@lru_cache(maxsize=8192)
def fold(s: str, config: NormalizeConfig = DEFAULT_CONFIG) -> str:
    """The matching view of a lexicon or gazetteer string (no offsets needed)."""
    return normalize(s, config).text.strip()


def replay(raw: str, steps: tuple[str, ...]) -> str:
    """Re-run only the named steps; replaying a text's own steps reproduces its view.

    Used by tests to prove provenance is complete and truthful.
    """
    out = []
    if "nfkc" in steps:
        raw = "".join(_expand(c) if re.match(f"[{_NFKC_RANGES}]", c) else c for c in raw)
    drop = ""
    if "diacritics" in steps:
        drop += DIACRITICS
    if "tatweel" in steps:
        drop += TATWEEL
    if "invisible" in steps:
        drop += INVISIBLE
    if drop:
        raw = re.sub(f"[{drop}]", "", raw)
    if "line_ends" in steps:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "spaces" in steps:
        raw = re.sub(f"[{SPACES}]{{2,}}", " ", raw)
    table = {}
    for step, mapping in _FOLDS.items():
        if step in steps:
            table.update({ord(k): v for k, v in mapping.items()})
    out.append(raw.translate(table))
    return "".join(out)
