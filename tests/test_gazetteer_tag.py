"""Gazetteer tagging: golden cases (tests/cases/gazetteer/*.yaml), offsets, attach, speed-independent logic."""
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimx.gazetteer import Gazetteer, load_gazetteer, max_edits
from claimx.model import Document

CASES_DIR = Path(__file__).parent / "cases" / "gazetteer"
FIXTURE = CASES_DIR / "fixture.yaml"
CASES = [c for f in sorted(CASES_DIR.glob("*.yaml")) if f.name != "fixture.yaml"
         for c in yaml.safe_load(f.read_text("utf-8"))]


@pytest.fixture(scope="module")
def fixture_gaz() -> Gazetteer:
    return load_gazetteer([FIXTURE], include_default=False, disk_cache=False)


def _check(case, gaz):
    text = case["text"]
    got = gaz.tag(Document("case", text))
    for m in got:
        assert text[m["start"]:m["end"]] == m["text"], m
    want = case["mentions"]
    assert [m["text"] for m in got] == [w["text"] for w in want], got
    for m, w in zip(got, want):
        for k, v in w.items():
            if k == "trigger":
                assert (m.get("trigger") or {}).get("text") == v, (k, m)
            elif k == "candidates":
                assert sorted(c["id"] for c in m.get("candidates", ())) == sorted(v), (k, m)
            else:
                assert m.get(k) == v, (k, m)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_gazetteer_tag_golden_case(case, fixture_gaz):
    gaz = load_gazetteer() if case.get("gazetteer") == "default" else fixture_gaz
    if case.get("xfail"):
        with pytest.raises(AssertionError):
            _check(case, gaz)
    else:
        _check(case, gaz)


def test_gazetteer_tag_case_names_unique():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("length, triggered, edits", [
    (3, False, 0), (4, False, 0), (5, False, 1), (8, False, 1), (9, False, 2),
    (3, True, 0), (4, True, 1), (7, True, 1), (8, True, 2),
])
def test_gazetteer_max_edits_scales_with_length(length, triggered, edits):
    assert max_edits(length, triggered) == edits


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("البوكمالسوريةقريةحيدير الزور\u064e\u0651\u0640ﻻ\u200f «»،.\n")) | st.characters(),
               max_size=120))
def test_gazetteer_tag_offsets_slice_on_any_text(text):
    gaz = load_gazetteer([FIXTURE], include_default=False, disk_cache=False)
    for m in gaz.tag(Document("h", text)):
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["start"] < m["end"]
        if "trigger" in m:
            t = m["trigger"]
            assert text[t["start"]:t["end"]] == t["text"]


def test_gazetteer_tag_offsets_with_diacritics_and_ligatures(fixture_gaz):
    text = "قصفٌ على البُوكمَال وﻻ سوريّا"
    ms = fixture_gaz.tag(Document("d", text))
    assert [(m["text"], m["id"]) for m in ms] == [("البُوكمَال", "place/sy/abu-kamal"), ("سوريّا", "place/country/syria")]


def test_gazetteer_attach_fills_entities_and_source_entity(fixture_gaz):
    text = "قال المرصد السوري لحقوق الإنسان إن قوات النظام سيطرت على البوكمال."
    doc = Document("d", text)
    src = {"text": "المرصد السوري لحقوق الإنسان", "start": 4, "end": 31, "kind": "named", "resolved": False, "entity": None}
    content_start = text.index("قوات")
    rec = {"doc": {"id": "d", "outlet": None}, "source": src, "recipient": None,
           "content": {"text": text[content_start:-1], "start": content_start, "end": len(text) - 1}, "entities": []}
    fixture_gaz.attach(doc, [rec])
    assert src["entity"] == "source/sohr"
    assert [(e["text"], e["in"]) for e in rec["entities"]] == [
        ("المرصد السوري لحقوق الإنسان", "source"), ("قوات النظام", "content"), ("البوكمال", "content")]


@pytest.mark.parametrize("source, entity", [
    ("متحدث باسم القوات الروسية في قاعدة حميميم", "actor/ru/forces"),
    ('وكالة "سانا" التابعة للنظام', "source/sana"),
    ('أغلب القوات التي قاتلت ضد "تنظيم الدولة" في سوريا', None),
    ("ناشطون في دير الزور", None),
    ("مصادر محلية", None),
])
def test_gazetteer_attach_source_head(fixture_gaz, source, entity):
    text = f"وقال {source} إن الوضع هادئ."
    doc = Document("d", text)
    s = text.index(source)
    rec = {"doc": {"id": "d", "outlet": None},
           "source": {"text": source, "start": s, "end": s + len(source), "kind": "named", "resolved": False, "entity": None},
           "recipient": None, "content": {"text": "الوضع هادئ", "start": text.index("الوضع"), "end": len(text) - 1}}
    fixture_gaz.attach(doc, [rec])
    assert rec["source"]["entity"] == entity


