"""The claim ledger: claims from many articles grouped into propositions.

`build_ledger(records)` takes claim records (issue 2's format; a `frame` is
computed when missing) and returns one dict per proposition: an event type at a
place by one side, over one time window. Each proposition lists the claims
that assert it and those that deny or doubt it (each denial linked to the
claims it targets), the sources and outlets on each side with their alignment
and the chain each report travelled (outlet → agency → original source), the
number of *independent* sources per side, first and last seen, the casualty
figures reported, and a status: `uncontested`, `contested` or `denied`.

    >>> props = build_ledger(records)                       # doctest: +SKIP
    >>> [(p["label"]["en"], p["status"]) for p in props]    # doctest: +SKIP
    [('control of Abu Kamal by the regime and allies', 'contested'), ...]

How claims are grouped (deterministic, order of input does not matter):
1. a claim joins a proposition only with an event frame; a denial or doubt whose
   content has none ("شككت مصادر في صحة هذه التقارير") takes the frame of the
   claim it answers (the nearest earlier positive claim of the same article),
   and is linked to it;
2. key = (event type, place, asserted-or-hypothetical); an anaphoric place
   ("المدينة") is resolved to the last named place of the article;
3. within a key, claims whose agents share a side (events.yaml `sides`) and
   whose times overlap (± `window_days`) form one proposition; a claim whose
   agent is unknown joins the largest compatible proposition.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from .normalize import fold

SCHEMA = "claimx.proposition/1"
HYPOTHETICAL = ("intent", "purpose", "condition", "future")
_ANAPHORIC_CONTENT = re.compile(r"(هذه|تلك|هذا|ذلك)\s+(التقارير|الانباء|المعلومات|الاخبار|الانباء|الروايه|الادعاءات|المزاعم|التصريحات)|^صحه|^(التقارير|الانباء|المعلومات)\b")
_DOUBT_TYPES = ("doubt",)
_CITY = ("city", "town")
_ANAPHOR_SUBTYPES = {"المدينه": _CITY, "هذه المدينه": _CITY, "المدينه الحدوديه": _CITY, "البلده": ("town", "village", "city"),
                     "القريه": ("village", "town"), "الحي": ("neighbourhood",), "عليها": _CITY, "منها": _CITY,
                     "فيها": _CITY, "اليها": _CITY}


# --------------------------------------------------------------------------- configuration


@dataclass
class Sides:
    """Sides of the conflict, from events.yaml: which actors are compatible."""

    patterns: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    anaphora: dict[str, str]  # folded word -> side
    subtype_sides: dict[str, str]
    source_groups: list[tuple[str, str]] = field(default_factory=list)  # folded name -> upstream key

    def group_of(self, source_text: str) -> str | None:
        """The upstream group a source's *head* names: 'وكالة "سانا" الموالية' is SANA,
        'وسائل إعلام موالية لنظام الأسد' is not the regime (the name is a modifier)."""
        head = _name_key(source_text)
        for name, key in self.source_groups:
            if head == name or head.startswith(name + " ") or head.endswith(" " + name):
                return key
        return None

    def of(self, actor_id: str | None, gazetteer: dict[str, dict] | None = None, _depth: int = 0) -> set[str]:
        if not actor_id:
            return set()
        out = {s for s, pats in self.patterns.items() if any(fnmatch.fnmatchcase(actor_id, p) for p in pats)}
        entry = (gazetteer or {}).get(actor_id) or {}
        if _depth < 3:
            for aff in entry.get("affiliation") or ():
                out |= self.of(aff, gazetteer, _depth + 1)
        if not out:
            sub = entry.get("subtype")
            side = self.subtype_sides.get(f"{sub}@{entry.get('country')}") or self.subtype_sides.get(sub or "")
            if side:
                out.add(side)
        return out


@lru_cache(maxsize=2)
def load_sides(path: str | None = None) -> Sides:
    if path is None:
        text = resources.files("claimx.lexicons").joinpath("events.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = yaml.safe_load(text) or {}
    patterns, labels, anaphora = {}, {}, {}
    for name, spec in (data.get("sides") or {}).items():
        patterns[name] = list(spec.get("ids") or [])
        labels[name] = dict(spec.get("label") or {"en": name, "ar": name})
        for w in spec.get("anaphora") or []:
            anaphora[fold(w)] = name
    groups = sorted(((fold(n), k) for k, names in (data.get("source_groups") or {}).items() for n in names),
                    key=lambda x: -len(x[0]))
    return Sides(patterns, labels, anaphora, dict(data.get("subtype_sides") or {}), groups)


@lru_cache(maxsize=1)
def gazetteer_index() -> dict[str, dict]:
    """Gazetteer entries by id, as plain dicts; {} when the gazetteer cannot be read.

    The strict loader is tried first; when it reports problems (the gazetteer is
    being written), each file is read leniently and broken entries are skipped,
    so that alignment and names show wherever they are known.
    """
    try:
        from .gazetteer_data import load_entries

        return {e.id: {k: v for k, v in vars(e).items() if v not in (None, (), "")} for e in load_entries()}
    except Exception:  # noqa: BLE001 - degrade: the ledger works without the gazetteer
        pass
    out: dict[str, dict] = {}
    root = Path(__file__).resolve().parents[1] / "gazetteer"
    try:
        pkg = resources.files("claimx._gazetteer")
        files = [pkg.joinpath(n) for n in ("places.yaml", "actors.yaml", "sources.yaml")]
    except Exception:  # noqa: BLE001
        files = []
    files += [root / n for n in ("places.yaml", "actors.yaml", "sources.yaml")]
    for f in files:
        try:
            data = yaml.safe_load(f.read_text("utf-8"))
        except Exception:  # noqa: BLE001
            continue
        items = data.get("entries") if isinstance(data, dict) else data
        for item in items or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item.get("name"):
                out.setdefault(item["id"], item)
    return out


# --------------------------------------------------------------------------- per-claim facts


def _date(s: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _doc_key(rec: dict) -> str:
    doc = rec.get("doc") or {}
    return str(doc.get("id") or doc.get("sha256") or "?")


def _outlet(rec: dict, gaz: dict) -> dict:
    doc = rec.get("doc") or {}
    o = doc.get("outlet")
    meta = doc.get("meta") or {}
    if isinstance(o, dict) and o.get("text"):
        ent = o.get("entity")
        out = {"text": o["text"], "entity": ent}
    elif isinstance(meta.get("outlet"), str):
        out = {"text": meta["outlet"], "entity": None}
    elif isinstance(meta.get("url"), str) and "//" in meta["url"]:
        host = meta["url"].split("//", 1)[1].split("/", 1)[0]
        out = {"text": host[4:] if host.startswith("www.") else host, "entity": None}
    else:
        out = {"text": None, "entity": None}
    _align(out, gaz)
    out["key"] = out["entity"] or (fold(out["text"]) if out["text"] else "doc:" + _doc_key(rec))
    return out


def _resolve_name(text: str, gaz: dict) -> str | None:
    """The gazetteer source or actor a source/outlet text names at its head, when the record
    did not resolve it ('وكالة "سانا" الموالية للنظام' -> source/sana)."""
    if not gaz or not text:
        return None
    from .frames import tag_entities

    for ent in tag_entities(text):
        if ent.get("id") and ent.get("type") in ("source", "actor"):
            # the name must open the span (after a descriptor such as وكالة/شبكة/قناة)
            lead = fold(text[:ent["start"]]).replace('"', "").strip()
            if lead in ("", "وكاله", "شبكه", "قناه", "صحيفه", "موقع", "تلفزيون", "مركز"):
                return ent["id"] if ent["id"] in gaz else None
            return None
    return None


def _align(node: dict, gaz: dict) -> None:
    if not node.get("entity") and node.get("text") and node.get("kind") != "anonymous":
        eid = _resolve_name(node["text"], gaz)
        if eid and eid in gaz:
            node["entity"] = eid
            node["resolved_by"] = "ledger"
    ent = gaz.get(node.get("entity") or "")
    if ent:
        node["name"] = ent.get("name_en") or ent.get("name")
        if ent.get("alignment"):
            node["alignment"] = ent["alignment"]
        if ent.get("country"):
            node["country"] = ent["country"]


_SOURCE_NOISE = re.compile(r"^(وكاله|شبكه|صحيفه|قناه|موقع|تلفزيون|وكالة)\s+|\"|'|\(|\)")


def _name_key(text: str) -> str:
    """A named source's text reduced to its name: 'وكالة "سانا" الموالية للنظام' -> 'سانا'."""
    t = fold(text)
    m = re.search(r'"([^"]{2,40})"', t)
    if m:
        return m.group(1).strip()
    t = re.split(r"\s+(?:التابع|التابعه|الموالي|الموالية|الموالي|المقرب|المقربه|المعارض|المعارضه)|،|,", t)[0]
    t = _SOURCE_NOISE.sub("", t).strip()
    return t


