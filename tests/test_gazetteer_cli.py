"""`claimx tag`, `claimx gazetteer …` and `claimx eval --entities` through CliRunner."""
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from claimx.cli import main
from claimx.schema import CLAIM, DOC
from conftest import ROOT, SEEDS, SHARED, assert_spans

GEO = SHARED / "geo"
FIXTURE = Path(__file__).parent / "cases" / "gazetteer" / "fixture.yaml"
needs_geo = pytest.mark.skipif(not GEO.exists(), reason=f"geo data not found at {GEO} (../shared is absent)")


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def lines(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize("command", [["tag"], ["gazetteer"], ["gazetteer", "stats"], ["gazetteer", "lookup"],
                                     ["gazetteer", "validate"], ["gazetteer", "import"]])
def test_gazetteer_cli_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "claimx " in result.output  # an example


def test_gazetteer_cli_tag_seeds(seed_texts):
    result = run("tag", SEEDS, "-q")
    assert result.exit_code == 0, result.output
    recs = lines(result.stdout)
    assert len(recs) == len(seed_texts)
    validator = jsonschema.Draft202012Validator(DOC)
    for r in recs:
        validator.validate(r)
        assert r["schema"] == "claimx.doc/1"
        assert_spans(r, seed_texts[r["doc"]["id"]])
        assert {m["type"] for m in r["mentions"]} <= {"place", "actor", "source"}
    first = recs[0]["mentions"]
    assert any(m["id"] == "place/sy/abu-kamal" for m in first)


def test_gazetteer_cli_tag_stdin_and_summary():
    result = CliRunner().invoke(main, ["tag", "-"], input="قصفت الطائرات بالبوكمال وقرية الجعابات")
    assert result.exit_code == 0
    (rec,) = lines(result.stdout)
    assert [(m["text"], m["id"]) for m in rec["mentions"]] == [("البوكمال", "place/sy/abu-kamal"), ("الجعابات", None)]
    assert "1 documents" in result.stderr


def test_gazetteer_cli_tag_output_feeds_extract():
    tagged = run("tag", SEEDS, "-q").stdout
    assert run("extract", "-", "-q", input=tagged).stdout == run("extract", SEEDS, "-q").stdout


def test_gazetteer_cli_extract_fills_entities(seed_texts):
    recs = lines(run("extract", SEEDS, "-q").stdout)
    validator = jsonschema.Draft202012Validator(CLAIM)
    for r in recs:
        validator.validate(r)
        assert_spans(r, seed_texts[r["doc"]["id"]])
        for e in r["entities"]:
            span = r[e["in"]]
            assert span["start"] <= e["start"] and e["end"] <= span["end"]
    assert sum(len(r["entities"]) for r in recs) > 50
    by_source = {r["source"]["text"]: r["source"]["entity"] for r in recs}
    assert by_source.get("المرصد السوري لحقوق الإنسان", "").startswith("source/")


def test_gazetteer_cli_extension_patches_on_top(tmp_path):
    ext = tmp_path / "extra.yaml"
    ext.write_text("entries:\n  - {id: place/sy/test-village, type: place, subtype: village, name: الزغيبة, "
                   "name_en: al-Zughayba, country: SY}\n", "utf-8")
    result = run("tag", "-", "-q", "--gazetteer", ext, input="قصف على الزغيبة والبوكمال")
    ids = [m["id"] for m in lines(result.stdout)[0]["mentions"]]
    assert ids == ["place/sy/test-village", "place/sy/abu-kamal"]


def test_gazetteer_cli_broken_extension_is_an_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - {id: place/sy/x, type: place, subtyp: village, name: قرية, name_en: X}\n", "utf-8")
    for cmd in ("tag", "extract"):
        result = run(cmd, "-", "-q", "--gazetteer", bad, input="نص")
        assert result.exit_code == 1
        assert f"{bad}:2: entry 'place/sy/x': key 'subtyp' is not a known key; did you mean 'subtype'?" in result.output


def test_gazetteer_cli_stats():
    result = run("gazetteer", "stats")
    assert result.exit_code == 0
    assert "entries" in result.output and "place" in result.output
    s = json.loads(run("gazetteer", "stats", "--json").output)
    assert s["by_type"]["place"] >= 600
    assert s["by_type"].get("actor", 0) + s["by_type"].get("source", 0) >= 150
    assert s["entries"] == sum(s["by_type"].values())


@pytest.mark.parametrize("name, entry_id", [
    ("البوكمال", "place/sy/abu-kamal"), ("وبالبوكمال", "place/sy/abu-kamal"), ("قسد", None), ("داعش", None),
])
def test_gazetteer_cli_lookup(name, entry_id):
    result = run("gazetteer", "lookup", name)
    assert result.exit_code == 0, result.output
    if entry_id:
        assert result.output.startswith(entry_id + "\t")
    recs = lines(run("gazetteer", "lookup", name, "--json").output)
    assert recs and all(r["id"] and r["name"] and r["type"] for r in recs)


def test_gazetteer_cli_lookup_fuzzy_and_missing():
    result = run("gazetteer", "lookup", "الميادبن")
    assert result.exit_code == 0 and "fuzzy" in result.output
    assert run("gazetteer", "lookup", "الميادبن", "--no-fuzzy").exit_code == 1
    result = run("gazetteer", "lookup", "كلمةعاديةجدا")
    assert result.exit_code == 1
    assert "Error: no entry for 'كلمةعاديةجدا'" in result.output


def test_gazetteer_cli_validate_good_file():
    result = run("gazetteer", "validate", "--standalone", FIXTURE)
    assert result.exit_code == 0
    assert result.output == f"{FIXTURE}: valid, 32 new entries\n"


@pytest.mark.parametrize("body, message", [
    ("entries:\n  - {id: place/sy/x, type: place, subtype: village, name_en: X}\n",
     "bad.yaml:2: entry 'place/sy/x' is missing required key 'name'; add it (see gazetteer/README.md)"),
    ("entries:\n  - {id: place/sy/x, type: place, subtype: villag, name: قرية, name_en: X}\n",
     "bad.yaml:2: entry 'place/sy/x': key 'subtype' must be one of"),
    ("entries:\n  - {id: place/sy/x, type: place, subtype: village, name: قرية, name_en: X, parent: place/sy/nowhere}\n",
     "bad.yaml:2: entry 'place/sy/x': key 'parent' refers to unknown id 'place/sy/nowhere'"),
    ("entries:\n  - id: place/sy/x\n    name: [unclosed\n",
     "bad.yaml:"),
])
def test_gazetteer_cli_validate_rejects_broken_file(tmp_path, body, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, "utf-8")
    result = run("gazetteer", "validate", bad)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert message in result.output.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.output


def test_gazetteer_cli_validate_missing_file(tmp_path):
    result = run("gazetteer", "validate", tmp_path / "none.yaml")
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'none.yaml'}: file not found; check the path\n"


