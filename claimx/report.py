"""A self-contained static HTML page of a claim ledger.

No scripts, no fonts or styles from the network: one file that opens anywhere.
The page is right-to-left Arabic (`<html lang="ar" dir="rtl">`); English labels
and identifiers are marked `dir="ltr" lang="en"`. Every claim shows its evidence:
the cue, the source and the content highlighted inside the sentence the record
carries (or inside the content when the record has no sentence text).

    >>> html = render_report(build_ledger(records))   # doctest: +SKIP
    >>> write_report(html, "report.html")              # doctest: +SKIP
"""
from __future__ import annotations

import html as _html
import os

_CSS = """
:root { --ink:#1d232a; --muted:#5b6672; --line:#d9dee3; --bg:#f7f8fa; --assert:#1f7a4d; --deny:#b3261e;
        --contest:#a15c00; --cue:#ffe08a; --src:#cfe3ff; --content:#e3f5e1; --trigger:#f6c9c9; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font-family: "Noto Naskh Arabic","Noto Sans Arabic","Amiri","DejaVu Sans","Arial",sans-serif;
       font-size:16px; line-height:1.7; }
header.top { background:#fff; border-bottom:1px solid var(--line); padding:16px 28px; }
header.top h1 { margin:0; font-size:24px; }
header.top p { margin:4px 0 0; color:var(--muted); }
main { padding:18px 28px; max-width:1280px; margin:auto; }
nav.toc ol { margin:0; padding-inline-start:22px; }
nav.toc { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px; margin-bottom:18px; }
section.prop { background:#fff; border:1px solid var(--line); border-radius:10px; margin:0 0 22px; padding:14px 18px; }
section.prop > h2 { margin:0 0 4px; font-size:20px; }
.en { font-family:"DejaVu Sans","Arial",sans-serif; font-size:13px; color:var(--muted); }
.status { display:inline-block; padding:1px 10px; border-radius:12px; font-size:13px; color:#fff; margin-inline-start:8px;
          font-family:"DejaVu Sans","Arial",sans-serif; vertical-align:middle; }
.status.contested { background:var(--contest); } .status.uncontested { background:var(--assert); }
.status.denied { background:var(--deny); }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 14px; margin:8px 0 12px; font-size:14px; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
.sides { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
@media (max-width:900px) { .sides { grid-template-columns:1fr; } }
.side { border-top:4px solid var(--assert); padding-top:6px; }
.side.denying { border-top-color:var(--deny); }
.side h3 { margin:0 0 6px; font-size:17px; }
ul.sources { list-style:none; margin:0 0 10px; padding:0; font-size:14px; }
ul.sources li { padding:3px 0; border-bottom:1px dashed var(--line); }
.align { display:inline-block; border:1px solid var(--line); border-radius:10px; padding:0 8px; font-size:12px;
         font-family:"DejaVu Sans","Arial",sans-serif; margin-inline-start:6px; background:#f1f3f5; }
.align.state,.align.pro-government { background:#fde2e1; } .align.opposition { background:#e1f0fd; }
.align.independent,.align.international { background:#e8f5e9; }
.chain { color:var(--muted); font-size:13px; display:block; }
article.claim { border:1px solid var(--line); border-radius:8px; padding:8px 10px; margin:0 0 10px; background:#fcfcfd; }
article.claim .meta { font-size:13px; color:var(--muted); }
article.claim blockquote { margin:4px 0; padding:0; }
.hl.cue { background:var(--cue); font-weight:bold; } .hl.source { background:var(--src); }
.hl.content { background:var(--content); } .hl.trigger { background:var(--trigger); text-decoration:underline; }
.targets { font-size:13px; }
.targets a { color:var(--deny); }
.legend span { padding:0 6px; margin-inline-end:8px; border-radius:4px; }
.empty { color:var(--muted); font-style:italic; }
"""

_STATUS_AR = {"contested": "متنازع عليه", "uncontested": "غير متنازع عليه", "denied": "منفي"}
_EVENT_AR = {"control": "سيطرة", "withdrawal": "انسحاب", "attack": "هجوم", "casualties": "خسائر بشرية",
             "displacement": "نزوح", "siege": "حصار", "negotiation": "تفاوض أو اتفاق", "deployment": "وصول أو انتشار"}
_STANCE_AR = {"assert": "يؤكد", "deny": "ينفي", "doubt": "يشكك"}


def e(s) -> str:
    return _html.escape("" if s is None else str(s), quote=True)


def _en(s) -> str:
    return f'<span class="en" dir="ltr" lang="en">{e(s)}</span>'


