"""HTML pages: main text as the document, metadata, charsets, and no network ever."""
import socket
import urllib.request

import pytest

import io_corpus
from claimx.errors import InputError
from claimx.html import declared_charset, looks_like_html
from claimx.io import document_from_bytes

SEED = io_corpus.SEED["000"]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    def refuse(*a, **kw):
        raise AssertionError(f"network access attempted: {a!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_io_html_main_text_and_metadata(no_network):
    doc = document_from_bytes(io_corpus.html_page(SEED).encode("utf-8"), "p.html", "p.html")
    assert doc.meta["format"] == "html"
    assert doc.meta["url"] == "https://news.example.org/2017/10/article-1"
    assert doc.meta["outlet"] == "شبكة الأخبار" and doc.meta["date"] == "2017-10-21"
    body = [line for line in SEED.split("\n") if line.strip()]
    assert all(" ".join(p.split()) in " ".join(doc.text.split()) for p in body)
    for furniture in ("الاشتباكات توقفت", "انسحبت من المدينة", "كاذب", "جميع الحقوق"):
        assert furniture not in doc.text


def test_io_html_external_entities_scripts_and_includes_not_fetched(no_network):
    page = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://192.0.2.1/xhtml1-strict.dtd" [
  <!ENTITY xxe SYSTEM "http://192.0.2.1/secret"> <!ENTITY local SYSTEM "file:///etc/passwd"> ]>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xi="http://www.w3.org/2001/XInclude"><head>
<base href="http://192.0.2.1/"><link rel="import" href="http://192.0.2.1/x.html">
<meta http-equiv="refresh" content="0; url=http://192.0.2.1/"></head>
<body><iframe src="http://192.0.2.1/frame"></iframe><xi:include href="http://192.0.2.1/inc.xml"/>
<article><p>&xxe; &local;</p>{"".join(f"<p>{p}</p>" for p in SEED.split(chr(10)) if p.strip())}</article></body></html>"""
    doc = document_from_bytes(page.encode("utf-8"), "x.html", "x.html")
    assert "root:" not in doc.text  # /etc/passwd was not read either
    assert "المرصد" in doc.text


def test_io_html_declared_charset_used_when_not_utf8():
    page = io_corpus.html_page(SEED, "windows-1256").encode("cp1256")
    assert declared_charset(page) == "cp1256"
    doc = document_from_bytes(page, "p.html", "p.html")
    assert doc.encoding == "windows-1256" and "البوكمال" in doc.text


def test_io_html_detected_without_suffix():
    page = io_corpus.html_page(SEED).encode("utf-8")
    assert looks_like_html(page) and looks_like_html(b"\xef\xbb\xbf  <!-- saved -->\n<html><body>")
    assert not looks_like_html(SEED.encode("utf-8")) and not looks_like_html(b"<p>a</p> plain")
    doc = document_from_bytes(page, "p.txt", "p.txt")
    assert doc.meta.get("format") == "html"


@pytest.mark.parametrize("page", [
    b"<!DOCTYPE html><html><body></body></html>",
    b"<html><head><script>var a = 1;</script></head><body><img src=x></body></html>",
    b"<html><body>" + b"<div>" * 5000 + b"</body></html>",
])
def test_io_html_without_article_text_is_an_error(page):
    with pytest.raises(InputError) as e:
        document_from_bytes(page, "p.html", "p.html")
    assert e.value.reason in ("no article text found in the HTML page",) or "HTML" in e.value.reason
    assert e.value.hint


def test_io_html_fragment_read_as_text():
    line = SEED.splitlines()[2]
    doc = document_from_bytes(f"<p>{line}</p><script>x()</script>".encode("utf-8"), "p.html", "p.html", html=True)
    assert doc.meta["format"] == "html" and doc.text == line


def test_io_html_parse_trouble_not_logged_to_stderr(capfd):
    with pytest.raises(InputError):
        document_from_bytes(b"<!DOCTYPE html><html><body></body></html>", "p.html", "p.html")
    assert capfd.readouterr().err == ""


def test_io_html_and_detection_libraries_load_lazily():
    import subprocess
    import sys

    code = ("import sys, claimx.cli, claimx.io, claimx.batch; "
            "print(sorted(m for m in ('trafilatura', 'charset_normalizer', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # `claimx --help` and plain UTF-8 runs do not pay for them