def _recipient_key(text: str) -> str:
    """"للجزيرة" / "لـ"العربي الجديد"" -> the outlet's folded name ("الجزيره", "العربي الجديد")."""
    t = fold(text).replace('"', "").strip()
    if t.startswith("لل"):
        return "ال" + t[2:]
    if t.startswith("ل"):
        t = t[1:].strip()
    return re.sub(r"^(وكاله|شبكه|قناه|صحيفه|موقع)\s+", "", t)


def _chain(rec: dict, outlet: dict, gaz: dict, sides: "Sides | None" = None) -> tuple[list[dict], str]:
    """The route of a report (outlet → via → source) and the key of its original source."""
    chain: list[dict] = []
    if outlet.get("text") or outlet.get("entity"):
        chain.append({"role": "outlet", **{k: v for k, v in outlet.items() if k != "key"}})
    via = rec.get("via")
    via_node = None
    if isinstance(via, dict) and via.get("text"):
        via_node = {"role": "via", "text": via["text"], "entity": via.get("entity")}
        _align(via_node, gaz)
        chain.append(via_node)
    src = rec.get("source")
    src_node = None
    if isinstance(src, dict) and src.get("text"):
        src_node = {"role": "source", "text": src["text"], "entity": src.get("entity"), "kind": src.get("kind")}
        _align(src_node, gaz)
        chain.append(src_node)
    # the original source's key: who, independently of who repeated it
    key: str
    if src_node and src_node.get("entity"):
        ent = gaz.get(src_node["entity"]) or {}
        if ent.get("alignment") == "state" and ent.get("country"):
            key = "state:" + ent["country"]  # one government's media are one voice
        elif ent.get("type") == "actor" and ent.get("subtype") in ("government", "state_force") and ent.get("country"):
            key = "state:" + ent["country"]
        else:
            key = src_node["entity"]
    elif src_node and sides is not None and sides.group_of(src_node["text"]):
        key = sides.group_of(src_node["text"])
    elif src_node and src_node.get("kind") == "named" and _name_key(src_node["text"]):
        key = "name:" + _name_key(src_node["text"])
    else:
        # anonymous or no source: one voice per channel it reached us through
        recipient = rec.get("recipient") and _recipient_key(rec["recipient"]["text"])
        if recipient:
            recipient = _resolve_name(recipient, gaz) or recipient
        channel = (via_node and (via_node.get("entity") or fold(via_node["text"]))) or recipient or outlet["key"]
        key = "anon:" + str(channel)
    return chain, key