def highlight(text: str, base: int, spans: list[tuple[int, int, str]]) -> str:
    """`text` (starting at article offset `base`) with each (start, end, class) span marked.

    Overlapping spans nest as combined classes, so a trigger inside the content is
    both `content` and `trigger`.
    """
    n = len(text)
    cuts = {0, n}
    clipped = []
    for s, t, cls in spans:
        s, t = max(0, s - base), min(n, t - base)
        if s < t:
            clipped.append((s, t, cls))
            cuts.update((s, t))
    pts = sorted(cuts)
    out = []
    for a, b in zip(pts, pts[1:]):
        classes = sorted({cls for s, t, cls in clipped if s <= a and b <= t})
        chunk = e(text[a:b])
        out.append(f'<span class="hl {" ".join(classes)}">{chunk}</span>' if classes else chunk)
    return "".join(out)


def _claim_html(c: dict, side: str) -> str:
    sent = c.get("sentence") or {}
    content = c.get("content") or {}
    spans = []
    for key, cls in (("cue", "cue"), ("source", "source"), ("content", "content")):
        sp = c.get(key)
        if isinstance(sp, dict) and "start" in sp:
            spans.append((sp["start"], sp["end"], cls))
    trig = ((c.get("frame") or {}).get("event") or {}).get("trigger")
    if trig:
        spans.append((trig["start"], trig["end"], "trigger"))
    if isinstance(sent.get("text"), str):
        body = highlight(sent["text"], sent["start"], spans)
        where = "sentence"
    else:
        body = highlight(content.get("text", ""), content.get("start", 0), spans)
        where = "content"
    cue = c.get("cue") or {}
    src = c.get("source") or {}
    meta = [
        f'<b>{e(c.get("outlet") or c.get("doc"))}</b>',
        f'{e(_STANCE_AR.get(c.get("stance"), c.get("stance")))} {_en(cue.get("type", ""))}',
    ]
    if where == "content" and src.get("text"):
        meta.append(f'<span class="hl source">{e(src["text"])}</span> <span class="hl cue">{e(cue.get("text", ""))}</span>')
    if c.get("date"):
        meta.append(_en(c["date"]))
    meta.append(_en(c.get("doc")))
    ev = c.get("evidence") or {}
    targets = ""
    if c.get("targets"):
        links = " ".join(f'<a href="#c-{e(t)}" dir="ltr">{e(t)}</a>' for t in c["targets"])
        targets = f'<div class="targets">يرد على: {links}</div>'
    if c.get("implied"):
        trig = ((c.get("frame") or {}).get("event") or {}).get("trigger") or {}
        targets += f'<div class="targets implied">ضمنيًا: «{e(trig.get("text", ""))}» يفترض السيطرة على المكان</div>'
    if c.get("frame_from"):
        targets += f'<div class="targets">الإطار مأخوذ من: <a href="#c-{e(c["frame_from"])}" dir="ltr">{e(c["frame_from"])}</a></div>'
    return (f'<article class="claim {e(side)}" id="c-{e(c.get("id"))}" data-claim-id="{e(c.get("id"))}" data-stance="{e(c.get("stance"))}">'
            f'<div class="meta">{" · ".join(meta)}</div>'
            f'<blockquote class="evidence" data-highlight="{where}">{body}</blockquote>'
            f'<div class="meta">{_en("evidence: " + str(ev.get("cue", "")) + " / " + str(ev.get("rule", "")))}</div>'
            f'{targets}</article>')


def _sources_html(summary: dict) -> str:
    if not summary.get("sources"):
        return '<p class="empty">لا مصادر</p>'
    items = []
    for s in summary["sources"]:
        names = "، ".join(e(n) for n in s.get("names") or []) or e(s["key"])
        align = s.get("alignment")
        badge = f'<span class="align {e(align)}" dir="ltr" lang="en">{e(align)}</span>' if align else ""
        # right-to-left page: the chain reads outlet ← agency ← original source
        chains = "".join(f'<span class="chain">{e(ch.replace(" → ", " ← "))}</span>' for ch in s.get("chains") or [])
        count = _en(f"{s['claims']} claim(s), {len(s['articles'])} article(s)")
        items.append(f'<li class="source" data-upstream="{e(s["key"])}">{names}{badge} {count}{chains}</li>')
    outlets = "، ".join(
        e(o.get("text") or o.get("entity")) + (f'<span class="align {e(o["alignment"])}" dir="ltr">{e(o["alignment"])}</span>' if o.get("alignment") else "")
        for o in summary.get("outlets") or [])
    return (f'<p>مصادر مستقلة: <b class="independent">{summary["independent_sources"]}</b> · '
            f'مقالات: {summary["articles"]} · ادعاءات: {summary["claims"]}</p>'
            f'<ul class="sources">{"".join(items)}</ul>'
            + (f'<p class="outlets">المنافذ: {outlets}</p>' if outlets else ""))


