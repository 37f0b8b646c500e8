"""Cue and hedge lexicons: load, validate, compile to matchers.

Both are YAML data files in `claimx/lexicons/` (format: lexicons/README.md).
Validation errors name the file, the line and the key, and say what is allowed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import LexiconError
from .match import ARTICLE_PREFIXES, NOUN_PREFIXES, PRONOUN_SUFFIXES, VERB_PREFIXES, MultiMatcher, PhraseMatcher
from .normalize import fold

CUE_TYPES = ("say", "announce", "confirm", "deny", "doubt", "allege", "estimate", "opinion", "according_to", "rumor")
CUE_POS = ("verb", "participle", "passive", "prep", "noun", "phrase", "predicate")
CUE_NEEDS = ("complement", "direct", "an_or_an", "clause")
HEDGE_TYPES = ("modal", "approximation", "preliminary", "unverified", "distancing", "estimate")


@dataclass(frozen=True)
class CueEntry:
    id: str
    lemma: str
    type: str
    pos: str
    forms: tuple[str, ...]
    needs: str | None = None
    no_enclitic: bool = False


@dataclass(frozen=True)
class HedgeEntry:
    id: str
    type: str
    forms: tuple[str, ...]


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping (for error messages)."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

if getattr(yaml, "__with_libyaml__", False):
    class _CLineLoader(yaml.CSafeLoader):
        """The same with libyaml's parser: every process starts by reading the lexicons."""

    _CLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
else:  # pragma: no cover - PyYAML without libyaml
    _CLineLoader = None


