"""The gazetteer data files and their loader/validator (claimx.gazetteer_data)."""
from __future__ import annotations

import collections
import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from claimx.errors import GazetteerError
from claimx.gazetteer_data import (
    ALIGNMENTS, SUBTYPES, Entry, LineSafeLoader, _FAST_LOADER, gazetteer_hash,
    index_by_id, load_entries,
)
from claimx.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SYRIA = SHARED / "geo" / "syria"
needs_shared_geo = pytest.mark.skipif(not SYRIA.is_dir(), reason=f"shared data not found at {SHARED} (../shared next to the repo)")


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return load_entries()


@pytest.fixture(scope="module")
def by_id(entries) -> dict[str, Entry]:
    return index_by_id(entries)


# ----------------------------------------------------------------------------- the default gazetteer


def test_gazetteer_data_default_loads_with_required_sizes(entries):
    types = collections.Counter(e.type for e in entries)
    assert types["place"] >= 600
    assert types["actor"] + types["source"] >= 150
    assert types["actor"] >= 100 and types["source"] >= 60


def test_gazetteer_data_ids_unique_and_prefixed(entries):
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert all(e.id.startswith(e.type + "/") and e.subtype in SUBTYPES[e.type] for e in entries)


def test_gazetteer_data_every_source_has_alignment(entries):
    sources = [e for e in entries if e.type == "source"]
    assert sources and all(e.alignment in ALIGNMENTS for e in sources)


def test_gazetteer_data_entries_are_frozen_and_located(entries):
    e = entries[0]
    assert isinstance(e.aliases, tuple)
    assert e.file == "gazetteer/places.yaml" and e.line > 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.name = "x"  # type: ignore[misc]


def test_gazetteer_data_line_numbers_point_at_the_entry(entries):
    text = (ROOT / "gazetteer" / "actors.yaml").read_text("utf-8").splitlines()
    for e in (x for x in entries if x.file == "gazetteer/actors.yaml"):
        assert f"id: {e.id}" in text[e.line - 1]


@pytest.mark.parametrize("level, count", [("governorate", 14), ("district", 62), ("subdistrict", 272)])
def test_gazetteer_data_every_syrian_admin_area(entries, level, count):
    got = [e for e in entries if e.subtype == level and e.country == "SY" and e.pcode]
    assert len(got) == count
    assert len({e.pcode for e in got}) == count


def test_gazetteer_data_iraqi_governorates_and_districts(entries):
    govs = [e for e in entries if e.country == "IQ" and e.subtype == "governorate"]
    dists = [e for e in entries if e.country == "IQ" and e.subtype == "district"]
    assert len(govs) == 19 and len(dists) >= 100
    assert all(d.parent and d.parent.startswith("place/iq/gov/") for d in dists)


def test_gazetteer_data_parents_and_affiliations_resolve(entries, by_id):
    for e in entries:
        if e.parent:
            assert by_id[e.parent].type == "place"
        for a in e.affiliation:
            assert by_id[a].type == "actor"


def test_gazetteer_data_no_alias_repeats_another_form_after_folding(entries):
    """Spellings that differ only in what the matcher folds (أ/ا, ة/ه, ى/ي, diacritics) are noise."""
    problems = []
    for e in entries:
        seen: dict[str, str] = {}
        for form in (e.name, *e.aliases, *(w for w in e.weak_aliases if w != e.name)):
            f = fold(form)
            if f in seen:
                problems.append(f"{e.file}:{e.line}: {e.id}: {form!r} folds like {seen[f]!r}")
            seen.setdefault(f, form)
    assert not problems, "\n".join(problems)


def test_gazetteer_data_names_are_arabic_and_ids_ascii(entries):
    arabic = re.compile(r"[\u0600-\u06FF]")
    assert all(arabic.search(e.name) for e in entries)
    assert all(e.id.isascii() and e.id == e.id.lower() for e in entries)