def _prop_html(p: dict, n: int) -> str:
    facts = [("الحدث", f'{e(_EVENT_AR.get(p["event"], p["event"]))} {_en(p["event"])}')]
    if p.get("place"):
        facts.append(("المكان", f'{e(p["place"].get("name"))} {_en(p["place"].get("name_en") or p["place"].get("id"))}'))
    if p["actors"].get("agents"):
        facts.append(("الفاعلون", _en(", ".join(p["actors"]["agents"]))))
    if p.get("time"):
        facts.append(("الزمن", _en(f'{p["time"]["from"]} – {p["time"]["to"]}')))
    fs, ls = p.get("first_seen") or {}, p.get("last_seen") or {}
    if fs.get("date"):
        facts.append(("أول ظهور / آخر ظهور", _en(f'{fs["date"]} ({fs["doc"]}) – {ls["date"]} ({ls["doc"]})')))
    if p.get("casualties"):
        parts = []
        for kind, c in p["casualties"].items():
            parts.append(f'{kind}: min {c["min"]}, max {c["max"] if c["max"] is not None else "open"}, most conservative {c["conservative"]}')
        facts.append(("الأرقام", _en("; ".join(parts))))
    if p.get("conflicts_with"):
        links = " ".join(f'<a href="#{e(q)}" dir="ltr">{e(q)}</a>' for q in p["conflicts_with"])
        facts.append(("يتعارض مع", links))
    dl = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in facts)
    asserting = "".join(_claim_html(c, "asserting") for c in p["asserting"]) or '<p class="empty">لا ادعاءات</p>'
    denying = "".join(_claim_html(c, "denying") for c in p["denying"]) or '<p class="empty">لا نفي ولا تشكيك</p>'
    return (f'<section class="prop" id="{e(p["id"])}" data-status="{e(p["status"])}" data-event="{e(p["event"])}">'
            f'<h2>{n}. {e(p["label"]["ar"])}<span class="status {e(p["status"])}" lang="ar">{e(_STATUS_AR.get(p["status"], p["status"]))}</span></h2>'
            f'<div>{_en(p["label"]["en"] + " — " + p["status"] + " — " + p["id"])}</div>'
            f'<dl class="facts">{dl}</dl>'
            f'<div class="sides">'
            f'<div class="side asserting"><h3>يؤكدون ({len(p["asserting"])})</h3>{_sources_html(p["sides"]["asserting"])}{asserting}</div>'
            f'<div class="side denying"><h3>ينفون أو يشككون ({len(p["denying"])})</h3>{_sources_html(p["sides"]["denying"])}{denying}</div>'
            f'</div></section>')


def render_report(props: list[dict], title: str = "سجل الادعاءات") -> str:
    """The whole page as one string."""
    counts = {s: sum(1 for p in props if p["status"] == s) for s in ("contested", "denied", "uncontested")}
    toc = "".join(f'<li><a href="#{e(p["id"])}">{e(p["label"]["ar"])}</a> '
                  f'<span class="status {e(p["status"])}">{e(_STATUS_AR.get(p["status"], p["status"]))}</span></li>'
                  for p in props)
    body = "".join(_prop_html(p, i) for i, p in enumerate(props, 1)) or '<p class="empty">لا قضايا</p>'
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="claimx">
<title>{e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header class="top">
<h1>{e(title)} <span class="en" dir="ltr" lang="en">claimx ledger</span></h1>
<p>{len(props)} قضية · متنازع عليها {counts["contested"]} · منفية {counts["denied"]} · غير متنازع عليها {counts["uncontested"]}</p>
<p class="legend"><span class="hl cue">أداة الإسناد</span><span class="hl source">المصدر</span><span class="hl content">المحتوى</span><span class="hl trigger">الحدث</span></p>
</header>
<main>
<nav class="toc"><ol>{toc}</ol></nav>
{body}
</main>
</body>
</html>
"""


def write_report(html: str, path: str | os.PathLike) -> None:
    """Write the page atomically (a temporary file in the same folder, then a rename)."""
    from .io import write_atomic

    write_atomic(path, html)
