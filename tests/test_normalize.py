import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.normalize import fold, normalize, replay


@pytest.mark.parametrize("raw,view,steps", [
    ("قالَ", "قال", {"diacritics"}),
    ("أكّد إنّ آمر", "اكد ان امر", {"diacritics", "alef"}),
    ("مستشفى", "مستشفي", {"alef_maqsura"}),
    ("مدرسة", "مدرسه", {"teh_marbuta"}),
    ("قـــال", "قال", {"tatweel"}),
    ("١٢٣ ۴۵", "123 45", {"digits"}),
    ("«نعم» “لا” „ربما‟", '"نعم" "لا" "ربما"', {"quotes"}),
    ("ﻻ", "لا", {"nfkc"}),
    ("ﷲ", "الله", {"nfkc"}),
    ("a\u00a0b", "a b", {"spaces"}),
    ("a \u200b b", "a b", {"spaces", "invisible"}),
    ("x\u200fy\u202bz", "xyz", {"invisible"}),
    ("سطر\r\nثان\rثالث", "سطر\nثان\nثالث", {"line_ends"}),
    ("لماذا؟ نعم، لا؛", "لماذا? نعم, لا;", {"punctuation"}),
])
def test_normalize_folds_and_provenance(raw, view, steps):
    n = normalize(raw)
    assert n.text == view
    assert set(n.steps) == steps
    assert replay(raw, n.steps) == n.text


def test_normalize_maps_spans_back_to_raw_with_marks():
    raw = "قالَ مصدرٌ «محلّي»"
    n = normalize(raw)
    s = n.text.index("محلي")
    rs, re_ = n.to_raw(s, s + 4)
    assert raw[rs:re_] == "محلّي"


def test_normalize_ligature_span_covers_whole_character():
    raw = "ﻻ يزال"
    n = normalize(raw)
    assert n.to_raw(0, 1) == (0, 1)  # half of the expansion maps to the whole ligature
    assert n.to_raw(0, 2) == (0, 1)


def test_fold_is_the_view_of_a_string():
    assert fold(" البوكمالِ ") == "البوكمال"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_normalize_property_any_unicode(raw):
    n = normalize(raw)
    assert replay(raw, n.steps) == n.text
    for i in range(len(n.text)):
        for j in (i + 1, min(len(n.text), i + 3)):
            rs, re_ = n.to_raw(i, j)
            assert 0 <= rs <= re_ <= len(raw)


ARABIC = st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويىةأإآؤئء ًٌٍَُِّْـ«»\u00a0\u200b\u200f.،؟١٢ﻻﷲ\r\n"))


@settings(max_examples=300, deadline=None)
@given(st.lists(ARABIC, max_size=80).map("".join))
def test_normalize_property_arabic_soup(raw):
    n = normalize(raw)
    assert replay(raw, n.steps) == n.text
    if n.starts is not None:
        assert len(n.starts) == len(n.text)
        assert list(n.starts) == sorted(n.starts)