@pytest.mark.parametrize("form, ident", [
    ("البوكمال", "place/sy/abu-kamal"), ("أبو كمال", "place/sy/abu-kamal"), ("البو كمال", "place/sy/abu-kamal"),
    ("سوريا", "place/country/syria"), ("سورية", "place/country/syria"),
    ("دير الزور", "place/sy/deir-ez-zor"), ("ديرالزور", "place/sy/deir-ez-zor"),
    ("محافظة دير الزور", "place/sy/gov/deir-ez-zor"), ("ريف دير الزور الشرقي", "place/sy/countryside/deir-ez-zor-east"),
    ("حقل العمر", "place/sy/omar-oil-field"), ("حميميم", "place/sy/hmeimim"), ("الباغوز", "place/sy/baghouz"),
    ("القائم", "place/iq/al-qaim"), ("عين العرب", "place/sy/kobani"), ("كوباني", "place/sy/kobani"),
    ("البادية السورية", "place/sy/badia"), ("شرق الفرات", "place/sy/east-of-euphrates"),
    ("قوات النظام", "actor/sy/regime-forces"), ("قوات نظام بشار الأسد", "actor/sy/regime-forces"),
    ("نظام الأسد", "actor/sy/regime-forces"), ("قوات النظام السوري", "actor/sy/regime-forces"),
    ("تنظيم الدولة", "actor/isis"), ("داعش", "actor/isis"), ("الدولة الإسلامية", "actor/isis"),
    ("قسد", "actor/sy/sdf"), ("قوات سورية الديمقراطية", "actor/sy/sdf"),
    ("الحشد الشعبي", "actor/iq/pmf"), ("كتائب حزب الله", "actor/iq/kataib-hezbollah"),
    ("سانا", "source/sana"), ("وكالة الأنباء الفرنسية", "source/afp"), ("المرصد السوري لحقوق الإنسان", "source/sohr"),
])
def test_gazetteer_data_surface_form_resolves_to_one_entry(entries, form, ident):
    hits = {e.id for e in entries if fold(form) in {fold(n) for n in e.strong_names}}
    assert hits == {ident}


def test_gazetteer_data_weak_forms_are_not_strong(by_id):
    bab = by_id["place/sy/al-bab"]
    assert "الباب" in bab.weak_aliases and "الباب" not in bab.strong_names
    assert "مدينة الباب" in bab.strong_names


@needs_shared_geo
def test_gazetteer_data_seed_gold_entities_resolve_consistently(entries):
    """Every entity of the annotated seeds is in the gazetteer, all its surface forms on one id."""
    gold = yaml.safe_load((SHARED / "docs" / "examples" / "gold-000-001.yaml").read_text("utf-8"))
    index = collections.defaultdict(set)
    for e in entries:
        for n in e.names:
            index[fold(n)].add(e.id)
    for doc in gold["docs"].values():
        for groups in doc["entities"].values():
            for key, forms in groups.items():
                ids = {frozenset(index.get(fold(f), ())) for f in forms}
                assert len(ids) == 1 and len(next(iter(ids))) == 1, (key, forms, ids)


# ----------------------------------------------------------------------------- cross-check with ../shared


@needs_shared_geo
def test_gazetteer_data_syrian_admin_ids_and_coordinates_match_ocha_files(entries):
    source = {}
    for level in ("governorates", "districts", "subdistricts"):
        for rec in json.loads((SYRIA / f"opensyria_{level}.json").read_text("utf-8")):
            source[rec["externalIds"]["ochaPcode"]] = rec
    shipped = [e for e in entries if e.country == "SY" and e.pcode]
    assert {e.pcode for e in shipped} == set(source)
    for e in shipped:
        rec = source[e.pcode]
        ext, centroid = rec["externalIds"], rec.get("centroid") or {}
        assert e.geonames == (int(ext["geonames"]) if ext.get("geonames") else None), e.id
        assert e.wikidata == ext.get("wikidata"), e.id
        assert (e.lat, e.lon) == (centroid.get("latitude"), centroid.get("longitude")), e.id
        assert rec["name"]["ar"] in e.name or rec["name"]["ar"] in e.aliases, e.id


@needs_shared_geo
def test_gazetteer_data_geonames_coordinates_come_from_cities15000(entries):
    import zipfile

    rows = {}
    with zipfile.ZipFile(SHARED / "geo" / "geonames" / "cities15000.zip") as zf:
        for line in zf.read("cities15000.txt").decode("utf-8").splitlines():
            cols = line.split("\t")
            rows[int(cols[0])] = (float(cols[4]), float(cols[5]), cols[8])
    for e in entries:
        if e.geonames and not e.pcode:
            lat, lon, country = rows[e.geonames]
            assert (e.lat, e.lon) == (lat, lon) and e.country == country, e.id
        elif not e.pcode:
            assert e.lat is None, f"{e.id} has coordinates but no source id"


