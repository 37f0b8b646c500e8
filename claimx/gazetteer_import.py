"""Build extension gazetteers from official data a user already has.

Three importers read public data sets and return entry dicts in the gazetteer
schema (see ``gazetteer/README.md``); ``write_yaml`` saves them as an extension
file that ``claimx.gazetteer_data.load_entries([path])`` loads on top of the
default gazetteer::

    >>> entries = import_geonames("cities15000.zip", countries=("SY", "IQ"))
    >>> write_yaml(entries, "extra.yaml")

Imported ids live under ``place/ext/…`` so they can never clash with (or
silently patch) an entry of the default gazetteer. ``drop_known`` removes the
imported entries that the default gazetteer already has (same p-code, GeoNames
or Wikidata id), so an extension adds only what is new.

The importers read files and nothing else; they never touch the network.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "COUNTRY_IDS",
    "drop_known",
    "dump_yaml",
    "import_geonames",
    "import_iraq_admin",
    "import_ocha_syria",
    "write_yaml",
]

# Country entries of the default gazetteer, used as parents of imported top-level places.
COUNTRY_IDS: dict[str, str] = {
    "SY": "place/country/syria",
    "IQ": "place/country/iraq",
    "TR": "place/country/turkey",
    "JO": "place/country/jordan",
    "LB": "place/country/lebanon",
    "IL": "place/country/israel",
    "IR": "place/country/iran",
    "SA": "place/country/saudi-arabia",
    "RU": "place/country/russia",
    "US": "place/country/usa",
}

# Key order of written entries: identity first, then names, then the rest.
KEY_ORDER = (
    "id", "type", "subtype", "name", "name_en", "aliases", "weak_aliases", "country", "parent", "lat", "lon",
    "pcode", "geonames", "wikidata", "affiliation", "alignment", "url", "note",
)

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
# Letters of Kurdish/Persian orthography that standard Arabic news does not use.
_NON_ARABIC_LETTERS = re.compile(r"[\u067E\u0686\u0698\u06A4\u06A9\u06AF\u06B5\u06BE\u06C1\u06C6\u06CC\u06CE\u06D5\u0695]")
# Kurdish/Persian letter -> the Arabic letter an Arabic writer uses (for keys and variants).
_TO_ARABIC = str.maketrans({
    "\u06C6": "\u0648",  # ۆ -> و
    "\u06CE": "\u064A",  # ێ -> ي
    "\u06CC": "\u064A",  # ی -> ي
    "\u06A9": "\u0643",  # ک -> ك
    "\u06D5": "\u0647",  # ە -> ه
    "\u06B5": "\u0644",  # ڵ -> ل
    "\u0695": "\u0631",  # ڕ -> ر
    "\u06A4": "\u0641",  # ڤ -> ف
    "\u06AF": "\u0643",  # گ -> ك
    "\u0686": "\u062C",  # چ -> ج
    "\u067E": "\u0628",  # پ -> ب
    "\u0698": "\u0632",  # ژ -> ز
    "\u06BE": "\u0647",  # ھ -> ه
    "\u06C1": "\u0647",  # ہ -> ه
})
_ADMIN_PREFIX = re.compile(r"^(?:محافظة|قضاء|ناحية|مركز قضاء|مركز ناحية|پارێزگای|قەزای)\s+")
_EN_ADMIN_WORD = re.compile(r"\s+(?:district|province|governorate|subdistrict|sub-district)$", re.I)


# --------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    """ASCII slug for ids: 'Ma'arrat al-Nu'man' -> 'maarrat-al-numan'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['`’‘]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def _clean(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _is_arabic_name(text: str) -> bool:
    return bool(_ARABIC.search(text)) and not _LATIN.search(text)


def _key_ar(text: str) -> str:
    """A loose comparison key for Arabic names (admin prefix, hamza, Kurdish letters folded)."""
    text = _ADMIN_PREFIX.sub("", _clean(text)).translate(_TO_ARABIC)
    text = re.sub("[\u064B-\u065F\u0670\u0640]", "", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه").replace("ئ", "ا")
    return text.replace(" ", "")


def _unique(values: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    skip = set(exclude)
    out: list[str] = []
    for v in values:
        v = _clean(v)
        if v and v not in skip and v not in out:
            out.append(v)
    return out


def _entry(**fields: Any) -> dict[str, Any]:
    """Drop empty values and order keys like the shipped files."""
    return {k: fields[k] for k in KEY_ORDER if fields.get(k) not in (None, "", [], ())}


# --------------------------------------------------------------------------- OCHA / Open-Syria


_SYRIA_FILES = ("opensyria_governorates.json", "opensyria_districts.json", "opensyria_subdistricts.json")


def _syria_level(record: Mapping[str, Any]) -> str:
    if "districtId" in record:
        return "subdistrict"
    if "governorateId" in record:
        return "district"
    return "governorate"


def import_ocha_syria(
    path_or_dir: str | Path, *, country_parent: str | None = COUNTRY_IDS["SY"]
) -> list[dict[str, Any]]:
    """Syrian governorates, districts and subdistricts from Open-Syria data-geography JSON.

    ``path_or_dir`` is a folder holding ``opensyria_governorates.json``,
    ``opensyria_districts.json`` and ``opensyria_subdistricts.json`` (any of them), or one
    of those files. Each record becomes a place with id ``place/ext/sy/<p-code>``
    (e.g. ``place/ext/sy/sy090201`` for Hajin subdistrict), its Arabic name and Arabic
    aliases, OCHA p-code, GeoNames and Wikidata ids and centroid. ``parent`` links a unit
    to the imported unit that contains it (derived from the p-code), and governorates to
    ``country_parent``; it is left out when the containing unit is not in the input.
    Records without an Arabic name are skipped.
    Data: github.com/Open-Syria/data-geography, CC BY 4.0 — credit it when you share the output.
    """
    path = Path(path_or_dir)
    files = [path / name for name in _SYRIA_FILES if (path / name).is_file()] if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"{path}: no opensyria_*.json file found (expected {', '.join(_SYRIA_FILES)})")
    records: list[Mapping[str, Any]] = []
    for file in files:
        with open(file, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, list):
            raise ValueError(f"{file}: expected a JSON list of Open-Syria records")
        records.extend(data)

    def ident(pcode: str) -> str:
        return f"place/ext/sy/{pcode.lower()}"

    pcodes = {r.get("externalIds", {}).get("ochaPcode") for r in records}
    out: list[dict[str, Any]] = []
    for rec in records:
        ext = rec.get("externalIds") or {}
        pcode = ext.get("ochaPcode")
        names = rec.get("name") or {}
        arabic = [a["value"] for a in rec.get("aliases", [])
                  if a.get("language") == "ar" and _is_arabic_name(str(a.get("value", "")))]
        name = _clean(names.get("ar")) or (arabic[0] if arabic else "")
        if not name or not pcode:
            continue
        level = _syria_level(rec)
        # p-codes nest: SY09 governorate > SY0902 district > SY090201 subdistrict
        parent_code = {"governorate": None, "district": pcode[:4], "subdistrict": pcode[:6]}[level]
        parent = ident(parent_code) if parent_code in pcodes else (country_parent if level == "governorate" else None)
        centroid = rec.get("centroid") or {}
        geonames = ext.get("geonames")
        out.append(_entry(
            id=ident(pcode), type="place", subtype=level, name=name,
            name_en=_clean(names.get("en")) or pcode,
            aliases=_unique(arabic, exclude=[name]), country="SY", parent=parent,
            lat=centroid.get("latitude"), lon=centroid.get("longitude"), pcode=pcode,
            geonames=int(geonames) if str(geonames or "").isdigit() else None,
            wikidata=ext.get("wikidata") or None,
            note=f"Imported from Open-Syria data-geography ({rec.get('id')}); CC BY 4.0.",
        ))
    return out


# --------------------------------------------------------------------------- Iraq admin


def _to_arabic_letters(text: str) -> str:
    """Kurdish-orthography name -> the spelling an Arabic writer would use (ە only at word end)."""
    text = re.sub("\u06D5(?=\\b|$)", "\u0647", text)
    return text.replace("\u06D5", "").translate(_TO_ARABIC)


def _split_parenthesis(text: str) -> tuple[str, list[str]]:
    """'الهندية (طويريج)' -> ('الهندية', ['طويريج'])."""
    inner = re.findall(r"\(([^()]+)\)", text)
    outer = _clean(re.sub(r"\([^()]*\)", " ", text))
    return (outer, [_clean(i) for i in inner]) if outer and inner else (text, [])


def _iraq_names(node: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Arabic name without admin prefix, and aliases (formal form, distinct Kurdish name).

    Forms in Kurdish orthography are replaced by their Arabic-letter spelling; the Kurdish
    name is kept only when it is a different name, not a respelling (شنكال for سنجار).
    """
    import difflib

    raw_ar = _clean(node.get("arbName"))
    raw_kr = _clean(node.get("krdName"))
    name, extra = _split_parenthesis(_ADMIN_PREFIX.sub("", raw_ar))
    if _NON_ARABIC_LETTERS.search(name):
        name = _to_arabic_letters(name)
    aliases = [raw_ar if not _NON_ARABIC_LETTERS.search(raw_ar) else _to_arabic_letters(raw_ar), *extra]
    if raw_kr and not _ADMIN_PREFIX.match(raw_kr):
        kurdish, _ = _split_parenthesis(_to_arabic_letters(raw_kr))
        if difflib.SequenceMatcher(None, _key_ar(kurdish), _key_ar(name)).ratio() < 0.5:
            aliases.append(kurdish)
    return name, [a for a in _unique(aliases, exclude=[name]) if _ARABIC.search(a) and "(" not in a]


def _english(node: Mapping[str, Any]) -> str:
    return _EN_ADMIN_WORD.sub("", _clean(node.get("engName")))


def _en_key(text: str) -> str:
    return re.sub(r"^(?:al|ar|as|ad|an|at|az|ash)-", "", _slug(re.sub(r"\(.*?\)", "", text)))


def _same_unit(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two records of the same unit: same English key, or same Arabic key and similar English."""
    import difflib

    ea, eb = _en_key(_english(a)), _en_key(_english(b))
    if ea == eb:
        return True
    if _key_ar(a.get("arbName", "")) != _key_ar(b.get("arbName", "")):
        return False
    return ea in eb or eb in ea or difflib.SequenceMatcher(None, ea, eb).ratio() >= 0.6


def _merge_units(nodes: Iterable[Mapping[str, Any]], child_keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Merge records that describe one unit (the source lists some provinces twice)."""
    merged: list[dict[str, Any]] = []
    for node in nodes:
        for m in merged:
            if _same_unit(m["records"][0], node):
                m["records"].append(node)
                break
        else:
            merged.append({"records": [node]})
    for m in merged:
        m["children"] = [c for r in m["records"] for k in child_keys for c in (r.get(k) or [])]
    return merged


def import_iraq_admin(path: str | Path, *, country_parent: str | None = COUNTRY_IDS["IQ"]) -> list[dict[str, Any]]:
    """Iraqi governorates, districts and subdistricts from m7amad-t/iraq_geo_data JSON.

    Reads ``iraq_geo_output.json`` (provinces > districts > subdistricts > villages, names in
    Arabic, English and Kurdish, no coordinates). Ids are built from the English names:
    ``place/ext/iq/anbar``, ``place/ext/iq/anbar/al-qaim``,
    ``place/ext/iq/anbar/al-qaim/<subdistrict>``. The source lists some provinces and
    districts twice under different spellings ("Anbar" / "Al Anbar"); records with the same
    English name, or the same Arabic name and a similar English one, are merged. Admin
    prefixes (محافظة، قضاء، ناحية) are stripped from ``name`` and kept as aliases;
    Kurdish-orthography names get an Arabic-letter spelling (ۆ→و, ک→ك, ێ→ي …).
    Data: github.com/m7amad-t/iraq_geo_data, MIT — keep its notice when you share the output.
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("provinces"), list):
        raise ValueError(f"{path}: expected a JSON object with a 'provinces' list (iraq_geo_data format)")
    out: list[dict[str, Any]] = []
    used: set[str] = set()

    def add(records: list[Mapping[str, Any]], subtype: str, parent: str | None, prefix: str) -> str:
        name, aliases = _iraq_names(records[0])
        for extra in records[1:]:
            n2, a2 = _iraq_names(extra)
            aliases = _unique([*aliases, n2, *a2], exclude=[name])
        slug = _slug(_english(records[0]))
        ident = f"{prefix}/{slug}"
        n = 2
        while ident in used:  # two different units with one English name under one parent
            ident, n = f"{prefix}/{slug}-{n}", n + 1
        used.add(ident)
        out.append(_entry(
            id=ident, type="place", subtype=subtype, name=name,
            name_en=_english(records[0]) or slug, aliases=aliases, country="IQ", parent=parent,
            note="Imported from m7amad-t/iraq_geo_data (MIT).",
        ))
        return ident

    for prov in _merge_units(data["provinces"], ("districts",)):
        pid = add(prov["records"], "governorate", country_parent, "place/ext/iq")
        direct = [s for r in prov["records"] for s in (r.get("subdistricts") or [])]
        for sub in _merge_units(direct, ()):
            add(sub["records"], "subdistrict", pid, pid)
        for dist in _merge_units(prov["children"], ("subdistricts",)):
            did = add(dist["records"], "district", pid, pid)
            villages = [v for r in dist["records"] for v in (r.get("villages") or []) if isinstance(v, dict)]
            for vil in _merge_units(villages, ()):
                add(vil["records"], "village", did, did)
            for sub in _merge_units(dist["children"], ("villages",)):
                sid = add(sub["records"], "subdistrict", did, did)
                for vil in _merge_units([v for v in sub["children"] if isinstance(v, dict)], ()):
                    add(vil["records"], "village", sid, sid)
    return [e for e in out if _ARABIC.search(e["name"])]


# --------------------------------------------------------------------------- GeoNames


def _geonames_lines(path: Path) -> Iterable[str]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
            if not members:
                raise ValueError(f"{path}: the zip holds no GeoNames .txt table")
            with zf.open(members[0]) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            yield from fh


def _pick_name(names: list[str]) -> str:
    """Prefer a plain standard-Arabic spelling: no admin prefix, no Kurdish/Persian letters."""
    def rank(n: str) -> tuple[int, int]:
        return (bool(_NON_ARABIC_LETTERS.search(n)), bool(re.match(r"^(?:مدينة|بلدة|قرية)\s", n)))
    return min(names, key=rank)  # min is stable: the first of the best-ranked names


def import_geonames(
    path: str | Path,
    countries: Iterable[str] | None = ("SY", "IQ"),
    *,
    city_population: int = 100_000,
    country_parents: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Populated places from a GeoNames table (``cities15000.zip`` or its ``.txt``).

    Keeps rows of ``countries`` (ISO alpha-2; None = all) that have at least one Arabic
    alternate name. Each becomes ``place/ext/geonames/<geonameid>`` with subtype ``city``
    (population >= ``city_population``) or ``town``, coordinates, GeoNames id, and parent
    = the country's entry in the default gazetteer (``COUNTRY_IDS``, or
    ``country_parents``). Alternate names with Latin letters or an admin prefix
    (محافظة، قضاء، ناحية) are dropped: they name the province, not the town.
    Columns used: 0 geonameid, 1 name, 3 alternatenames, 4 lat, 5 lon, 8 country, 14 population.
    Data: GeoNames (geonames.org), CC BY 4.0 — credit it when you share the output.
    """
    wanted = {c.upper() for c in countries} if countries is not None else None
    parents = COUNTRY_IDS if country_parents is None else country_parents
    out: list[dict[str, Any]] = []
    for lineno, line in enumerate(_geonames_lines(Path(path)), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15:
            if line.strip():
                raise ValueError(f"{path}:{lineno}: expected 19 tab-separated GeoNames columns, got {len(cols)}")
            continue
        country = cols[8].upper()
        if wanted is not None and country not in wanted:
            continue
        names = _unique(n for n in cols[3].split(",")
                        if _is_arabic_name(n) and not _ADMIN_PREFIX.match(_clean(n)))
        if not names:
            continue
        name = _pick_name(names)
        try:
            lat, lon = float(cols[4]), float(cols[5])
        except ValueError:
            lat = lon = None
        population = int(cols[14]) if cols[14].isdigit() else 0
        out.append(_entry(
            id=f"place/ext/geonames/{int(cols[0])}", type="place",
            subtype="city" if population >= city_population else "town",
            name=name, name_en=_clean(cols[1]) or _clean(cols[2]),
            aliases=_unique(names, exclude=[name]), country=country if re.fullmatch(r"[A-Z]{2}", country) else None,
            parent=parents.get(country), lat=lat, lon=lon, geonames=int(cols[0]),
            note="Imported from GeoNames (geonames.org), CC BY 4.0.",
        ))
    return out


# --------------------------------------------------------------------------- helpers for users


def drop_known(entries: Iterable[Mapping[str, Any]], known: Iterable[Any]) -> list[dict[str, Any]]:
    """Imported entries minus those the ``known`` entries already cover.

    An imported entry is dropped when a known entry (an ``Entry`` or a dict) has the same
    ``pcode``, ``geonames`` or ``wikidata`` id. Parents that pointed at a dropped entry are
    redirected to the known entry. Example: ``drop_known(import_ocha_syria(d), load_entries())``.
    """
    index: dict[tuple[str, Any], str] = {}
    for k in known:
        get = k.get if isinstance(k, Mapping) else (lambda name, k=k: getattr(k, name, None))
        for key in ("pcode", "geonames", "wikidata"):
            if get(key) is not None:
                index.setdefault((key, get(key)), get("id"))
    replaced: dict[str, str] = {}
    kept: list[dict[str, Any]] = []
    for e in entries:
        hit = next((index[(key, e[key])] for key in ("pcode", "geonames", "wikidata")
                    if key in e and (key, e[key]) in index), None)
        if hit is not None:
            replaced[e["id"]] = hit
        else:
            kept.append(dict(e))
    for e in kept:
        if e.get("parent") in replaced:
            e["parent"] = replaced[e["parent"]]
    return kept


def _as_dict(entry: Any) -> dict[str, Any]:
    if isinstance(entry, Mapping):
        data = dict(entry)
    else:  # an Entry dataclass
        data = {k: getattr(entry, k) for k in KEY_ORDER if hasattr(entry, k)}
    data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}
    ordered = {k: data[k] for k in KEY_ORDER if data.get(k) not in (None, "", [], ())}
    ordered.update({k: v for k, v in data.items() if k not in KEY_ORDER and k not in ("file", "line")})
    return ordered


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block mappings, inline lists: one key a line, aliases on one line (libyaml when present)."""


_Dumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def dump_yaml(entries: Iterable[Any], header: str | None = None) -> str:
    """YAML text of a gazetteer file: ``entries:`` with one block per entry, lists inline."""
    parts = []
    if header:
        parts.append("".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()))
    parts.append("entries:\n")
    for entry in entries:
        block = yaml.dump(_as_dict(entry), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1_000_000)
        lines = block.splitlines(keepends=True)
        parts.append("\n  - " + lines[0] + "".join("    " + line for line in lines[1:]))
    return "".join(parts)


def write_yaml(entries: Iterable[Any], path: str | Path, *, header: str | None = None) -> Path:
    """Write entries (dicts or ``Entry`` objects) as a gazetteer YAML file, atomically.

    The text goes to a temporary file in the same folder, is flushed to disk and then
    renamed over ``path`` (``os.replace``), so readers never see a half-written file.
    ``header`` becomes leading ``#`` comment lines (say where the data came from).
    Returns the path written.
    """
    from .io import write_atomic

    path = Path(path)
    write_atomic(path, dump_yaml(entries, header))
    return path