def load_yaml_with_lines(path: str, text: str):
    if _CLineLoader is not None:
        try:
            return yaml.load(text, Loader=_CLineLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass  # the pure-Python parser below says what is wrong in its own words
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise LexiconError(path, f"not valid YAML: {getattr(e, 'problem', e)}", mark.line + 1 if mark else None) from None


def _entries(path: str, data, key: str) -> list[dict]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise LexiconError(path, f"the file must hold a mapping with a list under '{key}'", key=key)
    return data[key]


def _check(path, item, allowed: dict[str, tuple], required: tuple[str, ...]) -> None:
    if not isinstance(item, dict):
        raise LexiconError(path, "each entry must be a mapping")
    line = item.get("__line__")
    for k in item:
        if k != "__line__" and k not in allowed:
            raise LexiconError(path, f"unknown key (allowed: {', '.join(allowed)})", line, k)
    for k in required:
        if k not in item:
            raise LexiconError(path, "missing required key", line, k)
    for k, values in allowed.items():
        if k in item and values and item[k] not in values:
            raise LexiconError(path, f"must be one of {', '.join(values)} (got {item[k]!r})", line, k)
    forms = item.get("forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise LexiconError(path, "must be a non-empty list of non-empty strings", line, "forms")


def parse_cues(path: str, text: str, data=None) -> list[CueEntry]:
    allowed = {"id": (), "lemma": (), "type": CUE_TYPES, "pos": CUE_POS, "forms": (), "needs": CUE_NEEDS, "no_enclitic": (),
               "split": ()}
    out, seen = [], set()
    data = load_yaml_with_lines(path, text) if data is None else data
    for item in _entries(path, data, "cues"):
        _check(path, item, allowed, ("id", "lemma", "type", "pos", "forms"))
        if item["id"] in seen:
            raise LexiconError(path, f"duplicate id {item['id']!r}", item["__line__"], "id")
        seen.add(item["id"])
        if "no_enclitic" in item and not isinstance(item["no_enclitic"], bool):
            raise LexiconError(path, f"must be true or false (got {item['no_enclitic']!r})", item["__line__"], "no_enclitic")
        forms = tuple(item["forms"])
        if "split" in item:
            forms += _split_forms(path, item)
        out.append(CueEntry(item["id"], item["lemma"], item["type"], item["pos"], forms, item.get("needs"),
                            bool(item.get("no_enclitic", False))))
    return out


def _split_forms(path: str, item: dict) -> tuple[str, ...]:
    """The forms as the Baly corpus writes a word whose shadda it dropped: a space after the
    doubled letter ("أكّد" -> "أك د", "ادّعى" -> "اد عى"). `split` is that letter and the next
    one, as the forms write them ("كد"); every form holding the pair gets a split twin."""
    pair = item["split"]
    if not isinstance(pair, str) or len(pair) != 2 or not pair.isalpha():
        raise LexiconError(path, f"must be two letters: the doubled one and the next (got {pair!r})", item["__line__"], "split")
    twins = tuple(f.replace(pair, pair[0] + " " + pair[1], 1) for f in item["forms"] if pair in f)
    if not twins:
        raise LexiconError(path, f"no form holds {pair!r}", item["__line__"], "split")
    return twins


def parse_not_cues(path: str, text: str, key: str = "not_cues", data=None) -> list[str]:
    """Whole words that look like clitic + cue but are not (فرات is not ف + رأت).

    `not_cues` are compared in the folded view; `not_cues_exact` against the raw
    word without diacritics, for spellings the fold merges (رأي the noun, رأى the verb).
    """
    data = load_yaml_with_lines(path, text) if data is None else data
    words = data.get(key, []) if isinstance(data, dict) else []
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise LexiconError(path, "must be a list of non-empty strings", key=key)
    return words


def parse_hedges(path: str, text: str) -> list[HedgeEntry]:
    allowed = {"id": (), "type": HEDGE_TYPES, "forms": ()}
    out = []
    for item in _entries(path, load_yaml_with_lines(path, text), "hedges"):
        _check(path, item, allowed, ("id", "type", "forms"))
        out.append(HedgeEntry(item["id"], item["type"], tuple(item["forms"])))
    return out


def _read(name: str, path: str | Path | None) -> tuple[str, str]:
    if path is None:
        return f"claimx/lexicons/{name}", resources.files("claimx.lexicons").joinpath(name).read_text("utf-8")
    try:
        return str(path), Path(path).read_text("utf-8")
    except OSError as e:
        raise LexiconError(str(path), f"cannot read: {e.strerror or e}") from None


class Lexicons:
    """The compiled cue and hedge lexicons used by the claim stage."""

    def __init__(self, cues_path: str | Path | None = None, hedges_path: str | Path | None = None):
        cue_name, cue_text = _read("cues.yaml", cues_path)
        hedge_name, hedge_text = _read("hedges.yaml", hedges_path)
        cue_data = load_yaml_with_lines(cue_name, cue_text)  # parsed once for the three readers
        self.cues = parse_cues(cue_name, cue_text, cue_data)
        self.not_cues = frozenset(fold(w) for w in parse_not_cues(cue_name, cue_text, data=cue_data))
        self.not_cues_raw = frozenset(parse_not_cues(cue_name, cue_text, "not_cues_exact", cue_data))
        self.hedges = parse_hedges(hedge_name, hedge_text)
        self.hash = hashlib.sha256((cue_text + "\0" + hedge_text).encode()).hexdigest()
        self.cue_matcher = PhraseMatcher(VERB_PREFIXES | NOUN_PREFIXES, PRONOUN_SUFFIXES)
        self.noun_cue_matcher = PhraseMatcher(NOUN_PREFIXES)
        for entry in self.cues:
            target = self.cue_matcher if entry.pos in ("verb", "participle", "passive") else self.noun_cue_matcher
            for form in entry.forms:
                target.add(fold(form), entry)
        # hedge words also come with the article and a pronoun: المعلومات، معلوماتنا
        self.hedge_matcher = PhraseMatcher(NOUN_PREFIXES | VERB_PREFIXES | ARTICLE_PREFIXES, PRONOUN_SUFFIXES)
        for entry in self.hedges:
            for form in entry.forms:
                self.hedge_matcher.add(fold(form), entry)
        for m in (self.cue_matcher, self.noun_cue_matcher, self.hedge_matcher):
            m.build()
        self._scanner = MultiMatcher((self.cue_matcher, self.noun_cue_matcher, self.hedge_matcher))
        self._last_scan: tuple | None = None

    def scan(self, view: str) -> tuple[list, list, list]:
        """The cue, noun-cue and hedge matches of a view, found in one pass.

        The last view's are kept: `find_claims` and `to_records` both ask for them.
        """
        last = self._last_scan
        if last is not None and last[0] is view:
            return last[1]
        found = tuple(self._scanner.find(view))
        self._last_scan = (view, found)
        return found

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_last_scan"] = None
        return state


@lru_cache(maxsize=4)
def default_lexicons() -> Lexicons:
    return Lexicons()