@needs_shared_geo
def test_gazetteer_data_generated_block_is_up_to_date():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_gazetteer_admin as build
    finally:
        sys.path.pop(0)
    text = (ROOT / "gazetteer" / "places.yaml").read_text("utf-8")
    assert build.build(text) == text, "run scripts/build_gazetteer_admin.py"


# ----------------------------------------------------------------------------- broken files

GOOD = "  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, country: SY}\n"


def _write(tmp_path: Path, body: str, name: str = "bad.yaml") -> Path:
    p = tmp_path / name
    p.write_text("entries:\n" + body, encoding="utf-8")
    return p


def _error(path: Path, include_default: bool = False) -> GazetteerError:
    with pytest.raises(GazetteerError) as info:
        load_entries([path], include_default=include_default)
    return info.value


@pytest.mark.parametrize("body, line, expected", [
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, country: SY}\n", 2,
                 "entry 'place/sy/x' is missing required key 'name_en'", id="missing-key"),
    pytest.param("  - id: place/sy/x\n    type: plase\n    subtype: town\n    name: اكس\n    name_en: X\n", 3,
                 "entry 'place/sy/x': key 'type' must be one of place, actor, source (got 'plase')", id="bad-type-value"),
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, aliases: اكس2}\n", 2,
                 "entry 'place/sy/x': key 'aliases' must be a list", id="bad-type-list"),
    pytest.param(GOOD + GOOD, 3, "entry 'place/sy/x': key 'id' is a duplicate (first defined at", id="duplicate-id"),
    pytest.param("  - id: place/sy/x\n    type: place\n    subtype: town\n    name: اكس\n    name_en: X\n    colour: red\n", 7,
                 "entry 'place/sy/x': key 'colour' is not a known key", id="unknown-key"),
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, parent: place/sy/nowhere}\n", 2,
                 "entry 'place/sy/x': key 'parent' refers to unknown id 'place/sy/nowhere'", id="bad-parent"),
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, lat: 95, lon: 40}\n", 2,
                 "key 'lat' must be between -90 and 90 (got 95)", id="lat-range"),
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, aliases: [ب, '']}\n", 2,
                 "key 'aliases' item 2 is empty", id="empty-alias"),
    pytest.param("  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, country: NO}\n", 2,
                 "key 'country' must be a string (got False: YAML reads", id="yaml-boolean"),
    pytest.param("  - {id: source/x, type: source, subtype: tv, name: اكس, name_en: X}\n", 2,
                 "entry 'source/x' is missing required key 'alignment'", id="source-alignment"),
    pytest.param("  - {id: actor/x, type: actor, subtype: militia, name: اكس, name_en: X, parent: place/country/syria}\n", 2,
                 "entry 'actor/x': key 'parent' is not allowed on an actor entry", id="key-of-other-type"),
    pytest.param("  - {id: actor/x, type: actor, subtype: militia, name: X, name_en: X}\n", 2,
                 "key 'name' must be the canonical Arabic name", id="name-not-arabic"),
    pytest.param("  - {id: Place/SY/x, type: place, subtype: town, name: اكس, name_en: X}\n", 2,
                 "key 'id' is not valid", id="bad-id"),
    pytest.param("  - id: place/sy/x\n    id: place/sy/y\n", 3, "key 'id' appears twice in one mapping", id="duplicate-yaml-key"),
    pytest.param("  - {id: place/sy/x, type: place\n", 3, "invalid YAML", id="yaml-syntax"),
])
def test_gazetteer_data_broken_file_is_rejected_with_file_line_key(tmp_path, body, line, expected):
    path = _write(tmp_path, body)
    err = _error(path)
    first = str(err).splitlines()[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert expected in str(err)
    assert err.path == str(path) and err.line == line


def test_gazetteer_data_unknown_key_suggests_the_closest(tmp_path):
    err = _error(_write(tmp_path, "  - {id: place/sy/x, type: place, subtype: town, name: اكس, name_en: X, aliasses: [ب]}\n"))
    assert "did you mean 'aliases'?" in str(err) and err.key == "aliasses"


def test_gazetteer_data_all_problems_reported_at_once(tmp_path):
    body = ("  - {id: place/sy/x, type: plase, subtype: town, name: اكس, name_en: X}\n"
            "  - {id: place/sy/y, type: place, subtype: city, name: واي}\n")
    err = _error(_write(tmp_path, body))
    assert len(err.problems) == 2 and "1 more problem(s)" in str(err)


def test_gazetteer_data_bad_affiliation_and_parent_cycle(tmp_path):
    body = ("  - {id: place/sy/a, type: place, subtype: town, name: أ, name_en: A, parent: place/sy/b}\n"
            "  - {id: place/sy/b, type: place, subtype: town, name: ب, name_en: B, parent: place/sy/a}\n"
            "  - {id: actor/x, type: actor, subtype: militia, name: اكس, name_en: X, affiliation: [place/sy/a]}\n")
    text = str(_error(_write(tmp_path, body)))
    assert "key 'parent' forms a cycle" in text
    assert "key 'affiliation' must list actor ids (got place 'place/sy/a')" in text


def test_gazetteer_data_rejects_unsafe_yaml_tags(tmp_path):
    path = _write(tmp_path, "  - !!python/object/apply:os.system ['echo hi']\n")
    assert "invalid YAML" in str(_error(path))


def test_gazetteer_data_missing_and_empty_files(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert "file not found" in str(_error(missing))
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert "is empty" in str(_error(empty))
    wrong = tmp_path / "list.yaml"
    wrong.write_text("- a\n", encoding="utf-8")
    assert "must be a mapping with an 'entries:' list" in str(_error(wrong))


# ----------------------------------------------------------------------------- extensions


def test_gazetteer_data_extension_adds_new_entries(tmp_path, by_id):
    ext = _write(tmp_path, "  - {id: place/sy/new-village, type: place, subtype: village, name: قرية جديدة,"
                           " name_en: New village, country: SY, parent: place/sy/subdist/hajin}\n", "ext.yaml")
    got = index_by_id(load_entries([ext]))
    assert got["place/sy/new-village"].file == str(ext)
    assert len(got) == len(by_id) + 1


def test_gazetteer_data_extension_patch_appends_aliases_and_replaces_scalars(tmp_path, by_id):
    ext = _write(tmp_path, "  - {id: place/sy/abu-kamal, aliases: [بوكمال الشرقية], weak_aliases: [البو كمال],"
                           " note: patched}\n", "patch.yaml")
    patched = index_by_id(load_entries([ext]))["place/sy/abu-kamal"]
    original = by_id["place/sy/abu-kamal"]
    assert patched.aliases[-1] == "بوكمال الشرقية"
    assert "البو كمال" in patched.weak_aliases and "البو كمال" not in patched.aliases
    assert patched.note == "patched" and patched.name == original.name and patched.lat == original.lat


def test_gazetteer_data_patch_cannot_change_type(tmp_path):
    ext = _write(tmp_path, "  - {id: place/sy/abu-kamal, type: actor}\n", "patch.yaml")
    assert "cannot change an entry's type" in str(_error(ext, include_default=True))


def test_gazetteer_data_extension_new_entry_must_be_complete(tmp_path):
    ext = _write(tmp_path, "  - {id: place/sy/brand-new, aliases: [شي]}\n", "ext.yaml")
    assert "is missing required key 'name'" in str(_error(ext, include_default=True))


def test_gazetteer_data_extension_duplicate_within_file_is_an_error(tmp_path):
    ext = _write(tmp_path, "  - {id: place/sy/abu-kamal, aliases: [س]}\n  - {id: place/sy/abu-kamal, aliases: [ص]}\n")
    assert "key 'id' is a duplicate" in str(_error(ext, include_default=True))


# ----------------------------------------------------------------------------- hashing and YAML


def test_gazetteer_data_hash_tracks_file_bytes(tmp_path):
    ext = _write(tmp_path, GOOD, "ext.yaml")
    base, with_ext = gazetteer_hash(), gazetteer_hash([ext])
    assert base == gazetteer_hash() and len(base) == 64 and base != with_ext
    ext.write_text(ext.read_text("utf-8") + "\n", encoding="utf-8")
    assert gazetteer_hash([ext]) != with_ext


SAMPLE = """entries:
  - &a {id: place/sy/x, n: 3, f: 1.5, b: yes, z: null, d: 2017-11-19, l: [1, 'two', [3]]}
  - id: place/sy/y
    nested: {k: [a, b]}
    again: *a
"""


@pytest.mark.parametrize("which", ["sample", "actors.yaml", "sources.yaml"])
def test_gazetteer_data_fast_loader_equals_safe_loader(which):
    """The libyaml fast path builds exactly what the pure SafeLoader subclass builds."""
    text = SAMPLE if which == "sample" else (ROOT / "gazetteer" / which).read_text("utf-8")
    slow, fast = yaml.load(text, Loader=LineSafeLoader), yaml.load(text, Loader=_FAST_LOADER)
    assert slow == fast
    assert [e.line for e in slow["entries"]] == [e.line for e in fast["entries"]]
    assert [e.key_lines for e in slow["entries"]] == [e.key_lines for e in fast["entries"]]


def test_gazetteer_data_compose_files_are_validated_with_file_and_line():
    """A broken line of countries.yaml / institutions.yaml is reported, not silently skipped."""
    from claimx import gazetteer_compose as gc
    from claimx.gazetteer_data import _FAST_LOADER, _Problems

    records = {"place/country/syria": {"id": "place/country/syria", "type": "place", "subtype": "country",
                                       "country": "SY", "name_en": "Syria"}}
    countries = yaml.load("countries:\n  - {code: sy, place: place/country/syria, m: [السوري], f: [السورية]}\n"
                          "  - {code: iq, place: place/country/iraq, m: [العراقي], f: [العراقية]}\n"
                          "  - {code: tr, place: place/country/syria, m: x, f: [التركية], colour: red}\n",
                          Loader=_FAST_LOADER)["countries"]
    problems = _Problems()
    good = gc.parse_countries(countries, "gazetteer/countries.yaml", problems.add, records)
    assert [c["code"] for c in good] == ["sy"]
    text = "\n".join(problems.messages)
    assert "gazetteer/countries.yaml:3: country 'iq': key 'place'" in text
    assert "gazetteer/countries.yaml:4: country 'tr': key 'colour' is not known" in text
    insts = yaml.load("institutions:\n  - {key: mofa, subtype: government, name_en: '{country} MFA', forms: ['وزارة الخارجية {f}']}\n"
                      "  - {key: bad, subtype: nope, name_en: 'x', forms: ['الجيش']}\n", Loader=_FAST_LOADER)["institutions"]
    got = gc.parse_institutions(insts, "gazetteer/institutions.yaml", problems.add, ("government",))
    assert [i["key"] for i in got] == ["mofa"]
    text = "\n".join(problems.messages)
    assert "institution 'bad': key 'subtype' must be one of government" in text
    assert "exactly one of {m}, {f}, {fi}, {of}" in text
    new = {"place/country/syria": records["place/country/syria"]}
    gc.compose(new, good, got, ("countries.yaml", "institutions.yaml"))
    assert new["actor/sy/mofa"]["name"] == "وزارة الخارجية السورية"


def test_gazetteer_data_compose_reuses_existing_entries(by_id):
    """Generated forms join the hand-written entry that owns the institution's forms."""
    assert "وزارة خارجية روسيا" in by_id["actor/ru/mofa"].aliases
    assert "actor/ru/mfa" not in by_id and "actor/ru/army" not in by_id
    assert "جيش سوريا" in by_id["actor/sy/regime-forces"].aliases
    assert by_id["actor/eg/forces"].affiliation == ()
    assert by_id["actor/eg/mod"].affiliation == ("actor/eg/government",)
    assert by_id["actor/eg/mod"].weak_aliases == ("وزارة الدفاع",)


@pytest.mark.parametrize("content, line, words", [
    (b"countries:\n  - {id: x\n", 3, "invalid YAML"),
    (b"countries: 1\n", 1, "one key 'countries:'"),
    (b"countries:\n  - 1\n", 1, "must be a mapping"),
    (b"countries:\n  - {a: 1, a: 2}\n", 2, "'a'"),
    ("countries: []\n".encode("utf-16"), 1, "UTF-8"),
])
def test_compose_files_report_file_and_line(tmp_path, content, line, words):
    """The compositional layer's data files fail like the gazetteer files: file, line, what."""
    from claimx.gazetteer_data import _Problems, _read_raw_list
    from claimx.gazetteer_files import _Source

    path = tmp_path / "countries.yaml"
    path.write_bytes(content)
    problems = _Problems()
    assert _read_raw_list(_Source("countries.yaml", path), problems, "countries") == []
    (message,) = problems.messages
    assert message.startswith(f"countries.yaml:{line}:") and words in message, message
