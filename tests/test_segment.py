import pytest

from claimx.model import Document
from claimx.segment import split_sentences, tokens


def sents(text):
    doc = Document("t", text)
    return [text[s.start:s.end] for s in split_sentences(doc)]


@pytest.mark.parametrize("text,expected", [
    ("قال المرصد إن الهجوم فشل. وأضاف أن القتلى عشرة.", ["قال المرصد إن الهجوم فشل.", "وأضاف أن القتلى عشرة."]),
    ("عنوان بلا نقطة\nنص المقال هنا.", ["عنوان بلا نقطة", "نص المقال هنا."]),
    ("نشر في 11 . 10 . 2017 الساعة 12 : 54 مساء.", ["نشر في 11 . 10 . 2017 الساعة 12 : 54 مساء."]),
    ("هل انتهى؟ نعم انتهى!", ["هل انتهى؟", "نعم انتهى!"]),
    ('قال: "انتهت المعركة. وبدأت أخرى" ثم غادر.', ['قال: "انتهت المعركة. وبدأت أخرى" ثم غادر.']),
    ("وكالة أ. ف. ب نقلت الخبر.", ["وكالة أ. ف. ب نقلت الخبر."]),
    ("The U.S. army said so. Then left.", ["The U.S. army said so.", "Then left."]),
    ("نسبة 3.5 بالمئة. تمت.", ["نسبة 3.5 بالمئة.", "تمت."]),
    ("فقرة أولى.\n\nفقرة ثانية.", ["فقرة أولى.", "فقرة ثانية."]),
])
def test_segment_sentences(text, expected):
    assert sents(text) == expected


def test_segment_unclosed_quote_does_not_swallow_paragraph():
    assert len(sents('قال "المصدر إن الهجوم فشل. وأضاف أن القتلى عشرة.')) == 2


def test_segment_offsets_survive_marks_and_crlf():
    text = "قالَ المرصدُ إنّ الهجوم فشل.\r\nوأضافَ أنّ القتلى عشرة."
    doc = Document("t", text)
    for s in split_sentences(doc):
        assert text[s.start:s.end].strip() == text[s.start:s.end]
    assert [text[a:b] for a, b in tokens(doc)][:3] == ["قالَ", "المرصدُ", "إنّ"]


def test_new_sentence_is_the_dataclass_sentence():
    """The segmenter's fast constructor builds the same frozen Sentence: equal, hashed,
    printed, pickled and replaced alike, and still immutable."""
    import dataclasses
    import pickle

    from claimx.model import Sentence, new_sentence

    for args in [(0, 1, 5, 1, 4), (3, 10, 20, 9, 19, True)]:
        fast, slow = new_sentence(*args), Sentence(*args)
        assert type(fast) is Sentence
        assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert dataclasses.replace(fast, index=7) == dataclasses.replace(slow, index=7)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.index = 9