def _stance(rec: dict, fr: dict) -> str:
    neg = rec.get("polarity") == "negative"
    ev = fr.get("event") or {}
    if ev.get("negated"):
        neg = not neg
    if not neg:
        return "assert"
    return "doubt" if (rec.get("cue") or {}).get("type") in _DOUBT_TYPES else "deny"


# --------------------------------------------------------------------------- grouping


@dataclass
class _Claim:
    rec: dict
    doc: str
    order: tuple
    frame: dict
    event: str | None
    modality: str
    place: str | None
    place_info: dict | None
    sides: set[str]
    agents: list[str]
    targets_ids: list[str]
    window: tuple[_dt.date, _dt.date] | None
    date: _dt.date | None
    stance: str
    outlet: dict
    chain: list[dict]
    upstream: str
    answers: list[str] = field(default_factory=list)
    inherited: str | None = None
    implied: bool = False  # read from a presupposition of the claim, not its main event


def _window(fr: dict, lookback: int) -> tuple[tuple[_dt.date, _dt.date] | None, _dt.date | None]:
    ref = _date((fr.get("ref_date") or {}).get("date"))
    t = fr.get("time") or {}
    a, b = _date(t.get("from")), _date(t.get("to"))
    if a and b:
        return (a, b), ref
    if ref:
        return (ref - _dt.timedelta(days=lookback), ref), ref
    return None, ref


def _overlap(a, b, slack: int) -> bool:
    if a is None or b is None:
        return True
    d = _dt.timedelta(days=slack)
    return a[0] - d <= b[1] and b[0] - d <= a[1]


def _hull(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]))


