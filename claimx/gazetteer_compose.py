"""Compositional gazetteer entries: state institutions × countries.

The coverage names the institutions of every state involved in the same few ways
("وزارة الخارجية الروسية", "الخارجية الروسية", "وزارة خارجية روسيا", "الجيش التركي",
"القوات الإيرانية", "سلاح الجو الأمريكي", "الشرطة العراقية" …). Listing them one by one
only ever covers the states a maintainer happened to read about, so two small data files
generate them instead:

- ``gazetteer/countries.yaml``: one line per state: a slug, its country place id, the
  nationality adjective in both genders (``m``/``f``, several spellings allowed) and the
  names that follow a head noun in an إضافة (``of``: "وزارة خارجية روسيا"), plus
  ``extra`` forms that only one state has (الكرملين, البنتاغون).
- ``gazetteer/institutions.yaml``: one line per institution: a key (the last id
  segment), subtype, English name pattern, the form patterns (``{m}``, ``{f}``,
  ``{fi}``, ``{of}`` are replaced by the country's words), optional ``weak`` forms (bare
  "وزارة الخارجية") and the institution it is affiliated to (``affiliation: government``).

`compose()` runs inside `load_entries` after the default files are merged. For each
(country, institution) it generates the forms, then:

- a form some existing entry already has (after folding) stays with that entry;
- the other forms go to the *home* entry: the existing entry that owns the
  institution's first form, else the one that owns any other of its forms (so
  "الجيش السوري" keeps leading to ``actor/sy/regime-forces``), else a new entry
  ``actor/<country>/<key>``;
- the existing entry keeps its id, name and everything else; it only gains aliases.

So the hand-written entries stay authoritative and no id is ever duplicated.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from claimx.normalize import fold

from claimx.gazetteer_files import COMPOSE_FILES  # noqa: E402,F401

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
_SLOT_RE = re.compile(r"\{([a-z]+)\}")
_COUNTRY_KEYS = {"code": True, "place": True, "m": True, "f": True, "fi": False, "of": False, "extra": False,
                 "party": False, "note": False}
_INSTITUTION_KEYS = {"key": True, "subtype": True, "name_en": True, "forms": True, "weak": False,
                     "affiliation": False, "subtype_home": False, "parties_only": False, "note": False,
                     "weak_parties": False}
_SLOTS = ("m", "f", "fi", "of")


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    return None


def _check_keys(raw: Any, allowed: dict[str, bool], what: str, file: str, add: Callable) -> bool:
    ok = True
    for key in raw:
        if key not in allowed:
            add(file, raw.key_lines.get(key, raw.line),
                f"{what}: key '{key}' is not known; allowed keys: {', '.join(allowed)}")
            ok = False
    for key, required in allowed.items():
        if required and (key not in raw or raw[key] in (None, "", [])):
            add(file, raw.line, f"{what}: is missing required key '{key}'")
            ok = False
    return ok


def parse_countries(items: list, file: str, add: Callable, records: dict[str, dict]) -> list[dict]:
    """Validate the country lines; return the good ones as plain dicts."""
    out, seen = [], set()
    for raw in items:
        code = raw.get("code")
        what = f"country '{code}'"
        if not _check_keys(raw, _COUNTRY_KEYS, what, file, add):
            continue
        line = raw.line
        if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2}", code):
            add(file, raw.key_lines.get("code", line), f"{what}: key 'code' must be a lowercase ISO 3166 alpha-2 code like 'ru'")
            continue
        if code in seen:
            add(file, raw.key_lines.get("code", line), f"{what}: key 'code' is a duplicate")
            continue
        seen.add(code)
        place = records.get(raw["place"]) if isinstance(raw["place"], str) else None
        if place is None or place.get("subtype") != "country":
            add(file, raw.key_lines.get("place", line),
                f"{what}: key 'place' must be the id of a country place entry (got {raw['place']!r})")
            continue
        if place.get("country", "").lower() != code:
            add(file, raw.key_lines.get("code", line),
                f"{what}: key 'code' does not match the country of {raw['place']} ({place.get('country')})")
            continue
        words: dict[str, list[str]] = {}
        bad = False
        for slot in _SLOTS:
            if slot not in raw:
                # the indefinite feminine: الروسية -> روسية
                words[slot] = [w[2:] for w in words.get("f", []) if w.startswith("ال")] if slot == "fi" else []
                continue
            if slot == "fi" and raw[slot] == []:
                words[slot] = []  # none on purpose
                continue
            vals = _strings(raw[slot])
            if vals is None or not all(_ARABIC_RE.search(v) for v in vals):
                add(file, raw.key_lines.get(slot, line), f"{what}: key '{slot}' must be an Arabic word or a list of them")
                bad = True
            else:
                words[slot] = vals
        extra: dict[str, list[str]] = {}
        if "extra" in raw:
            if not isinstance(raw["extra"], dict):
                add(file, raw.key_lines.get("extra", line), f"{what}: key 'extra' must map institution keys to forms")
                bad = True
            else:
                for k, v in raw["extra"].items():
                    vals = _strings(v)
                    if vals is None or not all(_ARABIC_RE.search(x) for x in vals):
                        add(file, raw.key_lines.get("extra", line), f"{what}: extra '{k}' must be Arabic forms")
                        bad = True
                    else:
                        extra[k] = vals
        if "party" in raw and not isinstance(raw["party"], bool):
            add(file, raw.key_lines.get("party", line), f"{what}: key 'party' must be true or false")
            bad = True
        if bad:
            continue
        out.append({"code": code, "party": bool(raw.get("party", False)), "place": raw["place"], "country": place["country"],
                    "name_en": place["name_en"], "extra": extra, "line": line, **words})
    return out


def parse_institutions(items: list, file: str, add: Callable, subtypes: tuple[str, ...]) -> list[dict]:
    out, seen = [], set()
    for raw in items:
        key = raw.get("key")
        what = f"institution '{key}'"
        if not _check_keys(raw, _INSTITUTION_KEYS, what, file, add):
            continue
        line = raw.line
        if not isinstance(key, str) or not _SLUG_RE.match(key) or key in seen:
            add(file, raw.key_lines.get("key", line), f"{what}: key 'key' must be a unique lowercase slug like 'mofa'")
            continue
        seen.add(key)
        bad = False
        for st in ("subtype", "subtype_home"):
            if st in raw and raw[st] not in subtypes:
                add(file, raw.key_lines.get(st, line), f"{what}: key '{st}' must be one of {', '.join(subtypes)}")
                bad = True
        forms = _strings(raw["forms"])
        weak = _strings(raw["weak"]) if "weak" in raw else []
        weak_parties = _strings(raw["weak_parties"]) if "weak_parties" in raw else []
        if forms is None:
            add(file, raw.key_lines.get("forms", line), f"{what}: key 'forms' must be a list of patterns")
            continue
        for f in forms:
            slots = _SLOT_RE.findall(f)
            if len(slots) != 1 or slots[0] not in _SLOTS or not _ARABIC_RE.search(f):
                add(file, raw.key_lines.get("forms", line),
                    f"{what}: form {f!r} must hold Arabic words and exactly one of {{m}}, {{f}}, {{fi}}, {{of}}")
                bad = True
        for k, ws in (("weak", weak), ("weak_parties", weak_parties)):
            if ws is None or any(_SLOT_RE.search(w) or not _ARABIC_RE.search(w) for w in ws):
                add(file, raw.key_lines.get(k, line), f"{what}: key '{k}' must list Arabic forms without slots")
                bad = True
        if "{country}" not in raw["name_en"]:
            add(file, raw.key_lines.get("name_en", line), f"{what}: key 'name_en' must contain {{country}}")
            bad = True
        if "parties_only" in raw and not isinstance(raw["parties_only"], bool):
            add(file, raw.key_lines.get("parties_only", line), f"{what}: key 'parties_only' must be true or false")
            bad = True
        aff = raw.get("affiliation")
        if aff is not None and not (isinstance(aff, str) and _SLUG_RE.match(aff)):
            add(file, raw.key_lines.get("affiliation", line), f"{what}: key 'affiliation' must be an institution key")
            bad = True
        if bad:
            continue
        out.append({"key": key, "subtype": raw["subtype"], "subtype_home": raw.get("subtype_home"),
                    "name_en": raw["name_en"], "forms": forms, "weak": weak or [], "weak_parties": weak_parties or [],
                    "affiliation": aff, "parties_only": bool(raw.get("parties_only", False)), "line": line})
    keys = {i["key"] for i in out}
    for inst in out:
        if inst["affiliation"] is not None and inst["affiliation"] not in keys:
            add(file, inst["line"], f"institution '{inst['key']}': affiliation '{inst['affiliation']}' is not an institution key")
            inst["affiliation"] = None
    return out


def _expand(pattern: str, country: dict) -> list[str]:
    slot = _SLOT_RE.search(pattern).group(1)  # type: ignore[union-attr]
    return [pattern.replace("{" + slot + "}", w) for w in country[slot]]


def compose(records: dict[str, dict], countries: list[dict], institutions: list[dict],
            files: tuple[str, str]) -> None:
    """Add the generated forms and entries to ``records`` (id -> record) in place."""
    owner: dict[str, str] = {}
    for rid, rec in records.items():
        for n in (rec.get("name"), *rec.get("aliases", ()), *rec.get("weak_aliases", ())):
            if n:
                owner.setdefault(fold(n), rid)
    cfile, ifile = files
    for country in countries:
        made: dict[str, str] = {}  # institution key -> id it resolved to
        for inst in institutions:
            if inst["parties_only"] and not country["party"]:
                continue  # every form costs load time; branches of states outside the wars are rare
            forms: list[str] = []
            for pat in inst["forms"]:
                forms.extend(_expand(pat, country))
            forms.extend(country["extra"].get(inst["key"], ()))
            forms = list(dict.fromkeys(forms))
            if not forms:
                continue
            # bare forms read as this state's institution when the document names it in full;
            # `weak_parties` only for the parties (each weak form of each state is a candidate
            # that every occurrence of the bare form must weigh)
            inst_weak = [*inst["weak"], *(inst["weak_parties"] if country["party"] else ())]
            owners = [owner.get(fold(f)) for f in forms]
            home = owners[0] or next((o for o in owners if o), None)
            if home is not None and records[home]["type"] != "actor":
                home = None
            new = [f for f, o in zip(forms, owners) if o is None]
            if home is None:
                if not new:
                    continue
                rid = f"actor/{country['code']}/{inst['key']}"
                if rid in records:  # an unrelated hand-written entry took the id: leave it alone
                    continue
                subtype = inst["subtype"]
                if inst["subtype_home"] and country["code"] in ("sy", "iq"):
                    subtype = inst["subtype_home"]
                rec: dict[str, Any] = {
                    "id": rid, "type": "actor", "subtype": subtype, "name": new[0],
                    "name_en": inst["name_en"].replace("{country}", country["name_en"]),
                    "country": country["country"], "file": f"gazetteer/{ifile}", "line": inst["line"],
                    "where": {}, "note": f"generated from gazetteer/{cfile} × gazetteer/{ifile}",
                }
                if len(new) > 1:
                    rec["aliases"] = tuple(new[1:])
                weak = tuple(w for w in inst_weak if fold(w) not in {fold(n) for n in new})
                if weak:
                    rec["weak_aliases"] = weak
                aff = made.get(inst["affiliation"]) if inst["affiliation"] else None
                if aff and aff != rid:
                    rec["affiliation"] = (aff,)
                records[rid] = rec
                home = rid
            else:
                # an entry that already owns the institution also gets its bare weak forms, so that
                # "قوات الأمن" reads as the Iraqi forces where the document names "قوات الأمن العراقية"
                old = records[home]
                drop = {fold(n) for n in (old["name"], *old.get("aliases", ()), *old.get("weak_aliases", ()))}
                add = tuple(f for f in new if fold(f) not in drop)
                weak = tuple(w for w in inst_weak if fold(w) not in drop and fold(w) not in {fold(f) for f in add})
                if add or weak:
                    rec = {**old, "aliases": (*old.get("aliases", ()), *add)} if add else dict(old)
                    if weak:
                        rec["weak_aliases"] = (*old.get("weak_aliases", ()), *weak)
                    records[home] = rec
            for f in new:
                owner.setdefault(fold(f), home)
            made[inst["key"]] = home


# Head nouns an outlet's name takes in running text, by source subtype: "قناة الغد",
# "صحيفة العرب", "وكالة تاس", "موقع عربي 21". Each head × each name (strong or weak) of a
# news_agency / tv / newspaper / website entry that does not already start with a head noun
# becomes an alias, unless some entry already has that form. The head makes even a weak
# name (الغد, العرب, الحياة) unambiguous, so the generated forms are strong.
SOURCE_HEADS: dict[str, tuple[str, ...]] = {
    "news_agency": ("وكالة",),
    "tv": ("قناة", "تلفزيون"),
    "newspaper": ("صحيفة", "جريدة"),
    "website": ("موقع",),
}
_ALL_HEADS = tuple(sorted({h.split()[0] for hs in SOURCE_HEADS.values() for h in hs}
                          | {"مجلة", "إذاعة", "راديو", "الوكالة", "القناة", "الصحيفة", "التلفزيون", "الإعلام",
                             "هيئة", "المركز", "مركز", "منظمة"}))


def compose_sources(records: dict[str, dict]) -> None:
    """Add head-noun forms of the outlets (SOURCE_HEADS) to ``records`` in place."""
    owner: dict[str, str] = {}
    for rid, rec in records.items():
        for n in (rec.get("name"), *rec.get("aliases", ()), *rec.get("weak_aliases", ())):
            if n:
                owner.setdefault(fold(n), rid)
    for rid, rec in list(records.items()):
        heads = SOURCE_HEADS.get(rec.get("subtype", "")) if rec.get("type") == "source" else None
        if not heads:
            continue
        new: list[str] = []
        for n in (rec["name"], *rec.get("aliases", ()), *rec.get("weak_aliases", ())):
            if n.split()[0] in _ALL_HEADS or not _ARABIC_RE.search(n):
                continue
            for h in heads:
                form = f"{h} {n}"
                if fold(form) not in owner:
                    owner[fold(form)] = rid
                    new.append(form)
        if new:
            records[rid] = {**rec, "aliases": (*rec.get("aliases", ()), *new)}


def compose_councils(records: dict[str, dict]) -> None:
    """Provincial councils: "مجلس محافظة الرقة" for every Syrian and Iraqi governorate.

    Each governorate (``place/<cc>/gov/<slug>``) whose names start with "محافظة" gives an
    actor ``actor/<cc>/provincial-council/<slug>`` named "مجلس " + that name, unless an
    entry already has the form. Without it "مجلس محافظة الرقة" read as the governorate.
    Which council (the state's or the opposition's) the wording does not say.
    """
    owner = {fold(n) for rec in records.values()
             for n in (rec.get("name"), *rec.get("aliases", ()), *rec.get("weak_aliases", ())) if n}
    for rid, rec in list(records.items()):
        parts = rid.split("/")
        if rec.get("subtype") != "governorate" or len(parts) != 4 or parts[2] != "gov":
            continue
        forms = [f"مجلس {n}" for n in (rec["name"], *rec.get("aliases", ())) if n.startswith("محافظة ")]
        forms = [f for f in dict.fromkeys(forms) if fold(f) not in owner]
        cid = f"actor/{parts[1]}/provincial-council/{parts[3]}"
        if not forms or cid in records:
            continue
        owner.update(fold(f) for f in forms)
        new: dict[str, Any] = {
            "id": cid, "type": "actor", "subtype": "government", "name": forms[0],
            "name_en": f"{rec['name_en']} provincial council", "country": rec.get("country"),
            "file": rec["file"], "line": rec["line"], "where": {},
            "note": "generated from the governorate; the wording does not say whose council",
        }
        if len(forms) > 1:
            new["aliases"] = tuple(forms[1:])
        records[cid] = {k: v for k, v in new.items() if v is not None}
