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


def test_multimatcher_finds_what_each_matcher_finds():
    import random

    from claimx.lexicon import default_lexicons
    from claimx.match import MultiMatcher

    lex = default_lexicons()
    matchers = (lex.cue_matcher, lex.noun_cue_matcher, lex.hedge_matcher)
    multi = MultiMatcher(matchers)
    words = ["قال", "وقال", "للمرصد", "اكد", "اكدت", "اكدته", "المعلومات", "معلوماتنا", "بحسب", "انباء",
             "وبحسب", "ربما", "نفت", "ونفتها", "_", "x", "1", " ", " ", ",", "لل", "ال"]
    rnd = random.Random(11)
    texts = ["".join(rnd.choice(words) for _ in range(rnd.randint(1, 12))) for _ in range(3000)]
    texts.append(fold("قال مصدر إن المعلومات غير مؤكدة، بحسب ما أفادت وكالة الأنباء، وربما تتغير."))
    for text in texts:
        assert multi.find(text) == [m.find(text) for m in matchers], text
    # a phrase added after the first scan is found too
    extra = matcher(["البوكمال"])
    multi = MultiMatcher((extra,))
    assert multi.find("في البوكمال") == [extra.find("في البوكمال")]
    extra.add("سوريا", "سوريا")
    assert [x.payload for x in multi.find("سوريا والبوكمال")[0]] == ["سوريا", "البوكمال"]
