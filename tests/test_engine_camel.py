"""The camel engine and the light normaliser's conformance with camel_tools.utils.

Runs only with the `camel` extra (`pip install torch==2.13.0 && pip install -e '.[camel]'`).
The morphology DB is the tiny one in tests/fixtures/camel/ (CAMeL's format, our own entries),
laid out as a CAMeL data folder: data/morphology_db/calima-msa-r13/morphology.db.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("camel_tools", reason="the camel extra is not installed (pip install 'claimx[camel]')")
from camel_tools.utils.dediac import dediac_ar  # noqa: E402
from camel_tools.utils.normalize import (  # noqa: E402
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from claimx.engines import camel_engine as ce  # noqa: E402
from claimx.errors import EngineUnavailable  # noqa: E402
from claimx.normalize import fold, normalize  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "camel"
DB = FIX / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db"


def camel_fold(s: str) -> str:
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(s))))


# --- conformance: claimx.normalize vs camel_tools.utils -------------------------------

CONFORMANCE = [
    "قالَ مصدرٌ محليٌّ",
    "أكّدت وزارةُ الدفاع",
    "إنَّ القواتِ سيطرت على المدينة",
    "آلاف المدنيين نزحوا إلى الرقة",
    "ٱلمرصد",
    "مستشفى المدينة",
    "نفى المتحدث باسم الوزارة",
    "مُؤَكِّدَةً أنَّ الهجومَ فَشِلَ",
    "اللّٰه",  # superscript alef
    "قوّات سوريّة الديمقراطيّة",
    "مدرسةٌ ومشفىً",
]


@pytest.mark.parametrize("s", CONFORMANCE)
def test_engine_camel_fold_agrees_with_camel_normalisers(s):
    assert fold(s) == camel_fold(s)


@pytest.mark.parametrize("s", CONFORMANCE)
def test_engine_camel_view_agrees_and_maps_back(s):
    n = normalize(s)
    assert n.text == camel_fold(s)
    # every view character maps back to the raw character that produced it
    for i in range(len(n.text)):
        a, b = n.to_raw(i, i + 1)
        assert camel_fold(s[a:b]) == n.text[i]


def test_engine_camel_tatweel_is_a_documented_difference():
    # claimx drops tatweel (a justification stretch); camel's dediac_ar keeps it
    assert fold("قـــال") == "قال"
    assert camel_fold("قـــال") == "قـــال"


_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤةىأإآٱ"
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
_WORD = st.builds(lambda first, rest: first + rest,
                  st.sampled_from(_LETTERS), st.text(alphabet=_LETTERS + _MARKS, max_size=8))


@given(st.lists(_WORD, min_size=1, max_size=6))
def test_engine_camel_fold_agrees_on_random_arabic(words):
    s = " ".join(words)
    assert fold(s) == camel_fold(s)


# --- the engine on the tiny DB ------------------------------------------------------

@dataclass(frozen=True)
class Cue:  # the fields of claimx.lexicon.CueEntry the engine reads
    id: str
    lemma: str
    type: str
    pos: str
    forms: tuple


CUES = [
    Cue("say.sarraha", "صرح", "say", "verb", ("صرح", "صرحت", "صرحوا", "يصرح", "تصرح", "يصرحون")),
    Cue("confirm.akkada", "أكد", "confirm", "verb", ("أكد", "أكدت", "أكدوا", "يؤكد")),
    Cue("say.qala", "قال", "say", "verb", ("قال", "قالت", "قالوا", "يقول")),
]


@pytest.fixture(scope="module")
def engine():
    return ce.CamelEngine(db_path=DB)


@pytest.mark.parametrize("word,lemma", [("وصرّحت", "صرح"), ("تصرحان", "صرح"), ("أكده", "أكد"),
                                        ("يؤكدون", "أكد"), ("مصادر", "مصدر"), ("للجزيرة", "جزيرة")])
def test_engine_camel_lemmas(engine, word, lemma):
    assert lemma in engine.lemmas(word)


@pytest.mark.parametrize("word,segments", [
    ("وصرّحت", [("و", "proclitic"), ("صرّحت", "stem")]),
    ("وتصرحان", [("و", "proclitic"), ("تصرحان", "stem")]),
    ("أكده", [("أكد", "stem"), ("ه", "enclitic")]),
    ("للجزيرة", [("ل", "proclitic"), ("لجزيرة", "stem")]),
    ("مصادر", [("مصادر", "stem")]),
])
def test_engine_camel_segment_clitics_with_offsets(engine, word, segments):
    segs = engine.segment(word)
    assert [(s.text, s.role) for s in segs] == segments
    assert all(word[s.start:s.end] == s.text for s in segs)


def test_engine_camel_unknown_word_has_no_analysis(engine):
    assert engine.lemmas("بلابلا") == []
    assert engine.segment("بلابلا") is None


def test_engine_camel_cue_candidates_only_for_forms_the_lexicon_lacks(engine):
    text = "وتصرحان المصادر بأن الهجوم فشل، وقالت إن القصف مستمر، ويؤكدون ذلك."
    cands = engine.cue_candidates(text, CUES)
    got = [(c["text"], c["lemma"], c["type"], c["entry"]) for c in cands]
    assert got == [("تصرحان", "صرح", "say", "say.sarraha"), ("يؤكدون", "أكد", "confirm", "confirm.akkada")]
    for c in cands:
        assert text[c["start"]:c["end"]] == c["text"]
        assert c["engine"] == "camel"
        for seg in c["segments"]:
            assert text[seg["start"]:seg["end"]] == seg["text"]


def test_engine_camel_cue_candidates_respect_skip(engine):
    text = "وتصرحان المصادر"
    assert engine.cue_candidates(text, CUES, skip={(0, 7)}) == []


def test_engine_camel_finds_db_in_a_camel_data_folder():
    assert ce.find_db(data_dir=FIX) == DB
    assert ce.find_db(db_path=FIX) == DB  # a data folder given as the DB path


def test_engine_camel_missing_db_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "empty"))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(EngineUnavailable, match="camel_data -i morphology-db-msa-r13"):
        ce.find_db()
    with pytest.raises(EngineUnavailable, match="no CAMeL morphology database"):
        ce.find_db(db_path=tmp_path / "nope.db")


def test_engine_camel_broken_db_is_engine_unavailable(tmp_path):
    bad = tmp_path / "morphology.db"
    bad.write_text("###DEFINES###\nnot a define\n", encoding="utf-8")
    with pytest.raises(EngineUnavailable, match="not a CAMeL morphology database"):
        ce.CamelEngine(db_path=bad)


# --- camel in the claim stage -----------------------------------------------------------

def test_engine_camel_adds_claims_for_unlisted_cue_forms():
    from claimx.model import Document
    from claimx.pipeline import Options, Pipeline

    text = "وتصرحان المصادر بأن الهجوم فشل."
    light = Pipeline().extract(Document("d", text))
    assert light == []  # تصرحان is not a listed form of صرح
    recs = Pipeline(Options(engine="camel", extra={"models": str(FIX)})).extract(Document("d", text))
    assert [(r["cue"]["text"], r["cue"]["type"], r["evidence"]["cue"]) for r in recs] == [("تصرحان", "say", "say.sarraha")]
    assert recs[0]["source"]["text"] == "المصادر" and recs[0]["content"]["text"] == "الهجوم فشل"
    assert recs[0]["evidence"]["engine"] == "camel"
    for r in recs:
        assert text[r["cue"]["start"]:r["cue"]["end"]] == r["cue"]["text"]


def test_engine_camel_cli_option(tmp_path):
    from click.testing import CliRunner

    from claimx.cli import main

    f = tmp_path / "a.txt"
    f.write_text("وتصرحان المصادر بأن الهجوم فشل.", "utf-8")
    result = CliRunner().invoke(main, ["extract", str(f), "-q", "--engine", "camel", "--models", str(FIX)])
    assert result.exit_code == 0, result.output
    assert '"say.sarraha"' in result.stdout
