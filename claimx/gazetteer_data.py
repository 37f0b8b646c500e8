"""Load and validate the gazetteer: places, armed actors and news sources.

The data lives in YAML files (``gazetteer/places.yaml``, ``actors.yaml``,
``sources.yaml``; format documented in ``gazetteer/README.md``) that ship inside
the package as ``claimx._gazetteer``. Users add extension files on top::

    >>> entries = load_entries()                          # the default gazetteer
    >>> entries = load_entries([Path("extra.yaml")])      # default + extension

Every problem is reported with file, line and key, and what to do about it;
all problems found in one load are reported together in one GazetteerError.

Merge rule for extension files (applied in the order given): an entry whose
``id`` is new is added and must be complete. An entry whose ``id`` already
exists in an earlier file is a *patch*: it needs only ``id``; every other key
it gives replaces the earlier value, except ``aliases``, ``weak_aliases`` and
``affiliation``, which are appended to the earlier lists (duplicates dropped; a
form moved to ``weak_aliases`` leaves ``aliases``); a patch cannot change ``type``.
The default files themselves may not patch one another: an id defined twice among
them, or twice in one file, is an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claimx.errors import GazetteerError
from claimx.gazetteer_files import (  # noqa: F401 - re-exported; kept light for cache hits
    _CHECKOUT_DIR,
    _PACKAGE,
    DEFAULT_FILES,
    LOADER_VERSION,
    Entry,
    _compose_sources,
    _data_root,
    _default_sources,
    _Source,
    _sources,
    default_paths,
    gazetteer_hash,
)

__all__ = [
    "ALIGNMENTS",
    "DEFAULT_FILES",
    "SUBTYPES",
    "TYPES",
    "Entry",
    "GazetteerError",
    "default_paths",
    "gazetteer_hash",
    "index_by_id",
    "load_entries",
]

TYPES = ("place", "actor", "source")
SUBTYPES: dict[str, tuple[str, ...]] = {
    "place": (
        "country", "governorate", "district", "subdistrict", "city", "town", "village",
        "neighbourhood", "region", "facility", "water",
    ),
    "actor": (
        "state_force", "militia", "jihadist", "rebel", "kurdish", "foreign_force",
        "coalition", "government", "political", "international_org",
        # "unidentified": an armed actor the text does not name (gunmen, "the warplanes", groups the
        # outlet calls terrorist); "collective": a population acting as a party (the tribes)
        "unidentified", "collective",
    ),
    "source": (
        "news_agency", "tv", "newspaper", "website", "monitor", "ngo", "official",
    ),
}
# "militant" is beyond the five values of the original brief: it keeps armed groups' own
# media (ISIS's Amaq, HTS's Ebaa) out of "opposition", where analysts would misread them.
ALIGNMENTS = ("state", "pro-government", "opposition", "independent", "international", "militant")

_COMMON_KEYS = ("id", "name", "name_en", "type", "subtype", "aliases", "weak_aliases", "wikidata", "note")
_REQUIRED_KEYS = ("id", "name", "name_en", "type", "subtype")
_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "place": ("country", "parent", "lat", "lon", "pcode", "geonames"),
    "actor": ("affiliation", "country"),
    "source": ("alignment", "country", "url"),
}
_ALL_KEYS = frozenset(_COMMON_KEYS).union(*_TYPE_KEYS.values())
_LIST_KEYS = ("aliases", "weak_aliases", "affiliation")

_ID_RE = re.compile(r"^(place|actor|source)(/[a-z0-9]+(?:[-_.][a-z0-9]+)*)+$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_PCODE_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]*[0-9]$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_URL_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$")
_ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


# --------------------------------------------------------------------------- YAML


class _Located(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class _DuplicateKey(Exception):
    """A mapping the loader refuses: a key given twice (or a merge key)."""

    def __init__(self, key: str, line: int, message: str | None = None):
        super().__init__(key)
        self.key, self.line = key, line
        self.message = message or f"key '{key}' appears twice in one mapping; keep one"


def _construct_located(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):  # keys are compared as text in messages
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise _DuplicateKey(key, line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


class LineSafeLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are ``_Located`` dicts (line numbers, no duplicate keys)."""


LineSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located)

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _LeanConstruction:
    """Builds plain Python data from the composed node tree without PyYAML's generic
    constructor machinery (which costs ~0.5 s on the default files); scalars that are
    not strings, and any other safe tag, still go through SafeConstructor."""

    def construct_document(self, node: yaml.Node) -> Any:
        memo: dict[int, Any] = {}

        def build(n: yaml.Node) -> Any:
            if n.tag == _STR and isinstance(n, yaml.ScalarNode):
                return n.value
            if id(n) in memo:  # a YAML alias (*anchor) of a node already built
                return memo[id(n)]
            if isinstance(n, yaml.SequenceNode) and n.tag == _SEQ:
                out: list[Any] = []
                memo[id(n)] = out
                out.extend(build(v) for v in n.value)
                return out
            if isinstance(n, yaml.MappingNode) and n.tag == _MAP:
                m = memo[id(n)] = _Located()
                m.line, m.key_lines = n.start_mark.line + 1, {}
                for key_node, value_node in n.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        raise _DuplicateKey("<<", key_node.start_mark.line + 1,
                                            "merge keys (<<) are not supported; write the keys out")
                    key = build(key_node)
                    key = key if isinstance(key, str) else str(key)
                    line = key_node.start_mark.line + 1
                    if key in m:
                        raise _DuplicateKey(key, line)
                    m[key] = build(value_node)
                    m.key_lines[key] = line
                return m
            return self.construct_object(n, deep=True)  # int, float, bool, null, dates …

        return build(node)


