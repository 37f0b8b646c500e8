"""Property tests: any Unicode input, no crash, every span slices exactly."""
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimx import extract
from claimx.schema import CLAIM
from conftest import assert_spans

PIECES = st.sampled_from([
    "قال", "وقالت", "نفت", "أكد", "مشيرا", "بحسب", "وفق", "أن", "إن", "بأن", ":", "،", ".", '"', "«", "»",
    "المرصد", "مصادر", "محلية", "للجزيرة", "لـ", "عن", "وردت أنباء", "عارية عن الصحة", "قد", "يكون", "نحو",
    "ﻻ", "ﷲ", "\u00a0", "\u200b", "\u200f", "ـ", "ً", "ّ", "\r\n", "\n\n", " ", "التي", "ما تعرف ب", "١٢", "3.5",
])
SOUP = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map(" ".join)
VALIDATOR = jsonschema.Draft202012Validator(CLAIM)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOUP)
def test_extract_property_arabic_soup(text):
    for r in extract(text):
        assert_spans(r, text)
        VALIDATOR.validate(r)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_extract_property_any_unicode(text):
    for r in extract(text):
        assert_spans(r, text)
