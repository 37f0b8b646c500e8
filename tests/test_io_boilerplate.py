"""Boilerplate of scraped pages: flagged, split out, never removed from the text."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import io_corpus
from claimx.boilerplate import load_markers, mark_boilerplate
from claimx.errors import LexiconError
from claimx.model import Document
from claimx.pipeline import Pipeline
from claimx.segment import split_sentences

PIPE = Pipeline()
CLAIM = "قال المرصد السوري إن الاشتباكات مستمرة في ريف دير الزور."


def flagged(text):
    doc = Document("x", text)
    return [(doc.text[s.start:s.end], s.boilerplate) for s in split_sentences(doc)]


def contents(text):
    return [(r["cue"]["text"], r["content"]["text"]) for r in PIPE.extract(Document("x", text))]


@pytest.mark.parametrize("seed", sorted(io_corpus.SEED))
def test_io_boilerplate_scrape_gives_the_claims_of_the_clean_seed(seed):
    text = io_corpus.SEED[seed]
    assert contents(io_corpus.scrape(text)) == contents(text)


@pytest.mark.parametrize("line", [
    "الرئيسية | أخبار | سوريا | العراق",
    "تعليقات",
    "شارك",
    "| | | | |",
    "البريد الإلكتروني : كلمة السر : أكد كلمة السر",
    "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما تعبر عن رأي أصحابها",
    "زر الذهاب إلى الأعلى",
    "+ الخط -",
    ", , , , , , , ,",
    "12 : 40 | 13 : 05 | 14 : 10 | 2017 / 10 / 21",
])
def test_io_boilerplate_furniture_lines_flagged(line):
    assert all(flag for _, flag in flagged(f"{CLAIM}\n{line}\n")[1:])
    assert not contents(f"{CLAIM}\n{line}\n")[1:]


def test_io_boilerplate_section_label_cut_out_and_the_lede_after_it_kept():
    got = flagged(f"مواضيع ذات صلة {CLAIM}")
    assert got == [("مواضيع ذات صلة", True), (CLAIM, False)]
    assert contents(f"حجم الخط {CLAIM}") == contents(CLAIM)


def test_io_boilerplate_footer_glued_to_the_story_does_not_end_up_in_content():
    story = "العنوان\nسطر أول من الخبر.\nسطر ثان من الخبر.\n"
    text = story + "قال المرصد السوري إن الاشتباكات مستمرة في ريف دير الزور لا توجد تعليقات على الخبر أضف تعليقك"
    assert contents(text) == [("قال", "الاشتباكات مستمرة في ريف دير الزور")]


def test_io_boilerplate_repeated_sentence_gives_claims_once():
    text = f"{CLAIM}\nخبر آخر لا صلة له.\n{CLAIM}\n{CLAIM}\n"
    assert flagged(text) == [(CLAIM, False), ("خبر آخر لا صلة له.", False), (CLAIM, True), (CLAIM, True)]


def test_io_boilerplate_teaser_runs_flagged_but_a_single_ellipsis_kept():
    assert not contents(io_corpus.TEASERS)
    single = "قال المرصد السوري إن الاشتباكات مستمرة في ريف دير الزور . . ."
    assert contents(single)


def test_io_boilerplate_title_with_site_name_is_not_a_menu():
    assert flagged("قال المرصد إن الهجوم فشل | الجزيرة نت") == [("قال المرصد إن الهجوم فشل | الجزيرة نت", False)]


def test_io_boilerplate_text_never_changes_and_offsets_slice_it():
    text = io_corpus.scrape(io_corpus.SEED["001"]).replace("\n", "\r\n")
    doc = Document("x", text)
    sentences = split_sentences(doc)
    assert doc.text == text
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(0 <= a.start < a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    for r in PIPE.extract(doc):
        assert text[r["content"]["start"]:r["content"]["end"]] == r["content"]["text"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("قال المرصد إن أكد|.…,{}*+- \n\r\u00a0ً")
                               + ["مواضيع ذات صلة", "تعليقات", "كلمة السر", " . . . ", CLAIM]), max_size=60).map("".join))
def test_io_boilerplate_property_sentences_stay_inside_and_ordered(text):
    doc = Document("x", text)
    plain = split_sentences(doc, boilerplate=False)
    marked = mark_boilerplate(doc, plain)
    assert [s.index for s in marked] == list(range(len(marked)))
    for s in marked:
        assert 0 <= s.start < s.end <= len(text) and doc.text[s.start:s.end].strip()
        assert any(p.start <= s.start and s.end <= p.end for p in plain)  # pieces of the plain sentences
    assert all(a.end <= b.start for a, b in zip(marked, marked[1:]))


def test_io_boilerplate_markers_file_validated(tmp_path):
    bad = tmp_path / "bp.yaml"
    bad.write_text("rest: [كلمة السر]\nheader: [x]\n", "utf-8")
    with pytest.raises(LexiconError, match="key 'header'"):
        load_markers(str(bad))
    bad.write_text("rules: {repeat: many}\n", "utf-8")
    with pytest.raises(LexiconError, match="rules.repeat"):
        load_markers(str(bad))
    bad.write_text("phrase: [\"\"]\n", "utf-8")
    with pytest.raises(LexiconError, match="key 'phrase'"):
        load_markers(str(bad))
    bad.write_text("!!python/object/apply:os.system ['echo owned']\n", "utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_markers(str(bad))  # a safe loader: no Python objects from YAML


def test_io_boilerplate_custom_markers(tmp_path):
    path = tmp_path / "bp.yaml"
    path.write_text("phrase: [خبر عاجل]\nrules: {teaser_run: 0, repeat: 0}\n", "utf-8")
    markers = load_markers(str(path))
    doc = Document("x", f"خبر عاجل {CLAIM}")
    got = [(doc.text[s.start:s.end], s.boilerplate) for s in mark_boilerplate(doc, split_sentences(doc, False), markers)]
    assert got == [("خبر عاجل", True), (CLAIM, False)]
