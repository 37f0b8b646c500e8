"""A messy input corpus built from the seeds, for the tests of claimx/io.py.

`build(folder)` writes re-encoded, wrapped and broken copies of the seeds and
returns what a run over the folder must give: which files are good (and which
seed each one must match, claim for claim) and the error each bad one gets.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import SEEDS

SEED = {p.stem[:3]: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
MAX_BYTES = 50_000  # the oversized file is above it, every seed far below

NAV = "الرئيسية | أخبار | سوريا | العراق | اقتصاد | رياضة"
TEASERS = ("قال مسؤول عسكري إن القوات تقدمت نحو المدينة خلال . . . "
           "أكد المرصد السوري أن الغارات استهدفت مواقع . . . "
           "نفت وزارة الدفاع الروسية أن تكون طائراتها قد . . .")
FOOTER = [
    "اقرأ أيضا",
    "مقالات ذات صلة",
    TEASERS,
    "تعليقات",
    "البريد الإلكتروني : كلمة السر : أكد كلمة السر : أدخل الرمز الذي في الصورة",
    "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما تعبر عن رأي أصحابها",
    "| | | | | |",
    "+ الخط -",
    "زر الذهاب إلى الأعلى",
    "جميع الحقوق محفوظة 2017 قال الموقع إن النشر ممنوع",
]


def html_page(text: str, charset: str = "utf-8") -> str:
    """An article page: nav, the story in <article>, related links, reader comments, footer."""
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n") if p.strip())
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>{html.escape(text.splitlines()[0])} - موقع الأخبار</title>
<meta property="og:site_name" content="شبكة الأخبار">
<link rel="canonical" href="https://news.example.org/2017/10/article-1">
<meta name="date" content="2017-10-21">
<link rel="stylesheet" href="http://192.0.2.1/style.css"><script src="http://192.0.2.1/app.js"></script>
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/syria">سوريا</a></li>
<li><a href="/x">قال المرصد إن الاشتباكات توقفت تماما</a></li></ul></nav>
<article><h1>{html.escape(text.splitlines()[0])}</h1>
{paras}</article>
<aside><h3>اقرأ أيضا</h3><ul><li><a href="/2">أكد مسؤول أن القوات انسحبت من المدينة</a></li></ul></aside>
<section id="comments"><h3>تعليقات</h3>
<div class="comment"><p>قال أحد القراء إن هذا الخبر كاذب ولا أساس له من الصحة على الإطلاق.</p></div></section>
<footer>جميع الحقوق محفوظة</footer><img src="http://192.0.2.1/pixel.png"></body></html>"""


def scrape(text: str) -> str:
    """The seed as a scraper saves a page: menu before, furniture after."""
    return "\n".join([NAV, text.rstrip("\n"), *FOOTER]) + "\n"


def build(folder: Path) -> dict:
    """Write the corpus; return {"good": {name: seed}, "bad": {name[:line]: reason}}."""
    folder.mkdir(parents=True, exist_ok=True)
    good, bad = {}, {}

    def put(name: str, data: bytes, seed: str | None = None, error: str | None = None):
        (folder / name).write_bytes(data)
        if seed:
            good[name] = seed
        if error:
            bad[name] = error

    put("a-windows-1256.txt", SEED["000"].encode("cp1256"), "000")
    put("b-iso-8859-6.txt", SEED["002"].encode("iso8859_6"), "002")
    put("c-bom.txt", b"\xef\xbb\xbf" + SEED["001"].encode("utf-8"), "001")
    put("d-crlf.txt", SEED["003"].replace("\n", "\r\n").encode("utf-8"), "003")
    put("e-cr.txt", SEED["004"].replace("\n", "\r").encode("utf-8"), "004")
    put("f-utf-16.txt", SEED["001"].encode("utf-16"), "001")
    put("g-page.html", html_page(SEED["000"]).encode("utf-8"), "000")
    put("h-page-1256.html", html_page(SEED["003"], "windows-1256").encode("cp1256"), "003")
    put("i-scrape.txt", scrape(SEED["002"]).encode("utf-8"), "002")
    records = [{"id": "j1", "text": SEED["000"], "url": "https://example.org/1"},
               "this line is not JSON",
               {"id": "j3", "title": "no text here"},
               {"id": "j4", "text": 42},
               {"id": "j5", "text": SEED["004"]}]
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    put("j-records.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
    good["j-records.jsonl:j1"], good["j-records.jsonl:j5"] = "000", "004"
    bad["j-records.jsonl:2"] = "not valid JSON"
    bad["j-records.jsonl:3"] = "record has no 'text'"
    bad["j-records.jsonl:4"] = "'text' is a JSON number, not a string"
    put("k-binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, error="looks like a binary file (a PNG image)")
    put("l-nul.txt", b"\x00\x01\x02abc\x00" * 50, error="looks like a binary file (NUL bytes)")
    put("m-empty.txt", b"", error="empty file")
    put("n-blank.txt", b"  \n\t\n", error="file holds only white space")
    put("o-big.txt", ("\n".join(SEED.values()) * 6).encode("utf-8"), error="over --max-bytes")
    put("p-undecodable.txt", b"\x81\x8d\x8f\x90\x9d\xa0\xff" * 10, error="encoding could not be detected")
    return {"good": good, "bad": bad}