def _prep(records: list[dict], gaz: dict, sides: Sides, lookback: int) -> list[_Claim]:
    from .frames import frame as make_frame

    claims: list[_Claim] = []
    for rec in records:
        fr = rec.get("frame")
        if not isinstance(fr, dict):
            fr = make_frame(rec)
        ev = fr.get("event") or {}
        outlet = _outlet(rec, gaz)
        chain, upstream = _chain(rec, outlet, gaz, sides)
        window, date = _window(fr, lookback)
        agent = fr.get("agent")
        agents = [a.get("id") for a in fr.get("actors") or [] if a.get("role") == "agent" and a.get("id")]
        if agent and agent.get("id") and agent["id"] not in agents:
            agents.insert(0, agent["id"])
        claim_sides: set[str] = set()
        for a in agents:
            claim_sides |= sides.of(a, gaz)
        for a in fr.get("actors") or []:
            if a.get("role") == "agent" and a.get("side") and not a.get("id"):
                claim_sides.add(a["side"])
        if agent and agent.get("side"):
            claim_sides.add(agent["side"])
        if not claim_sides and agent and agent.get("anaphor"):
            s = sides.anaphora.get(fold(agent["text"]).lstrip("و"))
            if s:
                claim_sides.add(s)
        if not claim_sides and agent and not agent.get("id"):
            s = sides.anaphora.get(fold(agent["text"]))
            if s:
                claim_sides.add(s)
        targets = [a.get("id") for a in fr.get("actors") or [] if a.get("role") in ("target", "victim") and a.get("id")]
        place = fr.get("place") or None
        content = rec.get("content") or {}
        claims.append(_Claim(
            rec=rec, doc=_doc_key(rec), order=(_doc_key(rec), content.get("start", 0), (rec.get("cue") or {}).get("start", 0), rec.get("id", "")),
            frame=fr, event=ev.get("type"), modality="asserted" if ev.get("modality", "asserted") == "asserted" else "hypothetical",
            place=place.get("id") if place else None, place_info=place, sides=claim_sides, agents=agents,
            targets_ids=targets, window=window, date=date, stance=_stance(rec, fr), outlet=outlet,
            chain=chain, upstream=upstream))
        claims.extend(_implied(claims[-1], fr, gaz, sides))
    claims.sort(key=lambda c: c.order)
    return claims


def _implied(c: _Claim, fr: dict, gaz: dict, sides: Sides) -> list[_Claim]:
    """The control a claim takes for granted ("هاجم التنظيم قوات النظام المتواجدة في
    البوكمال": the regime holds al-Bukamal), as extra asserting claims of the same record.

    Only for positive claims: a denial's presuppositions are left out rather than guessed.
    """
    if c.rec.get("polarity") == "negative":
        return []
    out = []
    for imp in fr.get("implies") or []:
        agents = [a["id"] for a in imp.get("actors") or [] if a.get("id")]
        claim_sides: set[str] = set()
        for a in agents:
            claim_sides |= sides.of(a, gaz)
        trig = imp["trigger"]
        frame_ = {"event": {"type": imp["type"], "trigger": trig, "negated": False, "modality": "asserted",
                            "implied": imp.get("basis", True)},
                  "agent": imp.get("agent"), "place": imp["place"], "time": fr.get("time"),
                  "ref_date": fr.get("ref_date"), "numbers": []}
        out.append(replace(c, order=c.order + (trig["start"],), frame=frame_, event=imp["type"], modality="asserted",
                           place=imp["place"]["id"], place_info=imp["place"], sides=claim_sides, agents=agents,
                           targets_ids=[], stance="assert", implied=True))
    return out


