"""Importers that turn official data sets into extension gazetteers (claimx.gazetteer_import)."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from claimx.gazetteer_data import index_by_id, load_entries
from claimx.gazetteer_import import (
    drop_known, dump_yaml, import_geonames, import_iraq_admin, import_ocha_syria, write_yaml,
)
from claimx.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT.parent / "shared" / "geo"
needs = {
    "syria": pytest.mark.skipif(not (GEO / "syria").is_dir(), reason=f"{GEO / 'syria'} not found (../shared is absent)"),
    "iraq": pytest.mark.skipif(not (GEO / "iraq").is_dir(), reason=f"{GEO / 'iraq'} not found (../shared is absent)"),
    "geonames": pytest.mark.skipif(not (GEO / "geonames").is_dir(), reason=f"{GEO / 'geonames'} not found (../shared is absent)"),
}


def _validate(entries: list[dict], tmp_path: Path, name: str) -> dict:
    """Write the entries as an extension file and load it on top of the default gazetteer."""
    path = write_yaml(entries, tmp_path / name, header="test extension")
    return index_by_id(load_entries([path]))


# ----------------------------------------------------------------------------- the shared data sets


@needs["syria"]
def test_gazetteer_import_ocha_syria_shared_files_validate(tmp_path):
    entries = import_ocha_syria(GEO / "syria")
    assert len(entries) == 14 + 62 + 272
    loaded = _validate(entries, tmp_path, "syria.yaml")
    hajin = loaded["place/ext/sy/sy090201"]
    assert (hajin.name, hajin.subtype, hajin.pcode) == ("هجين", "subdistrict", "SY090201")
    assert hajin.parent == "place/ext/sy/sy0902" and loaded[hajin.parent].parent == "place/ext/sy/sy09"
    assert loaded["place/ext/sy/sy09"].parent == "place/country/syria"


@needs["syria"]
def test_gazetteer_import_ocha_syria_single_file_has_no_dangling_parents(tmp_path):
    entries = import_ocha_syria(GEO / "syria" / "opensyria_subdistricts.json")
    assert len(entries) == 272 and not any("parent" in e for e in entries)


@needs["syria"]
def test_gazetteer_import_ocha_syria_is_all_known_to_the_default(tmp_path):
    assert drop_known(import_ocha_syria(GEO / "syria"), load_entries()) == []


@needs["iraq"]
def test_gazetteer_import_iraq_admin_shared_file_validates_and_adds_subdistricts(tmp_path):
    """The file validates, and it brings what `--gazetteer extra.yaml` is for: names the default lacks."""
    entries = import_iraq_admin(GEO / "iraq" / "iraq_geo_output.json")
    govs = [e for e in entries if e["subtype"] == "governorate"]
    assert len(govs) == 19  # the file lists 24 provinces, five of them twice
    default = {fold(n) for e in load_entries() for n in e.names}
    loaded = _validate(drop_known(entries, load_entries()), tmp_path, "iraq.yaml")
    new = {e.name for e in loaded.values() if e.id.startswith("place/ext/iq/") and e.subtype == "subdistrict"
           and not {fold(n) for n in e.names} & default}
    assert len(new) > 100 and "بحركه" in new  # Baharka, Erbil


@needs["geonames"]
def test_gazetteer_import_geonames_shared_zip_validates(tmp_path):
    entries = import_geonames(GEO / "geonames" / "cities15000.zip")
    assert {e["country"] for e in entries} == {"SY", "IQ"}
    loaded = _validate(entries, tmp_path, "geonames.yaml")
    bukamal = loaded["place/ext/geonames/174448"]
    assert bukamal.geonames == 174448 and bukamal.lat == 34.45226 and bukamal.parent == "place/country/syria"
    assert "البو كمال" in bukamal.names


# ----------------------------------------------------------------------------- small fixtures (no ../shared)


def _opensyria(tmp_path: Path) -> Path:
    d = tmp_path / "syria"
    d.mkdir()
    gov = [{"id": "sy-g", "name": {"en": "G", "ar": "جيم"}, "aliases": [{"value": "محافظة جيم", "language": "ar"}],
            "centroid": {"latitude": 35.0, "longitude": 40.0},
            "externalIds": {"ochaPcode": "SY09", "geonames": "170792", "wikidata": "Q232387"}}]
    sub = [{"id": "sy-g-d-s", "governorateId": "sy-g", "districtId": "sy-g-d", "name": {"en": "Kobani", "ar": "عين العرب"},
            "aliases": [{"value": "كوباني", "language": "ar"}, {"value": "kwbanێ", "language": "ar"},
                        {"value": "Kobane", "language": "en"}],
            "externalIds": {"ochaPcode": "SY090201"}}]
    (d / "opensyria_governorates.json").write_text(json.dumps(gov, ensure_ascii=False), encoding="utf-8")
    (d / "opensyria_subdistricts.json").write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    return d


def test_gazetteer_import_ocha_syria_fields(tmp_path):
    gov, sub = import_ocha_syria(_opensyria(tmp_path))
    assert gov == {"id": "place/ext/sy/sy09", "type": "place", "subtype": "governorate", "name": "جيم",
                   "name_en": "G", "aliases": ["محافظة جيم"], "country": "SY", "parent": "place/country/syria",
                   "lat": 35.0, "lon": 40.0, "pcode": "SY09", "geonames": 170792, "wikidata": "Q232387",
                   "note": gov["note"]}
    assert sub["aliases"] == ["كوباني"]  # Latin transliterations are not Arabic aliases
    assert "parent" not in sub  # its district is not in the input


def test_gazetteer_import_ocha_syria_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no opensyria"):
        import_ocha_syria(tmp_path)


IRAQ = {"provinces": [
    {"engName": "Anbar", "arbName": "الأنبار", "krdName": "ئەنبار", "districts": [
        {"engName": "Al-Qa'im", "arbName": "القائم", "subdistricts": [{"engName": "Rummana", "arbName": "الرمانة", "villages": []}]}]},
    {"engName": "Al Anbar", "arbName": "محافظة الأنبار", "districts": [
        {"engName": "Al-Qa'im District", "arbName": "قضاء القائم", "subdistricts": [{"engName": "Ubaydi", "arbName": "العبيدي"}]},
        {"engName": "Al-Hindiya (Tuwayrij)", "arbName": "الهندية (طويريج)", "subdistricts": []}]},
    {"engName": "Erbil", "arbName": "أربيل", "krdName": "هەولێر", "subdistricts": [{"engName": "Ankawa", "arbName": "عەنکاوە"}],
     "districts": [{"engName": "Koya", "arbName": "کۆیە", "subdistricts": []}]},
]}


def test_gazetteer_import_iraq_admin_merges_cleans_and_respells(tmp_path):
    path = tmp_path / "iraq.json"
    path.write_text(json.dumps(IRAQ, ensure_ascii=False), encoding="utf-8")
    got = {e["id"]: e for e in import_iraq_admin(path)}
    anbar = got["place/ext/iq/anbar"]
    assert anbar["name"] == "الأنبار" and "محافظة الأنبار" in anbar["aliases"]  # two records, one unit
    qaim = got["place/ext/iq/anbar/al-qaim"]
    assert qaim["name"] == "القائم" and qaim["parent"] == "place/ext/iq/anbar"
    assert {"place/ext/iq/anbar/al-qaim/rummana", "place/ext/iq/anbar/al-qaim/ubaydi"} <= set(got)
    hindiya = got["place/ext/iq/anbar/al-hindiya-tuwayrij"]
    assert hindiya["name"] == "الهندية" and "طويريج" in hindiya["aliases"]
    assert got["place/ext/iq/erbil"]["aliases"] == ["هولير"]  # a different Kurdish name is kept
    assert got["place/ext/iq/erbil/koya"]["name"] == "كويه"  # Kurdish orthography in Arabic letters
    assert got["place/ext/iq/erbil/ankawa"]["name"] == "عنكاوه"
    _validate(list(got.values()), tmp_path, "iraq.yaml")


def test_gazetteer_import_iraq_admin_rejects_other_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="provinces"):
        import_iraq_admin(path)


ROWS = [
    # geonameid name asciiname alternatenames lat lon class code country cc2 admin1..4 population ...
    ["174448", "Ālbū Kamāl", "Albu Kamal", "Abu Kamal,أبو كمال,البو كمال,محافظة البوكمال,ladhqyہ", "34.45226", "40.91854",
     "P", "PPLA2", "SY", "", "07", "", "", "", "57572", "", "180", "Asia/Damascus", "2020-01-01"],
    ["1", "Nowhere", "Nowhere", "Nowhere", "1", "1", "P", "PPL", "SY", "", "", "", "", "", "20000", "", "", "", ""],
    ["99072", "Mosul", "Mosul", "الموصل,موسڵ", "36.335", "43.11889", "P", "PPLA", "IQ", "", "15", "", "", "",
     "1683000", "", "", "", ""],
    ["323786", "Ankara", "Ankara", "أنقرة", "39.91987", "32.85427", "P", "PPLC", "TR", "", "", "", "", "", "3517182",
     "", "", "", ""],
]


@pytest.mark.parametrize("packed", [False, True], ids=["txt", "zip"])
def test_gazetteer_import_geonames_keeps_arabic_names_only(tmp_path, packed):
    txt = tmp_path / "cities.txt"
    txt.write_text("".join("\t".join(r) + "\n" for r in ROWS), encoding="utf-8")
    path = txt
    if packed:
        path = tmp_path / "cities.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.write(txt, "cities15000.txt")
    got = {e["id"]: e for e in import_geonames(path)}
    assert set(got) == {"place/ext/geonames/174448", "place/ext/geonames/99072"}  # no Arabic name, other country
    bk = got["place/ext/geonames/174448"]
    assert bk["name"] == "أبو كمال" and bk["aliases"] == ["البو كمال"]  # no province name, no Latin
    assert (bk["subtype"], bk["parent"], bk["geonames"]) == ("town", "place/country/syria", 174448)
    assert got["place/ext/geonames/99072"]["subtype"] == "city"
    assert got["place/ext/geonames/99072"]["name"] == "الموصل"  # standard Arabic spelling first
    assert {e["id"] for e in import_geonames(path, countries=("TR",))} == {"place/ext/geonames/323786"}
    _validate(list(got.values()), tmp_path, "gn.yaml")


# ----------------------------------------------------------------------------- writing


def test_gazetteer_import_write_yaml_is_atomic_and_round_trips(tmp_path):
    entries = [{"id": "place/ext/x", "type": "place", "subtype": "town", "name": "اكس", "name_en": "X: a town",
                "aliases": ["اكس, الجديدة"], "country": "SY", "lat": 1.5, "lon": 2.0}]
    out = tmp_path / "ext.yaml"
    out.write_text("old", encoding="utf-8")
    assert write_yaml(entries, out, header="line one\nline two") == out
    text = out.read_text("utf-8")
    assert text.startswith("# line one\n# line two\nentries:\n")
    assert "aliases: [اكس, الجديدة]" not in text  # a comma inside an alias is quoted
    assert sorted(os.listdir(tmp_path)) == ["ext.yaml"]  # no temporary file left behind
    (e,) = load_entries([out], include_default=False)
    assert (e.name_en, e.aliases, e.lat) == ("X: a town", ("اكس, الجديدة",), 1.5)


def test_gazetteer_import_write_yaml_failure_leaves_old_file(tmp_path, monkeypatch):
    out = tmp_path / "ext.yaml"
    out.write_text("old", encoding="utf-8")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_yaml([{"id": "place/ext/x", "type": "place", "subtype": "town", "name": "اكس", "name_en": "X"}], out)
    assert out.read_text("utf-8") == "old" and sorted(os.listdir(tmp_path)) == ["ext.yaml"]


def test_gazetteer_import_dump_accepts_entry_objects():
    (entry,) = [e for e in load_entries() if e.id == "place/sy/hajin"]
    text = dump_yaml([entry])
    assert "id: place/sy/hajin" in text and "file:" not in text and "line:" not in text


def test_gazetteer_import_drop_known_redirects_parents():
    known = [{"id": "place/sy/gov/deir-ez-zor", "pcode": "SY09"}]
    imported = [{"id": "place/ext/sy/sy09", "pcode": "SY09"},
                {"id": "place/ext/sy/sy0902", "pcode": "SY0902", "parent": "place/ext/sy/sy09"}]
    assert drop_known(imported, known) == [{"id": "place/ext/sy/sy0902", "pcode": "SY0902",
                                             "parent": "place/sy/gov/deir-ez-zor"}]