if getattr(yaml, "__with_libyaml__", False):
    # libyaml parses and composes; the lean construction above turns nodes into data.
    class _FastLineLoader(_LeanConstruction, yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        pass

    _FAST_LOADER: type = _FastLineLoader
else:  # pragma: no cover
    class _FastLineLoader(_LeanConstruction, LineSafeLoader):  # type: ignore[no-redef]
        pass

    _FAST_LOADER = _FastLineLoader


# --------------------------------------------------------------------------- files


# --------------------------------------------------------------------------- validation


class _Problems:
    """Collects problems so that one load reports everything wrong at once.

    Each problem is (file, line, key, text); the text already names the entry and key
    so that a message reads ``FILE:LINE: entry 'ID': key 'K' must be …``.
    """

    def __init__(self) -> None:
        self.items: list[tuple[str, int, str | None, str]] = []

    def add(self, file: str, line: int, text: str, key: str | None = None) -> None:
        self.items.append((file, line, key, text))

    @property
    def messages(self) -> list[str]:
        return [f"{file}:{line}: {text}" for file, line, _, text in self.items]

    def raise_if_any(self) -> None:
        if not self.items:
            return
        order = {f: i for i, f in reversed(list(enumerate(f for f, *_ in self.items)))}
        self.items.sort(key=lambda item: (order[item[0]], item[1]))  # stable: file order, then line
        file, line, key, text = self.items[0]
        rest = self.messages[1:50]
        more = len(self.items) - 1 - len(rest)
        if rest:
            text += f"\n{len(self.items) - 1} more problem(s):\n" + "\n".join(rest)
            if more > 0:
                text += f"\n… and {more} more"
        err = GazetteerError(file, text, line=line)
        err.key = key  # structured, without repeating it in the message
        err.problems = self.messages  # type: ignore[attr-defined]
        raise err


def _describe(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value}'"


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", type(None): "empty"}.get(type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)


class _EntryChecker:
    """Validates one raw mapping and turns it into keyword arguments for Entry."""

    def __init__(self, problems: _Problems, file: str, raw: _Located, patch: bool):
        self.problems, self.file, self.raw, self.patch = problems, file, raw, patch
        self.label = f"entry '{raw['id']}'" if isinstance(raw.get("id"), str) else f"entry at line {raw.line}"
        self.ok = True

    def line_of(self, key: str) -> int:
        return self.raw.key_lines.get(key, self.raw.line)

    def fail(self, key: str | None, text: str) -> None:
        self.ok = False
        where = f"{self.label}: key '{key}'" if key else self.label
        self.problems.add(self.file, self.line_of(key) if key else self.raw.line, f"{where} {text}", key)

    def string(self, key: str, pattern: re.Pattern[str] | None = None, hint: str = "") -> str | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, bool):
            self.fail(key, f"must be a string (got {value!r}: YAML reads yes/no/on/off/NO as booleans; quote the value)")
            return None
        if isinstance(value, (int, float)) and key in ("pcode", "wikidata", "name", "name_en"):
            self.fail(key, f"must be a string (got {value!r}; quote the value)")
            return None
        if not isinstance(value, str):
            self.fail(key, f"must be a string (got {_type_name(value)})")
            return None
        if not value.strip():
            self.fail(key, "must not be empty")
            return None
        if value != value.strip():
            self.fail(key, f"has leading or trailing white space ({_describe(value)}); remove it")
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(key, f"is not valid (got {_describe(value)}); {hint}")
            return None
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.string(key)
        if value is not None and value not in allowed:
            self.fail(key, f"must be one of {', '.join(allowed)} (got {_describe(value)})")
            return None
        return value

    def number(self, key: str, low: float, high: float) -> float | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number in decimal degrees (got {_type_name(value)} {_describe(value)})")
            return None
        if not (math.isfinite(value) and low <= value <= high):
            self.fail(key, f"must be between {low:g} and {high:g} (got {value!r})")
            return None
        return float(value)

    def positive_int(self, key: str) -> int | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(key, f"must be a positive integer id (got {_describe(value)})")
            return None
        return value

    def string_list(self, key: str, pattern: re.Pattern[str] | None = None, hint: str = "") -> tuple[str, ...]:
        if key not in self.raw or self.raw[key] is None:
            return ()
        values = self.raw[key]
        if isinstance(values, str):
            self.fail(key, f"must be a list; write [{values}] or one '- item' per line")
            return ()
        if not isinstance(values, list):
            self.fail(key, f"must be a list of strings (got {_type_name(values)})")
            return ()
        out: list[str] = []
        for i, value in enumerate(values, 1):
            if not isinstance(value, str) or isinstance(value, bool):
                self.fail(key, f"item {i} must be a string (got {_type_name(value)} {_describe(value)}); quote it")
            elif not value.strip():
                self.fail(key, f"item {i} is empty; remove it")
            elif value != value.strip() or "\n" in value:
                self.fail(key, f"item {i} ({_describe(value)}) has leading/trailing white space or a line break; remove it")
            elif pattern is not None and not pattern.match(value):
                self.fail(key, f"item {i} is not valid (got {_describe(value)}); {hint}")
            elif value in out:
                self.fail(key, f"item {i} ({_describe(value)}) is listed twice; remove the duplicate")
            else:
                out.append(value)
        return tuple(out)

    def check(self, known_type: str | None) -> dict[str, Any] | None:
        raw = self.raw
        for key in raw:
            if key not in _ALL_KEYS:
                close = _closest(key, _ALL_KEYS)
                self.fail(key, "is not a known key" + (f"; did you mean '{close}'?" if close else
                          f"; allowed keys: {', '.join(sorted(_ALL_KEYS))}"))
        if not self.patch:
            for key in _REQUIRED_KEYS:
                if key not in raw or raw[key] is None or raw[key] == "":
                    self.fail(None, f"is missing required key '{key}'; add it (see gazetteer/README.md)")
        out: dict[str, Any] = {}
        out["id"] = self.string("id", _ID_RE, "ids are lowercase ascii like 'place/sy/abu-kamal', "
                                "starting with place/, actor/ or source/")
        typ = self.choice("type", TYPES)
        if typ is None and known_type is not None and "type" not in raw:
            typ = known_type
        elif self.patch and typ is not None and known_type is not None and typ != known_type:
            self.fail("type", f"cannot change an entry's type from '{known_type}' to '{typ}' in a patch")
        if out["id"] and typ and not out["id"].startswith(typ + "/"):
            self.fail("id", f"must start with '{typ}/' because the entry's type is '{typ}' (got '{out['id']}')")
        if typ:
            out["type"] = typ
            allowed = set(_COMMON_KEYS) | set(_TYPE_KEYS[typ])
            for key in raw:
                if key in _ALL_KEYS and key not in allowed:
                    self.fail(key, f"is not allowed on {'an' if typ == 'actor' else 'a'} {typ} entry (it belongs to "
                              f"{' and '.join(t for t in TYPES if key in _TYPE_KEYS[t])} entries)")
            if "subtype" in raw:
                out["subtype"] = self.choice("subtype", SUBTYPES[typ])
        out["name"] = self.string("name")
        if out["name"] and not _ARABIC_RE.search(out["name"]):
            self.fail("name", f"must be the canonical Arabic name (got {_describe(out['name'])}); "
                      "put the English form in 'name_en'")
        out["name_en"] = self.string("name_en")
        out["aliases"] = self.string_list("aliases")
        if out["name"] and out["name"] in out["aliases"]:
            self.fail("aliases", f"repeats the name {_describe(out['name'])}; remove it from aliases")
        out["weak_aliases"] = self.string_list("weak_aliases")
        for weak in out["weak_aliases"]:
            if weak in out["aliases"]:
                self.fail("weak_aliases", f"repeats the alias {_describe(weak)}; a form is either "
                          "in aliases or in weak_aliases, remove one")
        out["note"] = self.string("note")
        out["wikidata"] = self.string("wikidata", _QID_RE, "use a Wikidata QID like 'Q2429253', or leave the key out")
        out["country"] = self.string("country", _COUNTRY_RE, "use an ISO 3166 alpha-2 code like 'SY' or 'IQ'")
        # place keys
        out["parent"] = self.string("parent", _ID_RE, "use the id of the containing place")
        out["pcode"] = self.string("pcode", _PCODE_RE, "use an OCHA p-code like 'SY0902', or leave the key out")
        out["geonames"] = self.positive_int("geonames")
        out["lat"] = self.number("lat", -90.0, 90.0)
        out["lon"] = self.number("lon", -180.0, 180.0)
        if ("lat" in raw) != ("lon" in raw):
            missing = "lon" if "lat" in raw else "lat"
            self.fail(None, f"has {'lat' if missing == 'lon' else 'lon'} without '{missing}'; give both coordinates or neither")
        # actor keys
        out["affiliation"] = self.string_list("affiliation", _ID_RE, "use actor ids like 'actor/iq/pmf'")
        # source keys
        out["alignment"] = self.choice("alignment", ALIGNMENTS)
        out["url"] = self.string("url", _URL_RE, "give the bare home domain like 'aljazeera.net' (no scheme)")
        if typ == "source" and not self.patch and "alignment" not in raw:
            self.fail(None, f"is missing required key 'alignment' (one of {', '.join(ALIGNMENTS)}); "
                      "analysts weigh sources by it")
        return {k: v for k, v in out.items() if k in raw and v not in (None, ())} if self.ok else None