def _resolve_context(claims: list[_Claim], gaz: dict) -> None:
    """Article-level anaphora: places ("المدينة") and denials without an event frame."""
    by_doc: dict[str, list[_Claim]] = defaultdict(list)
    for c in claims:
        by_doc[c.doc].append(c)
    for doc_claims in by_doc.values():
        named: list[tuple[int, str, dict]] = []  # (offset, id, info) of places with ids
        for c in doc_claims:
            for e in c.rec.get("entities") or []:
                if isinstance(e, dict) and e.get("type") == "place" and e.get("id"):
                    named.append((e.get("start", 0), e["id"], e))
            p = c.place_info
            if p and p.get("id"):
                named.append((p.get("start", 0), p["id"], p))
        named.sort(key=lambda x: x[0])
        subtype_of = {n[1]: n[2].get("subtype") for n in named if n[2].get("subtype")}
        fine = [n for n in named if (gaz.get(n[1]) or {}).get("subtype", n[2].get("subtype")) not in ("country", "governorate", "region", "water")]
        freq = Counter(n[1] for n in fine or named)
        for i, c in enumerate(doc_claims):
            p = c.place_info
            if not c.event or (p is not None and p.get("id")):
                continue
            ev = c.frame.get("event") or {}
            sent = (c.rec.get("sentence") or {}).get("index")
            same_sentence = [q for q in doc_claims[:i] if q.place and (q.rec.get("sentence") or {}).get("index") == sent]
            if not (p is not None or ev.get("anaphoric") or same_sentence):
                continue  # nothing points back: the place stays unknown
            want = _ANAPHOR_SUBTYPES.get(fold((p or {}).get("anaphor") or "").lstrip("ل"))
            start = (c.rec.get("content") or {}).get("start", 0)

            def fits(pid: str | None) -> bool:
                sub = (gaz.get(pid or "") or {}).get("subtype") or subtype_of.get(pid)
                return bool(pid) and (want is None or sub is None or sub in want)

            # the place of the nearest earlier claim about an event (of the right kind:
            # "المدينة" is a city), else the last such place named before, else the
            # article's most named place
            prior_events = [q.place for q in (same_sentence or doc_claims[:i]) if q.event and fits(q.place)]
            prior = [n[1] for n in fine if n[0] < start and fits(n[1])]
            pick = prior_events[-1] if prior_events else (prior[-1] if prior else None)
            how = "context"
            if pick is None:
                ranked = [pid for pid, _ in freq.most_common() if fits(pid)]
                if ranked:
                    pick, how = ranked[0], "article"
            if pick:
                c.place = pick
                c.place_info = {**(p or {"text": None}), "id": pick, "inferred": how}
        # a denial or doubt with no event of its own answers the nearest earlier claim
        for i, c in enumerate(doc_claims):
            if c.event or c.stance == "assert":
                continue
            content = fold((c.rec.get("content") or {}).get("text", ""))
            if not _ANAPHORIC_CONTENT.search(content):
                continue
            sent = (c.rec.get("sentence") or {}).get("index")
            prev = [p for p in doc_claims[:i] if p.event and p.stance == "assert" and not p.implied]
            if not prev:
                continue
            same = [p for p in prev if sent is not None and (p.rec.get("sentence") or {}).get("index") == sent]
            pool = same or prev
            # "هذه التقارير" (these reports) answers what the article has been reporting:
            # the most reported (event, place) before it, the nearest on a tie
            counts = Counter((p.event, p.place) for p in pool)
            best = max(counts.values())
            ante = next(p for p in reversed(pool) if counts[(p.event, p.place)] == best)
            answered = [p for p in pool if (p.event, p.place) == (ante.event, ante.place)]
            c.event, c.modality, c.place, c.place_info = ante.event, ante.modality, ante.place, ante.place_info
            c.sides, c.agents, c.window = set(ante.sides), list(ante.agents), c.window or ante.window
            for p in answered:
                c.sides |= p.sides
            c.answers = [p.rec.get("id") for p in answered]
            c.inherited = ante.rec.get("id")


def _cluster(claims: list[_Claim], slack: int) -> list[list[_Claim]]:
    groups: dict[tuple, list[_Claim]] = defaultdict(list)
    for c in claims:
        if c.event:
            # a claim whose place is unknown cannot be matched across articles
            groups[(c.event, c.place or "?" + c.doc, c.modality)].append(c)
    clusters: list[list[_Claim]] = []
    for key in sorted(groups):
        members = groups[key]
        local: list[dict] = []  # {"sides", "window", "claims"}
        # states (who holds a place, a siege) last; a report a week later is about the same state
        slack_k = slack * 2 if key[0] in ("control", "siege") else slack
        for c in [m for m in members if m.sides]:
            for cl in local:
                if cl["sides"] & c.sides and _overlap(cl["window"], c.window, slack_k):
                    cl["claims"].append(c)
                    cl["window"] = _hull(cl["window"], c.window)
                    break
            else:
                local.append({"sides": set(c.sides), "window": c.window, "claims": [c]})
        for c in [m for m in members if not m.sides]:
            fits = [cl for cl in local if _overlap(cl["window"], c.window, slack_k)]
            if fits:
                best = max(fits, key=lambda cl: (len(cl["claims"]), -local.index(cl)))
                best["claims"].append(c)
                best["window"] = _hull(best["window"], c.window)
            else:
                local.append({"sides": set(), "window": c.window, "claims": [c]})
        clusters.extend(cl["claims"] for cl in local)
    return clusters


# --------------------------------------------------------------------------- output


_MEDIA_WORDS = re.compile(r"^(وكاله|شبكه|قناه|تلفزيون|صحيفه|موقع|وسائل اعلام|وسائل الاعلام|اذاعه|مركز)\b")