@needs_geo
@pytest.mark.parametrize("kind, source", [
    ("ocha-syria", GEO / "syria"),
    ("iraq-admin", GEO / "iraq" / "iraq_geo_output.json"),
    ("geonames", GEO / "geonames" / "cities15000.zip"),
])
def test_gazetteer_cli_import_writes_a_valid_extension(tmp_path, kind, source):
    out = tmp_path / f"{kind}.yaml"
    result = CliRunner().invoke(main, ["gazetteer", "import", "--from", kind, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "entries written" in result.stderr
    assert run("gazetteer", "validate", out).exit_code == 0
    data = yaml.safe_load(out.read_text("utf-8"))
    assert all(e["id"].startswith("place/ext/") for e in data["entries"] or [])


@needs_geo
def test_gazetteer_cli_import_extension_tags_an_unknown_subdistrict(tmp_path):
    out = tmp_path / "iq.yaml"
    assert run("gazetteer", "import", "--from", "iraq-admin", GEO / "iraq" / "iraq_geo_output.json", "-o", out).exit_code == 0
    from claimx.gazetteer import load_gazetteer
    from claimx.model import Document

    default, extended = load_gazetteer(), load_gazetteer([out])
    entries = yaml.safe_load(out.read_text("utf-8"))["entries"]
    sub = next(e for e in entries if e["subtype"] == "subdistrict" and " " not in e["name"]
               and not default.lookup(e["name"], fuzzy=False)
               and not default.tag(Document("t", f"وصلت القوات إلى {e['name']} أمس")))
    text = f"وصلت القوات إلى {sub['name']} أمس"
    assert not [m for m in default.tag(Document("t", text)) if m["text"] == sub["name"]]
    result = run("tag", "-", "-q", "--gazetteer", out, input=text)
    (rec,) = lines(result.stdout)
    assert [(m["text"], m["id"]) for m in rec["mentions"]] == [(sub["name"], sub["id"])]


def test_gazetteer_cli_import_needs_output():
    result = run("gazetteer", "import", "--from", "geonames", FIXTURE)
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.output


def test_gazetteer_cli_eval_entities(seed_texts):
    result = run("eval", "--gold", ROOT / "tests" / "gold" / "dev-seeds.yaml", SEEDS, "--entities", "--json")
    assert result.exit_code == 0, result.output
    ent = json.loads(result.output)["entities"]
    assert ent["documents"] == 3 and ent["occurrences"] > 50
    assert 0.5 < ent["typed_recall"] <= 1.0
    text = run("eval", "--gold", ROOT / "tests" / "gold" / "dev-seeds.yaml", SEEDS, "--entities").output
    assert "entities" in text and "consistency" in text


def test_gazetteer_entity_eval_counts_nested_forms_once():
    from claimx.entity_eval import EntityScores, score_entities

    text = "قالت قوات سوريا الديمقراطية إن سوريا وبالبوكمال"
    gold = {"entities": {"place": {"syria": ["سوريا"], "abu_kamal": ["البوكمال"]},
                         "actor": {"sdf": ["قوات سوريا الديمقراطية"]}}}
    sdf, syria, bk = text.index("قوات"), text.rindex("سوريا"), text.index("البوكمال")
    mentions = [
        {"text": "قوات سوريا الديمقراطية", "start": sdf, "end": sdf + 22, "id": "actor/sdf", "type": "actor"},
        {"text": "سوريا", "start": syria, "end": syria + 5, "id": "place/country/syria", "type": "place"},
        {"text": "البوكمال", "start": bk, "end": bk + 8, "id": None, "type": "place"},
    ]
    scores = EntityScores()
    score_entities(text, "d", gold, mentions, scores)
    got = scores.as_dict()
    assert got["occurrences"] == 3  # "سوريا" inside the SDF's name is not scored as the country
    assert got["typed_recall"] == 1.0 and got["resolved"] == round(2 / 3, 4)
    assert got["consistency"] == round(2 / 3, 4)  # البوكمال has no id
