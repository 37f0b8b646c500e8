"""Golden tests of event frames, numbers and times (cases: tests/cases/ledger/*.yaml)."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from claimx.frames import frame, load_event_lexicon, parse_event_lexicon, parse_numbers, parse_times
from claimx.errors import LexiconError
from ledger_cases import CASES

NUMBERS = yaml.safe_load((CASES / "numbers.yaml").read_text("utf-8"))
TIMES = yaml.safe_load((CASES / "times.yaml").read_text("utf-8"))
FRAMES = yaml.safe_load((CASES / "frames.yaml").read_text("utf-8"))


def _iso(v):
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


@pytest.mark.parametrize("case", NUMBERS, ids=[c["text"] for c in NUMBERS])
def test_frames_numbers(case):
    got = parse_numbers(case["text"], base=100)
    assert len(got) == len(case["expect"]), got
    for g, want in zip(got, case["expect"]):
        assert case["text"][g["start"] - 100:g["end"] - 100] == g["text"]
        for k, v in want.items():
            assert g[k] == v, (k, g)


@pytest.mark.parametrize("case", TIMES, ids=[c["text"] for c in TIMES])
def test_frames_times(case):
    got = parse_times(case["text"], base=7, ref=_iso(case.get("ref")))
    assert got, "no time expression found"
    g = got[0]
    assert case["text"][g["start"] - 7:g["end"] - 7] == g["text"]
    for k, v in case["expect"].items():
        assert g[k] == _iso(v), (k, g)


def _record(case: dict, prefix: str = "وقالت المصادر إن ") -> tuple[dict, str]:
    """A claim record whose content is the case's content, inside a small article."""
    src = case.get("source") or "المصادر"
    text = f"{src} {prefix}{case['content']}.\n"
    s0 = len(src) + 1 + len(prefix)
    content = {"text": case["content"], "start": s0, "end": s0 + len(case["content"])}

    def ents(items, lo, hi):
        out = []
        for surface, eid, *sub in items or []:
            i = text.index(surface, lo, hi)
            out.append({"text": surface, "start": i, "end": i + len(surface), "id": eid,
                        "type": eid.split("/")[0], "subtype": sub[0] if sub else None})
        return out

    rec = {
        "id": "t", "doc": {"id": "case", "meta": {"date": _iso(case["ref"])} if case.get("ref") else {}},
        "sentence": {"index": 0, "start": 0, "end": len(text) - 1, "text": text[:-1]},
        "cue": {"text": "قالت", "start": 0, "end": 0, "type": case.get("cue", "say")},
        "source": {"text": src, "start": 0, "end": len(src), "kind": "named", "entity": None},
        "content": content, "polarity": "positive",
        "entities": ents(case.get("source_entities"), 0, len(src)) + ents(case.get("entities"), s0, len(text)),
    }
    return rec, text


def _check_mention(got, want, what):
    if want is None:
        assert got is None, (what, got)
    elif isinstance(want, str):
        assert got and got.get("id") == want, (what, got)
    else:
        assert got and got.get("text") == want["text"], (what, got)


@pytest.mark.parametrize("case", FRAMES, ids=[c["name"] for c in FRAMES])
def test_frames_golden(case):
    rec, text = _record(case)
    f = frame(rec, text, tagger_fallback=False)
    want = case["expect"]
    ev = f["event"]
    if "event" in want:
        assert (ev or {}).get("type") == want["event"], f["events"]
    for k in ("modality", "negated"):
        if k in want:
            assert ev[k] == want[k], ev
    for k in ("agent", "target", "place"):
        if k in want:
            _check_mention(f[k], want[k], k)
    if "time" in want:
        for k, v in want["time"].items():
            assert f["time"][k] == _iso(v), f["time"]
    if "numbers" in want:
        assert len(f["numbers"]) == len(want["numbers"]), f["numbers"]
        for g, w in zip(f["numbers"], want["numbers"]):
            for k, v in w.items():
                assert g.get(k) == v, (k, g)
    if "implies" in want:
        got = f.get("implies") or []
        assert len(got) == len(want["implies"]), got
        for g, w in zip(got, want["implies"]):
            assert g["type"] == w.get("type", "control"), g
            _check_mention(g["agent"], w["agent"], "implied agent")
            _check_mention(g["place"], w["place"], "implied place")
    # every span slices the article exactly
    spans = [f["event"]["trigger"]] if f["event"] else []
    for imp in f.get("implies") or []:
        spans += [imp["trigger"], imp["place"], *imp["actors"]]
    spans += [x for x in (f["agent"], f["target"], f["place"], f["time"]) if x] + f["numbers"] + f["actors"]
    for sp in spans:
        assert text[sp["start"]:sp["end"]] == sp["text"], sp


def test_frames_record_gets_frame_without_doc_text():
    rec, _ = _record(FRAMES[0])
    out = frame(rec, tagger_fallback=False)
    assert rec["frame"] is out and out["event"]["type"] == "control"


def test_frames_lexicon_loads_and_covers_every_type():
    lex = load_event_lexicon()
    assert {t.type for t in lex.triggers} == {"control", "withdrawal", "attack", "casualties", "displacement",
                                               "siege", "negotiation", "deployment"}


@pytest.mark.parametrize("text,message", [
    ("types: {battle: {triggers: []}}", "unknown event type 'battle'"),
    ("types: {control: {triggers: [{verbs: [سيطر], weight: 7}]}}", "weight must be 1, 2 or 3"),
    ("types: {control: {triggers: [{verb: [سيطر]}]}}", "unknown key(s) ['verb']"),
    ("version: 1", "needs a 'types' mapping"),
    ("types: {control: {triggers: [{verbs: [سيطر]}]}}\npresence: [المتواجدة]", "'presence' must be a mapping"),
    ("types: {control: {triggers: [{verbs: [سيطر]}]}}\npresence: {participles: المتواجدة}",
     "'presence.participles' must be a list"),
])
def test_frames_lexicon_errors_name_the_problem(text, message):
    with pytest.raises(LexiconError) as e:
        parse_event_lexicon("bad.yaml", text)
    assert message in str(e.value) and "bad.yaml" in str(e.value)
