import pytest

from claimx.match import NOUN_PREFIXES, VERB_PREFIXES, PhraseMatcher, resolve_overlaps
from claimx.normalize import fold


def matcher(phrases, prefixes=NOUN_PREFIXES):
    m = PhraseMatcher(prefixes)
    for p in phrases:
        m.add(fold(p), p)
    m.build()
    return m


@pytest.mark.parametrize("text,found", [
    ("دخلوا البوكمال", ["البوكمال"]),
    ("بالبوكمال", ["البوكمال"]),
    ("وبالبوكمال", ["البوكمال"]),
    ("للبوكمال", ["البوكمال"]),
    ("والبوكمال", ["البوكمال"]),
    ("سوريالي", []),
    ("الاسوريا", []),
    ("في سوريا.", ["سوريا"]),
    ("كسوريا", ["سوريا"]),
])
def test_match_clitics_and_boundaries(text, found):
    m = matcher(["البوكمال", "سوريا"])
    assert [x.payload for x in m.find(fold(text))] == found


def test_match_verb_prefixes():
    m = matcher(["أكدت"], VERB_PREFIXES)
    assert [x.prefix for x in m.find(fold("وأكدت وسأكدت فأكدت بأكدت"))] == ["و", "وس", "ف"]


def test_match_overlaps_longest_then_earliest():
    m = matcher(["قوات سوريا الديمقراطية", "سوريا", "المرصد", "المرصد السوري"])
    text = fold("قالت قوات سوريا الديمقراطية والمرصد السوري")
    kept = [x.payload for x in resolve_overlaps(m.find(text))]
    assert kept == ["قوات سوريا الديمقراطية", "المرصد السوري"]