def _is_media(node: dict, gaz: dict) -> bool:
    """A source that is a news organisation (an agency, a channel, a network), not a person."""
    ent = gaz.get(node.get("entity") or "") or {}
    if ent:
        return ent.get("type") == "source" and ent.get("subtype") not in ("official", "ngo", "monitor")
    return bool(_MEDIA_WORDS.search(fold(node.get("text") or "")))


def _claim_view(c: _Claim) -> dict:
    rec = c.rec
    fr = c.frame
    out = {
        "id": rec.get("id"),
        "doc": c.doc,
        "stance": c.stance,
        "outlet": c.outlet.get("text"),
        "cue": rec.get("cue"),
        "source": rec.get("source"),
        "recipient": rec.get("recipient"),
        "via": rec.get("via"),
        "content": rec.get("content"),
        "sentence": rec.get("sentence"),
        "polarity": rec.get("polarity"),
        "certainty": rec.get("certainty"),
        "hedges": rec.get("hedges") or [],
        "evidence": rec.get("evidence"),
        "chain": c.chain,
        "upstream": c.upstream,
        "frame": {k: fr.get(k) for k in ("event", "agent", "target", "place", "time", "numbers") if fr.get(k) is not None},
    }
    if c.place_info and (c.place_info.get("inferred") or c.inherited):
        out["frame"]["place"] = c.place_info
    if c.date:
        out["date"] = c.date.isoformat()
    if c.inherited:
        out["frame_from"] = c.inherited
    if c.implied:
        out["implied"] = True
    return out


def _side_summary(cs: list[_Claim], gaz: dict) -> dict:
    sources: dict[str, dict] = {}
    outlets: dict[str, dict] = {}
    chains: dict[str, list] = {}
    for c in cs:
        o = c.outlet
        if o.get("text") or o.get("entity"):
            rec = outlets.setdefault(o["key"], {k: v for k, v in o.items() if k != "key"} | {"articles": set()})
            rec["articles"].add(c.doc)
        src = c.chain[-1] if c.chain and c.chain[-1]["role"] == "source" else None
        s = sources.setdefault(c.upstream, {"key": c.upstream, "names": [], "claims": 0, "articles": set()})
        s["claims"] += 1
        s["articles"].add(c.doc)
        if src:
            label = src["text"]
            if label not in s["names"]:
                s["names"].append(label)
            for k in ("entity", "alignment", "country", "kind"):
                if src.get(k) and k not in s:
                    s[k] = src[k]
        route = " → ".join(n["text"] for n in c.chain if n.get("text"))
        if route and route not in chains.setdefault(c.upstream, []):
            chains[c.upstream].append(route)
    src_list = []
    for key in sorted(sources):
        s = sources[key]
        s["articles"] = sorted(s["articles"])
        s["chains"] = chains.get(key, [])
        src_list.append(s)
    out_list = []
    for key in sorted(outlets):
        o = outlets[key]
        o["articles"] = sorted(o["articles"])
        out_list.append(o)
    media: dict[str, dict] = {}
    for c in cs:
        for n in c.chain:
            if n["role"] == "source" and not _is_media(n, gaz):
                continue
            k = n.get("entity") or (("anon:" if n.get("kind") == "anonymous" else "") + _name_key(n["text"]))
            if k and k not in media:
                media[k] = {"text": n["text"], "entity": n.get("entity"), "role": n["role"], "alignment": n.get("alignment")}
    return {
        "claims": len(cs),
        "articles": len({c.doc for c in cs}),
        "media": [media[k] for k in sorted(media)],
        "outlets": out_list,
        "sources": src_list,
        "independent_sources": len(sources),
    }


def _casualties(cs: list[_Claim]) -> dict | None:
    kinds: dict[str, list[dict]] = defaultdict(list)
    for c in cs:
        if c.stance != "assert":
            continue
        for n in (c.frame.get("numbers") or []):
            if n.get("kind") in ("killed", "wounded", "displaced", "captured"):
                kinds[n["kind"]].append({"claim": c.rec.get("id"), "text": n["text"], "value": n["value"],
                                         "min": n.get("min"), "max": n.get("max"), "actor": n.get("actor"),
                                         "source": c.upstream})
    if not kinds:
        return None
    out = {}
    for kind in sorted(kinds):
        reps = kinds[kind]
        lows = [r["min"] if r["min"] is not None else r["value"] for r in reps]
        highs = [r["max"] for r in reps]
        out[kind] = {
            "min": min(lows),
            "max": None if any(h is None for h in highs) else max(highs),
            # ACLED: where reports differ, the most conservative (lowest) estimate
            "conservative": min(r["value"] for r in reps),
            "reports": reps,
        }
    return out


