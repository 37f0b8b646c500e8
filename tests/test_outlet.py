"""doc.outlet: the outlet that published an article, from its text or its URL."""
import pytest

from claimx.model import Document
from claimx.pipeline import Pipeline

PIPE = Pipeline()


def outlet(text, **meta):
    doc = Document("d", text, meta)
    gaz = PIPE.gazetteer
    return PIPE.outlet(doc, gaz.tag(doc) if gaz else None)


def test_outlet_footer_names_the_source():
    text = "قال المرصد إن الهجوم فشل.\n\nالمصدر : الجزيرة + الفرنسية"
    o = outlet(text)
    assert o["text"] == "الجزيرة" and text[o["start"]:o["end"]] == "الجزيرة"
    assert o["entity"] == "source/al-jazeera"


@pytest.mark.parametrize("url,entity", [
    ("https://www.dw.com/ar/some-article/a-123", "source/dw-arabic"),
    ("http://arabic.sputniknews.com/arab_world/2017/x.html", "source/sputnik"),
    ("https://www.alhayat.com/article/1", "source/al-hayat"),
    ("smartnews-agency.com/ar/wire/1", "source/smart"),
])
def test_outlet_from_the_page_url(url, entity):
    assert outlet("قال المرصد إن الهجوم فشل.", url=url)["entity"] == entity


def test_outlet_url_path_must_match_the_edition():
    # bbc.com/arabic is BBC Arabic; the English site is not
    assert outlet("نص.", url="https://www.bbc.com/news/world-1") is None


def test_outlet_byline_kept_only_when_it_names_a_source():
    assert outlet("السورية نت - قال المرصد إن الهجوم فشل.")["entity"] == "source/al-souria-net"
    assert outlet("المعلم - قال الوزير إن الهجوم فشل.") is None


def test_outlet_falls_back_to_meta():
    assert outlet("نص بلا توقيع.", outlet="موقع ما")["text"] == "موقع ما"
