"""Build claim records from the readable YAML cases in tests/cases/ledger/ (format: README.md there).

A case names spans by their text (and an anchor when the text occurs more than once);
this module finds the offsets in the seed article, so every span slices exactly.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "ledger"
SEEDS = ROOT / "seeds"


def load_case(name: str) -> dict:
    return yaml.safe_load((CASES / name).read_text("utf-8"))


_MARKS = "\u064b-\u0652\u0670\u0640"


def _find(text: str, needle: str, start: int = 0, where: str = "") -> tuple[int, int]:
    i = text.find(needle, start)
    if i >= 0:
        return i, i + len(needle)
    # the case was typed without (or with other) diacritics: match ignoring them
    bare = re.sub(f"[{_MARKS}]", "", needle)
    rx = f"[{_MARKS}]*".join(r"\s+" if ch.isspace() else re.escape(ch) for ch in bare)
    m = re.compile(rx).search(text, start)
    if m is None:
        raise AssertionError(f"{where}: {needle!r} not found after offset {start}")
    return m.span()


def _span(text: str, needle: str | None, start: int, where: str) -> dict | None:
    if not needle:
        return None
    s, e = _find(text, needle, start, where)
    return {"text": text[s:e], "start": s, "end": e}


def _entity_type(eid: str) -> str:
    return eid.split("/", 1)[0]


def build_records(case: dict, texts: dict[str, str] | None = None) -> tuple[list[dict], dict[str, str]]:
    """Claim records (issue 2's format, with entities) and the article texts by doc id."""
    texts = dict(texts or {})
    docs = case.get("docs") or {}
    for doc_id, spec in docs.items():
        if doc_id not in texts:
            if spec.get("text") is not None:
                texts[doc_id] = spec["text"]
            else:
                texts[doc_id] = (SEEDS / doc_id).read_text("utf-8-sig")
    records = []
    for n, c in enumerate(case.get("claims") or []):
        doc_id = c["doc"]
        text = texts[doc_id]
        spec = docs.get(doc_id) or {}
        where = f"claim {n} ({doc_id})"
        a0 = text.find(c["anchor"]) if c.get("anchor") else 0
        if a0 < 0:
            raise AssertionError(f"{where}: anchor {c['anchor']!r} not found")
        cue = _span(text, c["cue"], a0, where)
        cue.update(lemma=c.get("lemma", c["cue"]), type=c["type"])
        src = None
        if c.get("source"):
            src_from = c.get("source_after", a0)
            if isinstance(src_from, str):
                src_from = text.find(src_from)
            src = _span(text, c["source"], src_from if isinstance(src_from, int) else a0, where)
            src.update(kind=c.get("source_kind", "named" if c.get("source_entity") else "anonymous"),
                       resolved=bool(c.get("resolved", False)), entity=c.get("source_entity"))
        content = _span(text, c["content"], a0 if not c.get("content_before") else max(0, a0 - 600), where)
        # the sentence: from the previous line/full stop to the next one
        s0 = min(x["start"] for x in (cue, content, src) if x)
        e0 = max(x["end"] for x in (cue, content, src) if x)
        ss = max(text.rfind("\n", 0, s0) + 1, 0)
        se = text.find("\n", e0)
        se = len(text) if se < 0 else se
        sentence = {"index": text.count("\n", 0, ss), "start": ss, "end": se, "text": text[ss:se]}
        ents = []
        for ent in c.get("entities") or []:
            surface, eid = ent[0], ent[1]
            try:  # inside the content when it occurs there, else the first in the sentence
                s, e = _find(text[:content["end"]], surface, content["start"], where)
            except AssertionError:
                s, e = _find(text, surface, ss, where)
            item = {"text": text[s:e], "start": s, "end": e, "id": eid, "type": _entity_type(eid),
                    "name": surface, "subtype": ent[2] if len(ent) > 2 else None}
            ents.append(item)
        outlet = None
        if spec.get("outlet"):
            os_, oe = _find(text, spec["outlet"], 0, f"outlet of {doc_id}")
            outlet = {"text": text[os_:oe], "start": os_, "end": oe, "entity": spec.get("outlet_entity")}
        doc = {"id": doc_id, "sha256": hashlib.sha256(text.encode()).hexdigest(), "outlet": outlet}
        if spec.get("date"):
            doc["meta"] = {"date": str(spec["date"])}
        rec = {
            "schema": "claimx.claim/1",
            "id": c.get("id") or hashlib.sha1(f"{doc_id}:{cue['start']}".encode()).hexdigest()[:16],
            "doc": doc,
            "sentence": sentence,
            "cue": cue,
            "source": src,
            "recipient": _span(text, c.get("recipient"), a0, where),
            "via": _span(text, c.get("via"), a0, where),
            "content": content,
            "polarity": "negative" if c["type"] in ("deny", "doubt") else "positive",
            "certainty": c.get("certainty", "certain"),
            "hedges": [],
            "entities": sorted(ents, key=lambda x: x["start"]),
            "evidence": {"cue": f"{c['type']}.fixture", "rule": "fixture"},
        }
        if rec["via"]:
            rec["via"]["entity"] = c.get("via_entity")
        records.append(rec)
    return records, texts