def _closest(key: str, options: Iterable[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


# Parsed files by content: extension loads then re-validate the default files without
# re-parsing them. Entries are only read, never mutated, after parsing.
_RAW_CACHE: dict[tuple[str, bytes], list[_Located]] = {}


def _read_raw(src: _Source, problems: _Problems) -> list[_Located]:
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        problems.add(src.display, 0, "file not found; check the path")
        return []
    except OSError as exc:
        problems.add(src.display, 0, f"cannot read the file ({exc.strerror or exc})")
        return []
    key = (src.display, hashlib.sha256(data).digest())
    if key in _RAW_CACHE:
        return _RAW_CACHE[key]
    before = len(problems.items)
    out = _parse_raw(src, data, problems)
    if len(problems.items) == before:
        if len(_RAW_CACHE) >= 16:
            _RAW_CACHE.pop(next(iter(_RAW_CACHE)))
        _RAW_CACHE[key] = out
    return out


def _load_yaml(src: _Source, data: bytes, problems: _Problems) -> Any:
    """Decode and parse one data file; on failure record a located problem and return None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(src.display, line, "is not valid UTF-8; save the file as UTF-8")
        return None
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        problems.add(src.display, exc.line, exc.message, exc.key)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problems.add(src.display, line, f"invalid YAML: {exc.problem or exc}; fix the syntax")
    except yaml.YAMLError as exc:
        problems.add(src.display, 0, f"invalid YAML: {exc}")
    return None


def _parse_raw(src: _Source, data: bytes, problems: _Problems) -> list[_Located]:
    before = len(problems.items)
    doc = _load_yaml(src, data, problems)
    if len(problems.items) != before:
        return []
    if doc is None:
        problems.add(src.display, 1, "is empty; a gazetteer file is a mapping with an 'entries:' list")
        return []
    if not isinstance(doc, _Located) or "entries" not in doc:
        problems.add(src.display, 1, "must be a mapping with an 'entries:' list at the top level")
        return []
    for key in doc:
        if key != "entries":
            problems.add(src.display, doc.key_lines[key], f"top-level key '{key}' is not known; "
                         "the only top-level key is 'entries'")
    entries = doc["entries"]
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.add(src.display, doc.key_lines["entries"], "'entries' must be a list of mappings ('- id: …')")
        return []
    out = []
    for i, item in enumerate(entries, 1):
        if not isinstance(item, _Located):
            problems.add(src.display, doc.key_lines["entries"],
                         f"item {i} of 'entries' must be a mapping with id, name, … (got {_type_name(item)})")
            continue
        out.append(item)
    return out


def _iter_checked(
    sources: list[_Source], n_default: int, problems: _Problems
) -> Iterator[tuple[_Source, _Located, dict[str, Any], bool]]:
    """Yield (source, raw, checked fields, is_patch) for each valid entry, in load order."""
    seen: dict[str, tuple[str, int, str | None]] = {}  # id -> (file, line, type)
    for index, src in enumerate(sources):
        in_file: set[str] = set()
        for raw in _read_raw(src, problems):
            rid = raw.get("id") if isinstance(raw.get("id"), str) else None
            is_patch = False
            if rid is not None and rid in in_file:
                first = seen[rid]
                problems.add(src.display, raw.key_lines.get("id", raw.line),
                             f"entry '{rid}': key 'id' is a duplicate (first defined at {first[0]}:{first[1]}); "
                             "ids must be unique, rename one or merge them")
                continue
            if rid is not None and rid in seen:
                first = seen[rid]
                if index < n_default:
                    problems.add(src.display, raw.key_lines.get("id", raw.line),
                                 f"entry '{rid}': key 'id' is a duplicate (first defined at {first[0]}:{first[1]}); "
                                 "ids must be unique across the default files")
                    continue
                is_patch = True
            checker = _EntryChecker(problems, src.display, raw, patch=is_patch)
            checked = checker.check(seen[rid][2] if is_patch and rid else None)
            if rid is not None:
                in_file.add(rid)
                if rid not in seen:
                    seen[rid] = (src.display, raw.key_lines.get("id", raw.line), checked.get("type") if checked else None)
            if checked is not None:
                yield src, raw, checked, is_patch


def _merge(old: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in patch.items():
        if key in _LIST_KEYS:
            merged[key] = tuple(dict.fromkeys((*old.get(key, ()), *value)))
        else:
            merged[key] = value
    # a later patch may demote an alias to weak (or rename to an alias): keep each form once
    drop = {merged.get("name"), *merged.get("weak_aliases", ())}
    if "aliases" in merged:
        merged["aliases"] = tuple(a for a in merged["aliases"] if a not in drop)
    return merged


def _check_references(records: dict[str, dict[str, Any]], problems: _Problems) -> None:
    def at(rec: dict[str, Any], key: str) -> tuple[str, int]:
        return rec["where"].get(key, (rec["file"], rec["line"]))

    for rid, rec in records.items():
        parent = rec.get("parent")
        if parent is not None:
            target = records.get(parent)
            if target is None:
                problems.add(*at(rec, "parent"),
                             f"entry '{rid}': key 'parent' refers to unknown id '{parent}'; "
                             "use the id of a place defined in the gazetteer, or leave the key out")
            elif target["type"] != "place":
                problems.add(*at(rec, "parent"),
                             f"entry '{rid}': key 'parent' must be a place id (got {target['type']} '{parent}')")
            elif parent == rid:
                problems.add(*at(rec, "parent"),
                             f"entry '{rid}': key 'parent' refers to the entry itself")
        for aff in rec.get("affiliation", ()):
            target = records.get(aff)
            if target is None:
                problems.add(*at(rec, "affiliation"),
                             f"entry '{rid}': key 'affiliation' refers to unknown id '{aff}'; "
                             "use the id of an actor defined in the gazetteer")
            elif target["type"] != "actor":
                problems.add(*at(rec, "affiliation"),
                             f"entry '{rid}': key 'affiliation' must list actor ids (got {target['type']} '{aff}')")
            elif aff == rid:
                problems.add(*at(rec, "affiliation"),
                             f"entry '{rid}': key 'affiliation' lists the entry itself")
    # parent cycles (a -> b -> a) would make "roll up to the governorate" loop forever
    reported: set[str] = set()
    for rid in records:
        path: list[str] = []
        node: str | None = rid
        while node is not None and node in records and node not in path:
            path.append(node)
            node = records[node].get("parent")
        if node is not None and node in path and node not in reported:
            cycle = path[path.index(node):]
            reported.update(cycle)
            rec = records[node]
            problems.add(*at(rec, "parent"),
                         f"entry '{node}': key 'parent' forms a cycle ({' -> '.join(cycle + [node])}); break it")


def load_entries(
    paths: Iterable[Path | str] | None = None, *, include_default: bool = True
) -> list[Entry]:
    """Load, merge and validate gazetteer files; return the entries in file order.

    ``paths`` are extension files loaded on top of the default gazetteer (None or
    [] = the default alone); ``include_default=False`` loads only ``paths``.
    Raises GazetteerError listing every problem as ``FILE:LINE: entry 'ID': key 'K' …``.
    Example: ``load_entries([Path("extra.yaml")])``.
    """
    sources = _sources(paths, include_default)
    # Same bytes, same result: reuse the validated entries (a load costs ~0.35 s).
    key = gazetteer_hash(paths, include_default=include_default)
    if key in _MEMO:
        return list(_MEMO[key])
    n_default = len(_default_sources()) if include_default else 0
    problems = _Problems()
    records: dict[str, dict[str, Any]] = {}
    default_names = {s.display for s in sources[:n_default]}
    composed = not include_default
    for src, raw, checked, is_patch in _iter_checked(sources, n_default, problems):
        if not composed and src.display not in default_names:
            _compose(records, problems)
            composed = True
        rid = checked["id"]
        if not is_patch and rid in records and records[rid]["file"] == "gazetteer/institutions.yaml":
            is_patch = True  # an extension that patches a generated entry
        where = {key: (src.display, line) for key, line in raw.key_lines.items()}
        if is_patch:
            if rid in records:
                old = records[rid]
                records[rid] = {**_merge(old, checked), "where": {**old["where"], **where},
                                "file": old["file"], "line": old["line"]}
        else:
            records[rid] = {**checked, "where": where, "file": src.display, "line": raw.line}
    if not composed:
        _compose(records, problems)
    _check_references(records, problems)
    problems.raise_if_any()
    names = {f.name for f in dataclasses.fields(Entry)}
    entries = tuple(Entry(**{k: v for k, v in rec.items() if k in names}) for rec in records.values())
    if len(_MEMO) >= 8:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = entries
    return list(entries)


_MEMO: dict[str, tuple[Entry, ...]] = {}


def _compose(records: dict[str, dict[str, Any]], problems: _Problems) -> None:
    """Generate the state-institution entries (gazetteer_compose) into ``records``."""
    from claimx import gazetteer_compose as gc

    parsed = {}
    for src in _compose_sources():
        raw = _read_raw_list(src, problems, "countries" if src.display.endswith("countries.yaml") else "institutions")
        parsed[src.display] = (src.display, raw)
    (cfile, craw), (ifile, iraw) = parsed.values()
    countries = gc.parse_countries(craw, cfile, problems.add, records)
    institutions = gc.parse_institutions(iraw, ifile, problems.add, SUBTYPES["actor"])
    gc.compose(records, countries, institutions, tuple(f.split("/")[-1] for f in (cfile, ifile)))
    gc.compose_sources(records)
    gc.compose_councils(records)


def _read_raw_list(src: _Source, problems: _Problems, top: str) -> list[_Located]:
    """Read a compose data file: a mapping with one key ``top`` holding a list of mappings."""
    try:
        data = src.read_bytes()
    except OSError as exc:
        problems.add(src.display, 0, f"cannot read the file ({exc.strerror or exc})")
        return []
    before = len(problems.items)
    doc = _load_yaml(src, data, problems)
    if len(problems.items) != before:
        return []
    if not isinstance(doc, _Located) or set(doc) != {top} or not isinstance(doc[top], list):
        problems.add(src.display, 1, f"must be a mapping with one key '{top}:' holding a list")
        return []
    out = []
    for item in doc[top]:
        if not isinstance(item, _Located):
            problems.add(src.display, doc.key_lines[top], f"every item of '{top}' must be a mapping")
            continue
        out.append(item)
    return out


def index_by_id(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Map id -> entry. Example: ``index_by_id(load_entries())['place/sy/abu-kamal'].name``."""
    return {e.id: e for e in entries}
