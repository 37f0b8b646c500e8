"""HTML pages as documents: the article's main text plus its metadata.

The extracted main text (menus, share bars, related-article lists and reader
comments left out) becomes the document text, so every offset refers to it.
Title, date, outlet (the site name) and the page's own URL go into
`Document.meta`. Nothing is ever fetched: the page is parsed from the bytes
given, and links, stylesheets, scripts and DTDs are not followed.

trafilatura is imported only when the first HTML page is read, so plain-text
runs and `claimx --help` do not pay for it.
"""
from __future__ import annotations

import codecs
import logging
import re

from .errors import InputError
from .model import Document

_HTML_START = re.compile(rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_SUFFIXES = (".html", ".htm", ".xhtml")
_META_KEYS = ("title", "date", "url", "author", "description")


def is_html_path(name: str) -> bool:
    return name.lower().endswith(_SUFFIXES)


def looks_like_html(data: bytes) -> bool:
    """True when the bytes start like an HTML page (after a BOM, blanks, an XML prolog)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml"):
        end = head.find(b"?>")
        head = head[end + 2:].lstrip() if end >= 0 else b""
    return bool(_HTML_START.match(head))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag, when Python knows it."""
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _fragment_text(markup: str) -> str:
    """The text of an HTML fragment, one line per block; '' when it has none."""
    try:
        import lxml.html

        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # noqa: BLE001 - not parseable as a fragment either
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = (" ".join(t.split()) for t in root.itertext())
    return "\n".join(t for t in lines if t)


def _quiet_loggers() -> None:
    """trafilatura and friends log parse trouble as ERROR; claimx reports it itself."""
    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
            logger.propagate = False


def _extractor(path: str):
    _quiet_loggers()
    try:
        import trafilatura
    except ImportError as e:  # lxml 6 without lxml_html_clean fails here too
        raise InputError(path, f"cannot read HTML: {e}",
                         "install the HTML extras: pip install trafilatura lxml_html_clean") from None
    return trafilatura


def extract_html(markup: str, path: str, doc_id: str, encoding: str = "utf-8") -> Document:
    """The article of an HTML page as a Document (text = the extracted main text)."""
    trafilatura = _extractor(path)
    result = None
    for favor_recall in (False, True):
        try:
            result = trafilatura.bare_extraction(
                markup, with_metadata=True, include_comments=False, include_tables=True,
                include_images=False, include_links=False, deduplicate=False, favor_recall=favor_recall,
            )
        except Exception as e:  # noqa: BLE001 - a malformed page must not end the batch
            raise InputError(path, f"HTML could not be parsed ({type(e).__name__}: {e})",
                             "check that the file is an HTML page") from None
        if result is not None and (result.text or "").strip():
            break
    text = (result.text or "") if result is not None else ""
    if not text.strip():
        text = _fragment_text(markup)  # a bare fragment ("<p>…</p>") trafilatura will not take
    if not text.strip():
        raise InputError(path, "no article text found in the HTML page",
                         "pass the article page itself, or its text as a .txt file")
    meta: dict = {"format": "html"}
    for key in _META_KEYS:
        value = getattr(result, key, None)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    sitename = getattr(result, "sitename", None)
    if isinstance(sitename, str) and sitename.strip():
        meta["outlet"] = sitename.strip()
    return Document(doc_id, text, meta, encoding)