@pytest.mark.parametrize("outlet, entity", [
    ({"text": "الجزيرة", "start": None, "end": None, "entity": None}, "source/al-jazeera"),
    ({"text": "وكالة سانا", "start": None, "end": None, "entity": None}, "source/sana"),
    ({"text": "عنب بلدي", "start": None, "end": None, "entity": None}, None),
])
def test_gazetteer_attach_outlet_entity(fixture_gaz, outlet, entity):
    text = "قال مصدر إن الوضع هادئ."
    rec = {"doc": {"id": "d", "outlet": outlet}, "source": {"text": "مصدر", "start": 4, "end": 8},
           "recipient": None, "content": {"text": "الوضع هادئ", "start": 12, "end": 22}}
    fixture_gaz.attach(Document("d", text), [rec])
    assert outlet["entity"] == entity


def test_gazetteer_lookup_clitics_and_fuzzy(fixture_gaz):
    assert [h["id"] for h in fixture_gaz.lookup("بالبوكمال")] == ["place/sy/abu-kamal"]
    assert [h["id"] for h in fixture_gaz.lookup("للبوكمال")] == ["place/sy/abu-kamal"]
    hits = fixture_gaz.lookup("الميادبن")
    assert hits[0]["id"] == "place/sy/mayadin" and hits[0]["match"] == "fuzzy"
    assert sorted(h["id"] for h in fixture_gaz.lookup("الحمدان")) == ["place/sy/hamdan-daraa", "place/sy/hamdan-dz"]
    assert fixture_gaz.lookup("كلمة") == []


def test_gazetteer_load_is_cached_in_process():
    a = load_gazetteer([FIXTURE], include_default=False, disk_cache=False)
    b = load_gazetteer([str(FIXTURE)], include_default=False, disk_cache=False)
    assert a is b


def test_gazetteer_disk_cache_round_trip(tmp_path, monkeypatch):
    import claimx.gazetteer as g

    monkeypatch.setenv("CLAIMX_CACHE", str(tmp_path))
    monkeypatch.setattr(g, "_MEMORY", {})
    first = g.load_gazetteer([FIXTURE], include_default=False, disk_cache=True)
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    monkeypatch.setattr(g, "_MEMORY", {})
    second = g.load_gazetteer([FIXTURE], include_default=False, disk_cache=True)
    assert second is not first
    text = "قصف على بالبوكمال وقرية الجعابات والميادبن"
    assert second.tag(Document("d", text)) == first.tag(Document("d", text))


def test_gazetteer_disk_cache_ignores_a_corrupt_file(tmp_path, monkeypatch):
    import claimx.gazetteer as g

    monkeypatch.setenv("CLAIMX_CACHE", str(tmp_path))
    monkeypatch.setattr(g, "_MEMORY", {})
    g.load_gazetteer([FIXTURE], include_default=False, disk_cache=True)
    for p in tmp_path.glob("gazetteer-*.pickle"):
        p.write_bytes(b"not a pickle")
    monkeypatch.setattr(g, "_MEMORY", {})
    gaz = g.load_gazetteer([FIXTURE], include_default=False, disk_cache=True)
    assert gaz.lookup("البوكمال")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("البوكمالسوريةقسدوبلفك دير الزور\"()\n")), max_size=80))
def test_gazetteer_matcher_finds_what_phrasematcher_finds(text):
    """The gazetteer's faster `find` gives exactly PhraseMatcher.find's matches."""
    from claimx.match import PhraseMatcher
    from claimx.normalize import normalize

    gaz = load_gazetteer([FIXTURE], include_default=False, disk_cache=False)
    view = normalize(text).text
    assert gaz.matcher.find(view) == PhraseMatcher.find(gaz.matcher, view)


_SCAN_TEXT = st.lists(st.sampled_from(list("مدينةبلدقريحوفك _٣3²\"()،.:\n") + ["مدينة", "وبقرية", " ب ", " ("]),
                      max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SCAN_TEXT, st.lists(st.integers(0, 80), max_size=4))
@example('_مدينة قال: ب_ ب "(بلدة" ) ', [])  # "_" is a word character to \b
def test_tagger_scans_equal_their_regexes(fixture_gaz, text, cuts):
    """The word-set and str.find versions of the tagger's scans find what the regexes find:
    the words, the place words, the one-letter fragments and the runs of quote marks, over
    the whole text and over a few regions of it."""
    import claimx.gazetteer as g

    assert g._word_set(text) == set(g._WORD.findall(text))
    doc = Document("d", text)
    n = len(doc.normalized.text)
    cuts = sorted(min(c, n) for c in cuts)
    for regions in (None, [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)] or None):
        t = g._Tagger(fixture_gaz, doc, regions)
        assert t._mark_spans() == t._spans(g._MARKS)
        assert t._place_words() == t._spans(g._PLACE_WORD)
        one_letter = [w for w in t.words if len(w) == 1 and w != "و"]
        assert t._word_spans(one_letter) == t._spans(g._FRAGMENT) == t._fragments()