def _label(event: str, place: dict | None, sides_: set[str], modality: str, sides: Sides, event_labels: dict) -> dict:
    lab = event_labels.get(event, {"en": event, "ar": event})
    pen = (place or {}).get("name_en") or (place or {}).get("text") or "an unnamed place"
    par = (place or {}).get("name") or (place or {}).get("text") or "مكان غير محدد"
    side_names = sorted(sides_)
    sen = " / ".join(sides.labels.get(s, {}).get("en", s) for s in side_names)
    sar = " / ".join(sides.labels.get(s, {}).get("ar", s) for s in side_names)
    en = f"{lab.get('en', event)} {pen}" + (f" by {sen}" if sen else "")
    ar = f"{lab.get('ar', event)} {par}" + (f" ({sar})" if sar else "")
    if modality != "asserted":
        en, ar = "(intended or hypothetical) " + en, ar + " — نية أو احتمال"
    return {"en": en, "ar": ar}


def attach_documents(records: Iterable[dict], texts: dict[str, str]) -> list[dict]:
    """Give records whose article text is known their sentence text and a frame computed
    with the whole article (its dateline gives the reference date when meta has none).

    `texts` maps `doc.id` to the raw article text. Records of other articles are kept as
    they are. Returns the records (changed in place).
    """
    from .frames import frame as make_frame

    out = []
    for rec in records:
        text = texts.get(_doc_key(rec)) if isinstance(rec, dict) else None
        if text is not None:
            sent = rec.get("sentence")
            if isinstance(sent, dict) and "text" not in sent and 0 <= sent.get("start", -1) <= sent.get("end", -1) <= len(text):
                sent["text"] = text[sent["start"]:sent["end"]]
            make_frame(rec, text)
        out.append(rec)
    return out