def test_gazetteer_matcher_same_as_phrasematcher_on_seeds(seed_texts):
    from claimx.match import PhraseMatcher
    from claimx.normalize import normalize

    gaz = load_gazetteer()
    for text in seed_texts.values():
        view = normalize(text).text
        assert gaz.matcher.find(view) == PhraseMatcher.find(gaz.matcher, view)


def test_gazetteer_tag_spans_agree_with_whole_document(seed_texts):
    """Tagging only some stretches (what attach does) finds the same mentions there."""
    gaz = load_gazetteer()
    for text in seed_texts.values():
        doc = Document("s", text)
        whole = gaz.tag(doc)
        spans = [(0, len(text) // 3), (len(text) // 2, len(text) // 2 + 400)]
        part = gaz.tag(Document("s", text), spans)
        inside = lambda m: any(a <= m["start"] and m["end"] <= b for a, b in spans)  # noqa: E731
        same = lambda ms: [(m["start"], m["end"], m["id"]) for m in ms if inside(m) and not m.get("candidates")]  # noqa: E731
        assert same(part) == same(whole)


@pytest.mark.parametrize("a, b, related", [
    ("place/sy/deir-ez-zor", "place/sy/deir-ez-zor-gov", True),
    ("place/sy/abu-kamal", "place/sy/abu-kamal-district", True),
    ("place/sy/abu-kamal", "place/sy/mayadin", False),
    ("place/sy/hamdan-dz", "place/sy/hamdan-daraa", False),
    ("place/sy/abu-kamal", "place/sy/abu-kamal", True),
])
def test_gazetteer_related_places(fixture_gaz, a, b, related):
    assert fixture_gaz.related(a, b) is related


@pytest.mark.parametrize("a, b, related", [
    ("actor/sy/air-force", "actor/sy/regime-forces", True),  # a unit and the force it belongs to
    ("actor/sy/regime-forces", "actor/sy/air-force", True),
    ("actor/sy/opposition-factions", "actor/sy/opposition", True),
    ("actor/iq/kataib-hezbollah", "actor/lb/hezbollah", False),  # not affiliated: two groups
    ("actor/isis", "actor/coalition", False),
    ("place/sy/countryside/deir-ez-zor-east", "place/sy/deir-ez-zor", True),  # ريف X and X
    ("place/country/iraq", "place/region/syria-iraq-border", False),
])
def test_gazetteer_related_grains_in_the_default_gazetteer(a, b, related):
    from claimx.gazetteer import load_gazetteer

    assert load_gazetteer().related(a, b) is related


def test_gazetteer_case_variants_only_for_latin_names():
    from claimx.gazetteer import _case_variants

    assert set(_case_variants("YPG")) == {"ypg", "Ypg"}
    assert _case_variants("RT") == ()  # two letters: "rt" in a URL is not the channel
    assert _case_variants("قسد") == ()


def test_gazetteer_word_caches_keep_their_caps_and_change_no_mention(monkeypatch):
    """The per-word caches are emptied at their caps (memory does not grow with the
    corpus) and hold pure results: tiny caps give the same mentions."""
    import claimx.gazetteer as g

    seeds = Path(__file__).parents[1] / "seeds"
    docs = [Document(p.name, p.read_text("utf-8")) for p in sorted(seeds.glob("*.txt"))]
    gaz = load_gazetteer()
    names = ("_info_cache", "_near_cache", "_window_cache", "_fuzzy_cache", "_shared", "_info_yes")

    def empty():
        for name in names:
            getattr(gaz, name).clear()

    empty()
    want = [gaz.tag(d) for d in docs]
    distinct = len(gaz._info_cache)
    caps = {"INFO_CACHE_MAX": 200, "NEAR_CACHE_MAX": 50, "WINDOW_CACHE_MAX": 4, "FUZZY_CACHE_MAX": 4,
            "SHARED_CACHE_MAX": 20}
    assert distinct > 2 * caps["INFO_CACHE_MAX"]  # the cap is reached, else this tests nothing
    for k, v in caps.items():
        monkeypatch.setattr(g, k, v)
    empty()
    for _ in range(2):
        for d, w in zip(docs, want):
            assert gaz.tag(d) == w
            # the word cache is emptied between documents: at most the cap plus one document's words
            assert len(gaz._info_cache) <= caps["INFO_CACHE_MAX"] + len(set(d.text.split()))
            assert len(gaz._near_cache) <= caps["NEAR_CACHE_MAX"]
            assert len(gaz._window_cache) <= caps["WINDOW_CACHE_MAX"]
            assert len(gaz._fuzzy_cache) <= caps["FUZZY_CACHE_MAX"]
            assert len(gaz._shared) <= caps["SHARED_CACHE_MAX"]
    empty()