def build_ledger(records: Iterable[dict], *, window_days: int = 7, lookback_days: int = 3,
                 gazetteer: dict[str, dict] | None = None, sides: Sides | None = None) -> list[dict]:
    """Group claim records into propositions. Deterministic: same claims, same output.

    `window_days`: how far apart two claims' time windows may be and still be one event.
    `lookback_days`: a claim with no time of its own is taken to be about the
    `lookback_days` before its article's date.
    """
    from .frames import load_event_lexicon

    gaz = gazetteer if gazetteer is not None else gazetteer_index()
    sides = sides or load_sides()
    event_labels = load_event_lexicon().labels
    recs = [r for r in records if isinstance(r, dict)]
    claims = _prep(recs, gaz, sides, lookback_days)
    _resolve_context(claims, gaz)
    props: list[dict] = []
    clusters = _cluster(claims, window_days)
    for cl in clusters:
        cl.sort(key=lambda c: c.order)
    broader = _broader_denials(clusters, gaz, window_days)
    for ci, cl in enumerate(clusters):
        asserting = [c for c in cl if c.stance == "assert"]
        denying = [c for c in cl if c.stance != "assert"]
        own = len(denying)
        denying += [c for c in broader.get(ci, []) if all(c is not d for d in denying)]
        first = cl[0]
        place_id = first.place
        place_info = None
        if place_id:
            ent = gaz.get(place_id) or {}
            surface = next((c.place_info.get("text") for c in cl if c.place_info and c.place_info.get("text")
                            and not c.place_info.get("inferred")), None)
            place_info = {"id": place_id, "name": ent.get("name") or surface, "name_en": ent.get("name_en")}
            place_info = {k: v for k, v in place_info.items() if v is not None}
            place_info.setdefault("name", place_id.rsplit("/", 1)[-1])
        all_sides: set[str] = set()
        for c in cl:
            all_sides |= c.sides
        if len(all_sides) > 1:
            common = set.intersection(*[c.sides for c in cl if c.sides])
            all_sides = common or all_sides
        agents = sorted({a for c in cl for a in c.agents})
        targets = sorted({t for c in cl for t in c.targets_ids} - set(agents))
        # denials target the asserting claims they answer: the one they point back to,
        # else every asserting claim of the proposition
        denial_views = []
        for k, c in enumerate(denying):
            v = _claim_view(c)
            # a denial answers what was said before it (when both articles are dated)
            earlier = [a.rec.get("id") for a in asserting if not (a.date and c.date and a.date > c.date)]
            v["targets"] = c.answers if (c.answers and k < own) else earlier
            if k >= own:
                v["broader"] = True  # a denial about the whole country or province
            denial_views.append(v)
        dates = sorted((c.date, c.doc) for c in cl if c.date)
        window = None
        for c in cl:
            if c.window and (c.frame.get("time") or {}).get("resolved"):
                window = _hull(window, c.window)
        status = "contested" if asserting and denying else ("uncontested" if asserting else "denied")
        key = {"event": first.event, "place": place_id, "modality": first.modality, "sides": sorted(all_sides),
               "claims": sorted(str(c.rec.get("id")) for c in cl)}
        pid = "p-" + hashlib.sha1(json.dumps(key, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
        props.append({
            "schema": SCHEMA,
            "id": pid,
            "label": _label(first.event, place_info, all_sides, first.modality, sides, event_labels),
            "event": first.event,
            "modality": first.modality,
            "place": place_info,
            "actors": {"sides": sorted(all_sides), "agents": agents, "targets": targets},
            "time": {"from": window[0].isoformat(), "to": window[1].isoformat()} if window else None,
            "status": status,
            "asserting": [_claim_view(c) for c in asserting],
            "denying": denial_views,
            "sides": {"asserting": _side_summary(asserting, gaz), "denying": _side_summary(denying, gaz)},
            "first_seen": {"date": dates[0][0].isoformat(), "doc": dates[0][1]} if dates else {"date": None, "doc": first.doc},
            "last_seen": {"date": dates[-1][0].isoformat(), "doc": dates[-1][1]} if dates else {"date": None, "doc": cl[-1].doc},
            "casualties": _casualties(cl),
            "articles": sorted({c.doc for c in cl}),
        })
    _link_conflicts(props)
    props.sort(key=lambda p: (-len(p["articles"]), -(len(p["asserting"]) + len(p["denying"])), p["event"],
                              (p["place"] or {}).get("id") or "", p["id"]))
    return props


def _link_conflicts(props: list[dict]) -> None:
    """Control of one place by two sides at overlapping times: each contradicts the other."""
    by_place: dict[tuple, list[dict]] = defaultdict(list)
    for p in props:
        if p["event"] == "control" and p["modality"] == "asserted" and p["place"] and p["actors"]["sides"]:
            by_place[p["place"]["id"]].append(p)
    for group in by_place.values():
        for p in group:
            others = [q["id"] for q in group if q is not p and not set(q["actors"]["sides"]) & set(p["actors"]["sides"])
                      and _overlap(_tw(p), _tw(q), 7)]
            if others:
                p["conflicts_with"] = sorted(others)


def _contains(outer: str, inner: str, gaz: dict) -> bool:
    """Is place `inner` inside place `outer` (parent chain, or same country for a country)?"""
    o = gaz.get(outer) or {}
    i = gaz.get(inner) or {}
    if not o or not i or outer == inner:
        return False
    if o.get("subtype") == "country":
        return bool(i.get("country")) and i.get("country") == o.get("country")
    seen, cur = set(), i.get("parent")
    while cur and cur not in seen:
        if cur == outer:
            return True
        seen.add(cur)
        cur = (gaz.get(cur) or {}).get("parent")
    return False


def _broader_denials(clusters: list[list[_Claim]], gaz: dict, slack: int) -> dict[int, list[_Claim]]:
    """A denial about a whole country or province ("no forces were sent to Syria") also
    answers the same event claimed at a place inside it ("arrived in Tartus"). Returns, per
    cluster index, the denials it receives from broader clusters."""
    def sides_of(cl):
        out = set()
        for c in cl:
            out |= c.sides
        return out

    def window_of(cl):
        w = None
        for c in cl:
            w = _hull(w, c.window)
        return w

    extra: dict[int, list[_Claim]] = defaultdict(list)
    for i, p in enumerate(clusters):
        den = [c for c in p if c.stance != "assert"]
        head = p[0]
        if not den or not head.place or head.modality != "asserted" \
                or (gaz.get(head.place) or {}).get("subtype") not in ("country", "governorate"):
            continue
        ps = sides_of(p)
        for j, q in enumerate(clusters):
            qh = q[0]
            if j == i or qh.event != head.event or qh.modality != "asserted" or not qh.place:
                continue
            if not any(c.stance == "assert" for c in q) or not _contains(head.place, qh.place, gaz):
                continue
            qs = sides_of(q)
            if ps and qs and not ps & qs:
                continue
            if not _overlap(window_of(p), window_of(q), slack):
                continue
            extra[j].extend(den)
    return extra


def _tw(p: dict):
    t = p.get("time")
    return (_date(t["from"]), _date(t["to"])) if t else None


__all__ = ["SCHEMA", "Sides", "attach_documents", "build_ledger", "gazetteer_index", "load_sides"]
