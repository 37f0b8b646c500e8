"""Event frames for claim content: what happened, who did it to whom, where, when, how many.

`frame(record, doc_text)` reads a claim record (issue 2's format) and adds a
`frame` to it::

    {"event": {"type": "control", "trigger": {span, "lemma"}, "negated": false,
               "modality": "asserted"} | null,
     "events": [every trigger found in the content, same shape],
     "agent": actor | null, "target": actor | null,
     "actors": [{span, "id", "role": agent|target|victim|partner|other, "anaphor"?}],
     "place": {span, "id", "anaphor"?} | null,
     "time": {span, "expr", "resolved", "date", "from", "to", "scope"} | null,
     "numbers": [{span, "value", "min", "max", "approx", "vague", "qualifier",
                  "unit", "kind", "actor"?}],
     "ref_date": {"date", "source": meta|dateline}?}

Numbers are ranges: `value` is the point figure ACLED would code (vague counts: tens/عشرات
10, dozens 12, hundreds/مئات 100, thousands 1000, several/عدة 10, a few/بضعة 3), `min`/`max`
the range (`max: null` is open, as in "أكثر من 50" → 51..). Times are resolved against the
article date (`doc.meta.date`, else a full date in the article's first lines) when known
and kept with `resolved: false` otherwise; `scope` says whether the time is the event's
(in the content) or the statement's (elsewhere in the sentence).

Every span is `{"text", "start", "end"}` in raw offsets of the article, so
`doc_text[start:end] == text`. Matching runs on the normalised view of the
claim's content (and of its sentence, for the time of a statement), and the
offsets are mapped back through `claimx.normalize`.

Actors and places come from the record's `entities` (gazetteer ids). Triggers,
negators and modality words come from `claimx/lexicons/events.yaml`
(README-events.md documents the format).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import LexiconError
from .match import NOUN_PREFIXES, PRONOUN_SUFFIXES, VERB_PREFIXES, PhraseMatcher, resolve_overlaps
from .normalize import fold, normalize

EVENT_TYPES = ("control", "withdrawal", "attack", "casualties", "displacement", "siege", "negotiation", "deployment")
_VERB_ENDINGS = ("", "ت", "وا", "ا", "ون", "ن", "تا", "ان")
_WORD = re.compile(r"[^\W_]+")
_CLAUSE_BREAK = re.compile(r"[,;:.?!\n]")
_CLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Trigger:
    type: str
    lemma: str
    weight: int
    pos: str  # verb | noun | phrase
    subject: str = "agent"  # "target": the subject undergoes the event (صدّ)
    needs_actor: bool = False  # only an event when an armed actor is named in the content
    unless_next: frozenset = frozenset()  # not an event when the next word is one of these


@dataclass
class EventLexicon:
    matcher: PhraseMatcher
    labels: dict[str, dict[str, str]]
    negators: frozenset[str]
    modality: dict[str, str]  # folded word -> kind
    modality_phrases: list[tuple[str, str]]  # multi-word folded phrase -> kind
    target_markers: frozenset[str]
    with_markers: frozenset[str]
    place_anaphora: PhraseMatcher
    actor_anaphora: dict[str, str]  # folded word -> gazetteer subtype
    armed_nouns: frozenset = frozenset()
    presence: frozenset = frozenset()  # "المتواجدة": participles that put an actor in a place
    presence_place_nouns: frozenset = frozenset()  # "مدينة" between في and the place name
    presence_not_inside: frozenset = frozenset()  # "محيط", "ريف": near the place, not in it
    version: int = 1
    path: str = ""
    triggers: list[Trigger] = field(default_factory=list)


def _noun_forms(f: str) -> set[str]:
    out = {f}
    if not f.startswith("ال"):
        out.add("ال" + f)
    if f.endswith("ه"):  # folded ة: construct state before a pronoun ("سيطرتها")
        out.add(f[:-1] + "ت")
    elif not f.endswith(("ا", "ي", "و")):
        out.add(f + "ا")  # accusative tanwin written with alef ("هجوما")
    return out


def _fail(path: str, msg: str, line: int | None = None, key: str | None = None):
    raise LexiconError(path, msg, line, key)


def parse_event_lexicon(path: str, text: str) -> EventLexicon:
    """Validate and compile the event lexicon. Errors name file, line and key."""
    from .lexicon import load_yaml_with_lines

    data = load_yaml_with_lines(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        _fail(path, "needs a 'types' mapping of event type -> {label, triggers}")
    matcher = PhraseMatcher(prefixes=NOUN_PREFIXES | VERB_PREFIXES, suffixes=PRONOUN_SUFFIXES)
    labels: dict[str, dict[str, str]] = {}
    triggers: list[Trigger] = []
    for etype, spec in data["types"].items():
        if etype == "__line__":
            continue
        if etype not in EVENT_TYPES:
            _fail(path, f"unknown event type '{etype}' (allowed: {', '.join(EVENT_TYPES)})", key=etype)
        if not isinstance(spec, dict) or not isinstance(spec.get("triggers"), list):
            _fail(path, "each event type needs a 'triggers' list", key=etype)
        labels[etype] = {k: v for k, v in (spec.get("label") or {}).items() if k != "__line__"}
        for item in spec["triggers"]:
            line = item.get("__line__") if isinstance(item, dict) else None
            if not isinstance(item, dict):
                _fail(path, "a trigger entry must be a mapping", line, etype)
            unknown = set(item) - {"lemma", "verbs", "nouns", "phrases", "weight", "subject", "needs_actor",
                                   "unless_next", "__line__"}
            if unknown:
                _fail(path, f"unknown key(s) {sorted(unknown)} (allowed: lemma, verbs, nouns, phrases, weight, "
                            "subject, needs_actor, unless_next)", line, etype)
            weight = item.get("weight", 2)
            if weight not in (1, 2, 3):
                _fail(path, "weight must be 1, 2 or 3", line, "weight")
            subject = item.get("subject", "agent")
            if subject not in ("agent", "target"):
                _fail(path, "subject must be 'agent' or 'target'", line, "subject")
            first = next(iter(item.get("verbs") or item.get("nouns") or item.get("phrases") or []), None)
            lemma = str(item.get("lemma") or first or "")
            if not lemma:
                _fail(path, "a trigger entry needs at least one of verbs, nouns, phrases", line, etype)
            for pos, key in (("verb", "verbs"), ("noun", "nouns"), ("phrase", "phrases")):
                forms = item.get(key) or []
                if not isinstance(forms, list) or not all(isinstance(x, str) and x.strip() for x in forms):
                    _fail(path, f"'{key}' must be a list of non-empty strings", line, key)
                trig = Trigger(etype, lemma, weight, pos, subject, bool(item.get("needs_actor")),
                               frozenset(fold(str(w)) for w in item.get("unless_next") or ()))
                triggers.append(trig)
                for form in forms:
                    f = fold(form)
                    if pos == "verb":
                        variants = {f + e for e in _VERB_ENDINGS}
                    elif pos == "noun":
                        variants = _noun_forms(f)
                    else:
                        variants = {f}
                    for v in sorted(variants):
                        matcher.add(v, trig)
    matcher.build()

    def words(key: str) -> list[str]:
        vals = data.get(key) or []
        if not isinstance(vals, list):
            _fail(path, f"'{key}' must be a list", data.get("__line__"), key)
        return [fold(str(v)) for v in vals]

    modality: dict[str, str] = {}
    modality_phrases: list[tuple[str, str]] = []
    for kind, vals in (data.get("modality") or {}).items():
        if kind == "__line__":
            continue
        for v in vals:
            fv = fold(str(v))
            (modality_phrases.append((fv, kind)) if " " in fv else modality.__setitem__(fv, kind))
    anaphora = PhraseMatcher(prefixes=NOUN_PREFIXES)
    for w in words("place_anaphora"):
        anaphora.add(w, w)
    anaphora.build()
    actor_anaphora = {fold(k): str(v) for k, v in (data.get("actor_anaphora") or {}).items() if k != "__line__"}
    presence = data.get("presence") or {}
    if not isinstance(presence, dict):
        _fail(path, "'presence' must be a mapping with 'participles' and 'place_nouns'", data.get("__line__"), "presence")
    presence_words = {}
    for key in ("participles", "place_nouns"):
        vals = presence.get(key) or []
        if not isinstance(vals, list) or not all(isinstance(x, str) and x.strip() for x in vals):
            _fail(path, f"'presence.{key}' must be a list of non-empty strings", presence.get("__line__"), key)
        presence_words[key] = frozenset(fold(x) for x in vals)
    return EventLexicon(
        matcher=matcher,
        labels=labels,
        negators=frozenset(words("negators")),
        modality=modality,
        modality_phrases=modality_phrases,
        target_markers=frozenset(words("target_markers")),
        with_markers=frozenset(words("with_markers")),
        place_anaphora=anaphora,
        actor_anaphora=actor_anaphora,
        armed_nouns=frozenset(words("armed_nouns")),
        presence=presence_words["participles"],
        presence_place_nouns=presence_words["place_nouns"],
        presence_not_inside=frozenset(words("presence_not_inside")),
        version=int(data.get("version", 1)),
        path=path,
        triggers=triggers,
    )


@lru_cache(maxsize=4)
def load_event_lexicon(path: str | None = None) -> EventLexicon:
    """The event lexicon: the packaged `events.yaml`, or the file at `path`."""
    if path is None:
        text = resources.files("claimx.lexicons").joinpath("events.yaml").read_text("utf-8")
        return parse_event_lexicon("claimx/lexicons/events.yaml", text)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as e:
        raise LexiconError(path, f"cannot read: {e.strerror or e}") from None
    return parse_event_lexicon(str(path), text)


# --------------------------------------------------------------------------- local views


class _View:
    """The normalised view of one raw region, with a way back to article offsets."""

    def __init__(self, raw: str, base: int):
        self.raw = raw
        self.base = base
        self.norm = normalize(raw)
        self.text = self.norm.text
        self.words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.text)]

    def span(self, s: int, e: int) -> dict:
        rs, re_ = self.norm.to_raw(s, e)
        return {"text": self.raw[rs:re_], "start": self.base + rs, "end": self.base + re_}

    def from_raw(self, start: int, end: int) -> tuple[int, int] | None:
        """Article raw offsets -> view offsets, or None when outside this region."""
        rs, re_ = start - self.base, end - self.base
        if rs < 0 or re_ > len(self.raw) or rs >= re_:
            return None
        return self.norm.raw_to_view(rs), self.norm.raw_to_view(re_)

    def words_between(self, s: int, e: int) -> list[str]:
        return [w for ws, we, w in self.words if ws >= s and we <= e]

    def words_before(self, pos: int, n: int, clause: bool = True) -> list[str]:
        """Up to n words ending before pos (nearest last), stopping at a clause break."""
        start = 0
        if clause:
            breaks = [m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, pos)]
            start = breaks[-1] if breaks else 0
        ws = [w for a, b, w in self.words if b <= pos and a >= start]
        return ws[-n:]

    def words_after(self, pos: int, n: int) -> list[tuple[int, int, str]]:
        return [t for t in self.words if t[0] >= pos][:n]

    def attached_prefix(self, pos: int) -> str:
        """Letters glued before pos inside the same word ("ل" of "لقوات")."""
        i = pos
        while i > 0 and self.text[i - 1].isalnum():
            i -= 1
        return self.text[i:pos]


def _bare(w: str) -> str:
    if w.startswith(("لل", "ولل", "فلل")) and len(w) > 4:  # ل + ال: "للتنظيم"
        return "ال" + w[w.index("لل") + 2:]
    for c in _CLITICS:
        if w.startswith(c) and len(w) - len(c) >= 2:
            return w[len(c):]
    return w


# --------------------------------------------------------------------------- numbers

_UNITS = {1: ["واحد", "واحده"], 2: ["اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني"],
          3: ["ثلاث", "ثلاثه"], 4: ["اربع", "اربعه"], 5: ["خمس", "خمسه"], 6: ["ست", "سته"],
          7: ["سبع", "سبعه"], 8: ["ثمان", "ثماني", "ثمانيه"], 9: ["تسع", "تسعه"], 10: ["عشر", "عشره"]}
_TENS = {20: "عشر", 30: "ثلاث", 40: "اربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان", 90: "تسع"}
_HUNDREDS = {100: ["مئه", "مائه", "مئة", "ماية"], 200: ["مئتان", "مئتين", "مائتان", "مائتين"]}
_MULT = {1000: ["الف", "الاف", "ألف", "الفا", "الفان", "الفين"], 1_000_000: ["مليون", "ملايين", "مليونا"],
         1_000_000_000: ["مليار", "مليارات"]}
# ACLED's convention for vague counts: "tens" 10, "dozens" 12, "hundreds" 100 and so on;
# "several/many" read as 10. "A few" (بضعة) is 3, the smallest plural.
_VAGUE = {
    "عشرات": (10, 10, 99), "العشرات": (10, 10, 99), "مئات": (100, 100, 999), "المئات": (100, 100, 999),
    "الاف": (1000, 1000, 9999), "الالاف": (1000, 1000, 9999), "دزينه": (12, 12, 12),
    "عده": (10, 3, None), "العديد": (10, 3, None), "بضعه": (3, 3, 9), "بضع": (3, 3, 9),
}
_VAGUE_PHRASES = [("عدد كبير", (10, 10, None)), ("عددا كبيرا", (10, 10, None)), ("عدد من", (10, 3, None)),
                  ("عددا من", (10, 3, None))]


def _word_values() -> dict[str, int]:
    out: dict[str, int] = {}
    for v, ws in _UNITS.items():
        for w in ws:
            out[fold(w)] = v
    for v, stem in _TENS.items():
        for end in ("ون", "ين"):
            out[fold(stem + end)] = v
    for v, ws in _HUNDREDS.items():
        for w in ws:
            out[fold(w)] = v
    for u in range(3, 10):  # ثلاثمئة … تسعمئة
        for w in _UNITS[u]:
            for h in ("مئه", "مائه"):
                out[fold(w.rstrip("ه") + h)] = u * 100
    return out


_WORD_VALUES = _word_values()
_MULT_WORDS = {fold(w): v for v, ws in _MULT.items() for w in ws}
_QUALIFIERS = [  # folded phrase, qualifier, position
    ("اكثر من", "more_than", "before"), ("ما يزيد عن", "more_than", "before"), ("ما يزيد على", "more_than", "before"),
    ("اكثر", "more_than", "before"), ("زهاء", "about", "before"), ("نحو", "about", "before"),
    ("حوالي", "about", "before"), ("قرابه", "about", "before"), ("قرابة", "about", "before"),
    ("ما يقارب", "about", "before"), ("ما لا يقل عن", "at_least", "before"), ("لا يقل عن", "at_least", "before"),
    ("لا تقل عن", "at_least", "before"), ("على الاقل", "at_least", "both"), ("اقل من", "less_than", "before"),
    ("حتي", "up_to", "before"),
]
_QUALIFIERS = [(fold(p), q, w) for p, q, w in _QUALIFIERS]
_UNIT_WORDS = {"كم": "km", "كيلومتر": "km", "كيلومترات": "km", "كيلو": "km", "كيلومترا": "km", "متر": "m",
               "مترا": "m", "امتار": "m", "ساعه": "hour", "ساعات": "hour", "يوم": "day", "ايام": "day",
               "يوما": "day", "اسبوع": "week", "اسابيع": "week", "شهر": "month", "اشهر": "month", "عام": "year",
               "سنوات": "year", "غاره": "strike", "غارات": "strike", "شخص": "person", "اشخاص": "person",
               "عنصر": "fighter", "عنصرا": "fighter", "عناصر": "fighter", "مقاتل": "fighter", "مقاتلا": "fighter",
               "مقاتلين": "fighter", "جنود": "fighter", "جندي": "fighter", "جنديا": "fighter", "مدني": "civilian", "مدنيا": "civilian", "مدنيين": "civilian",
               "عائله": "family", "عائلات": "family", "قتيل": "killed", "قتيلا": "killed", "قتلي": "killed",
               "جريح": "wounded", "جريحا": "wounded", "جرحي": "wounded", "نازح": "displaced", "نازحا": "displaced",
               "الف": None, "%": "percent", "بالمئه": "percent", "بالمائه": "percent"}
_KIND_WORDS = [
    ("killed", ("مقتل", "قتل", "قتلي", "قتيل", "قتيلا", "مصرع", "حتف", "ضحايا", "القتلي")),
    ("wounded", ("جرحي", "جريح", "جريحا", "اصابه", "اصيب", "مصابين", "الجرحي", "بجراح")),
    ("displaced", ("نزوح", "النزوح", "نازح", "نازحين", "تهجير", "الفرار", "فرار")),
    ("captured", ("اسر", "اسري", "اسير", "اعتقال")),
]
_NUM_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")


def _digits_value(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


def _int(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def parse_numbers(raw: str, base: int = 0) -> list[dict]:
    """Quantities in a raw text, as ranges with their spans (raw offsets + base).

    >>> [(n["text"], n["value"], n["min"], n["max"]) for n in parse_numbers("أكثر من 50 قتيلا")]
    [('أكثر من 50 قتيلا', 51, 51, None)]
    """
    return _numbers(_View(raw, base))


def _numbers(v: _View) -> list[dict]:
    text, words = v.text, v.words
    out: list[dict] = []
    i = 0
    n = len(words)
    while i < n:
        s, e, w = words[i]
        glued = re.match(r"([وفبل]{1,2})(?=\d)", w)
        if glued:  # "و20", "ب3"
            s += glued.end()
            w = w[glued.end():]
        bw = _bare(w)
        value = lo = hi = None
        vague = False
        j = i
        if _NUM_TOKEN.fullmatch(w) or (w.isdigit()):
            # digits; join "120,000" split by the word regex
            m = _NUM_TOKEN.match(text, s)
            e = m.end()
            while j + 1 < n and words[j + 1][0] < e:
                j += 1
            value = _digits_value(m.group())
            if 1990 <= value <= 2035 and float(value).is_integer() and "," not in m.group():
                nxt = _bare(words[j + 1][2]) if j + 1 < n else ""
                if nxt not in _UNIT_WORDS and nxt not in _MULT_WORDS:
                    i = j + 1  # a year: times handle it
                    continue
            # a digit glued to a date ("11 . 10 . 2017") or a time ("12 : 54") is not a quantity
            around = text[max(0, s - 4):min(len(text), e + 4)]
            if re.search(r"\d\s+[.:/]\s*\d|\d\s*[.:/]\s+\d|\d[:/]\d|\d\.\d+\.\d", around):
                i = j + 1
                continue
            lo = hi = value
        elif bw in _WORD_VALUES or w in _WORD_VALUES:
            value = _WORD_VALUES.get(w, _WORD_VALUES.get(bw))
            # "خمسة وعشرين", "مئة وعشرين"
            while j + 1 < n and words[j + 1][2].startswith("و") and words[j + 1][2][1:] in _WORD_VALUES:
                j += 1
                value += _WORD_VALUES[words[j][2][1:]]
            # "ثلاثة عشر" (13); a bare "عشرة" is 10 already
            if bw not in ("عشر", "عشره") and j + 1 < n and words[j + 1][2] in ("عشر", "عشره") and value < 10:
                j += 1
                value += 10
            e = words[j][1]
            lo = hi = value
        elif bw in ("احد", "احدي") and i + 1 < n and words[i + 1][2] in ("عشر", "عشره"):
            j = i + 1  # "أحد عشر" (11)
            value = lo = hi = 11
            e = words[j][1]
        elif (bw in _MULT_WORDS or w in _MULT_WORDS) and bw not in ("الاف", "ملايين", "مليارات"):
            value = lo = hi = _MULT_WORDS.get(w, _MULT_WORDS.get(bw))  # "مليون لاجئ", "ألف شخص"
        elif w in _VAGUE or bw in _VAGUE:
            value, lo, hi = _VAGUE.get(w, _VAGUE.get(bw))
            vague = True
        else:
            for phrase, vals in _VAGUE_PHRASES:
                if text.startswith(phrase, s):
                    value, lo, hi = vals
                    vague = True
                    e = s + len(phrase)
                    while j + 1 < n and words[j + 1][1] <= e:
                        j += 1
                    break
        if value is None:
            i += 1
            continue
        # multiplier: "120 ألف", "ثلاثة آلاف", "عشرات الآلاف"
        if j + 1 < n and _bare(words[j + 1][2]) in _MULT_WORDS | {"الالاف": 1000}:
            mult = _MULT_WORDS.get(_bare(words[j + 1][2]), 1000)
            j += 1
            e = words[j][1]
            value *= mult
            lo = lo * mult if lo is not None else None
            hi = (hi + 1) * mult - 1 if (hi is not None and vague) else (hi * mult if hi is not None else None)
        qualifier = None
        before = text[max(0, s - 20):s].rstrip()
        start = s
        for phrase, q, where in _QUALIFIERS:
            if where in ("before", "both") and before.endswith(phrase):
                k = before.rfind(phrase)
                if k == 0 or not before[k - 1].isalnum():
                    qualifier = q
                    start = max(0, s - 20) + k
                    break
        # unit right after; "على الأقل" may follow the unit or number
        unit = None
        k = j + 1
        if k < n and text[e:words[k][0]].strip(' "') == "":
            uw = _bare(words[k][2])
            if uw in _UNIT_WORDS or words[k][2] in _UNIT_WORDS:
                unit = _UNIT_WORDS.get(words[k][2], _UNIT_WORDS.get(uw))
                e = words[k][1]
                k += 1
        rest = text[e:e + 16]
        m = re.match(r'["\s]*علي الاقل', rest)
        if m and qualifier is None:
            qualifier = "at_least"
            e = e + m.end()
        if qualifier == "more_than":
            lo = (lo or value) + 1 if not vague else lo
            hi = None
            value = lo if not vague else value
        elif qualifier == "at_least":
            hi = None
        elif qualifier == "less_than":
            hi = value - 1
            lo = None
        elif qualifier == "up_to":
            lo = None
        kind = _number_kind(v, start, e, unit)
        span = v.span(start, e)
        out.append({**span, "value": _int(value), "min": None if lo is None else _int(lo),
                    "max": None if hi is None else _int(hi), "approx": qualifier == "about" or vague,
                    "vague": vague, "qualifier": qualifier, "unit": unit, "kind": kind})
        i = k if k > j + 1 else j + 1
        while i < n and words[i][0] < e:
            i += 1
    return _merge_ranges(v, out)


def _merge_ranges(v: _View, nums: list[dict]) -> list[dict]:
    """"بين 10 و20", "10 - 15", "من 10 إلى 15": one quantity with min and max."""
    out: list[dict] = []
    for n in nums:
        if out:
            a = out[-1]
            va, vb = v.from_raw(a["start"], a["end"]), v.from_raw(n["start"], n["end"])
            if va and vb:
                gap = v.text[va[1]:vb[0]].strip()
                lead = v.text[max(0, va[0] - 6):va[0]]
                if (gap in ("و", "-", "–") and re.search(r"بين\s*$", lead)) or gap in ("-", "–") or (
                        gap in ("الي", "حتي") and re.search(r"من\s*$", lead)):
                    k = lead.rfind("بين") if "بين" in lead else lead.rfind("من")
                    s0 = va[0] - (len(lead) - k) if k >= 0 and gap != "-" else va[0]
                    span = v.span(s0, vb[1])
                    out[-1] = {**a, **span, "value": a["value"], "min": a["min"], "max": n["max"],
                               "unit": n["unit"] or a["unit"], "kind": n["kind"] if a["kind"] == "count" else a["kind"],
                               "qualifier": "range"}
                    continue
        out.append(n)
    return out


def _number_kind(v: _View, s: int, e: int, unit: str | None) -> str:
    if unit in ("km", "m"):
        return "distance"
    if unit in ("hour", "day", "week", "month", "year"):
        return "duration"
    if unit == "percent":
        return "percent"
    if unit in ("killed", "wounded", "displaced"):
        return unit
    before = [_bare(w) for w in v.words_before(s, 4)]
    after = [_bare(w) for _, _, w in v.words_after(e, 3)]
    for kind, ws in _KIND_WORDS:
        if any(w in ws or w.lstrip("ال") in ws for w in before[-2:] + after[:1]):
            return kind
    for kind, ws in _KIND_WORDS:
        if any(w in ws for w in before + after):
            return kind
    if unit == "strike":
        return "strikes"
    return "count"


# --------------------------------------------------------------------------- time

_WEEKDAYS = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
             "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6}
_WEEKDAYS = {fold(k): v for k, v in _WEEKDAYS.items()}
_MONTHS_AR = {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4,
              "ابريل": 4, "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7,
              "أغسطس": 8, "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10,
              "نوفمبر": 11, "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12}
_MONTHS_AR = {fold(k): v for k, v in _MONTHS_AR.items()}
_MONTHS_EN = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                          "august", "september", "october", "november", "december"], 1)}
_MONTH_ALT = "|".join(sorted((re.escape(k) for k in _MONTHS_AR), key=len, reverse=True))
_WD_ALT = "|".join(re.escape(k) for k in _WEEKDAYS)
_NUM_WORDS_DAYS = {"يومين": 2, "يومان": 2, "ثلاثه ايام": 3, "اربعه ايام": 4, "خمسه ايام": 5, "اسبوع": 7,
                   "اسبوعين": 14, "ساعات": 0, "شهر": 30, "ايام": 3}
# (regex on the view, kind); order matters: longer, more specific first
_TIME_PATTERNS = [
    (rf"(?P<d>\d{{1,2}})\s*(?:-\s*)?(?P<m>{_MONTH_ALT})\s*(?:/\s*(?:{_MONTH_ALT})\s*)?(?:-\s*)?(?P<y>\d{{4}})", "date"),
    (r"(?P<m_en>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})", "date"),
    (r"(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})", "date"),
    (r"(?P<d>\d{1,2})\s*[./]\s*(?P<mm>\d{1,2})\s*[./]\s*(?P<y>\d{4})", "date"),
    (rf"(?:(?:مطلع|اوائل|بدايه|اواخر|نهايه|منتصف)\s+)?(?P<m>{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?(?:\s+(?P<y>\d{{4}}))?(?:\s+(?:الماضي|الفائت|الجاري|المقبل))?", "month"),
    (r"(?:امس|البارحه)\s+الاول", "day_before_yesterday"),
    (rf"(?:ليل\s+|مساء\s+|صباح\s+|فجر\s+|ظهر\s+|عصر\s+)?(?:امس|البارحه)(?:\s+(?P<wd>{_WD_ALT}))?", "yesterday"),
    (rf"(?:(?:صباح|مساء|ظهر|عصر|ليل|فجر)\s+)?اليوم(?:\s+(?P<wd>{_WD_ALT}))?", "today"),
    (r"(?:هذا|هذه)\s+(?:المساء|الصباح|الليله)", "today"),
    (r"(?:منذ\s+)?قبل\s+(?P<n>\d+|يومين|اسبوعين|اسبوع|شهر|ثلاثه ايام|اربعه ايام|خمسه ايام|ساعات)(?:\s+(?:ايام|يوما|اسابيع))?", "days_ago"),
    (r"(?:خلال|في)\s+(?:ال)?(?P<n>\d+)\s+ساعه\s+(?:ال)?(?:ماضيه|اخيره|فائته)", "past_hours"),
    (r"(?:خلال|في)\s+(?:ال)?(?:يومين|اليومين)\s+(?:ال)?(?:ماضيين|اخيرين|فائتين)", "past_2days"),
    (r"(?:خلال|في)\s+الايام\s+(?P<nw>الثلاثه|الاربعه|الخمسه|القليله)?\s*(?:ال)?(?:ماضيه|اخيره|فائته)(?:\s+(?P<nw2>الثلاثه|القليله))?", "past_days"),
    (r"(?:(?:خلال|في)\s+)?(?:ال)?(?:اسبوعين|الاسبوعين)\s+(?:ال)?(?:ماضيين|اخيرين|فائتين)", "past_2weeks"),
    (r"الاسبوع\s+(?:الماضي|الفائت|المنصرم)", "last_week"),
    (r"(?:هذا|خلال\s+هذا)\s+الاسبوع", "this_week"),
    (r"الشهر\s+(?:الماضي|الفائت|المنصرم)", "last_month"),
    (r"(?:هذا|خلال\s+هذا)\s+الشهر", "this_month"),
    (r"(?:هذا|خلال\s+هذا)\s+العام", "this_year"),
    (r"(?:العام|السنه)\s+(?:الماضي|الفائت)", "last_year"),
    (rf"(?:يوم\s+)?(?P<wd>{_WD_ALT})\s+(?:الماضي|الفائت|المنصرم)", "last_weekday"),
    (rf"يوم\s+(?P<wd>{_WD_ALT})", "weekday"),
]
_TIME_RES = [(re.compile(p), k) for p, k in _TIME_PATTERNS]


def _parse_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            try:
                return _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _month_of(g: dict) -> int | None:
    if g.get("m"):
        return _MONTHS_AR.get(g["m"])
    if g.get("m_en"):
        return _MONTHS_EN.get(g["m_en"].lower())
    if g.get("mm"):
        return int(g["mm"])
    return None


def _resolve_time(kind: str, g: dict, ref: _dt.date | None, text: str) -> dict:
    """(date, from, to) of a time expression against the article date `ref`."""
    D = _dt.timedelta
    out: dict[str, Any] = {"date": None, "from": None, "to": None}

    def day(d: _dt.date | None) -> dict:
        return {"date": d.isoformat(), "from": d.isoformat(), "to": d.isoformat()} if d else out

    def rng(a: _dt.date, b: _dt.date) -> dict:
        return {"date": None, "from": a.isoformat(), "to": b.isoformat()}

    if kind == "date":
        try:
            return day(_dt.date(int(g["y"]), _month_of(g) or 0, int(g["d"])))
        except (ValueError, TypeError):
            return out
    if kind == "month":
        month = _month_of(g)
        year = int(g["y"]) if g.get("y") else (ref.year if ref else None)
        if year and month:
            if ref and not g.get("y") and month > ref.month and "المقبل" not in text:
                year -= 1  # "مطلع ديسمبر" said in June: last December
            first = _dt.date(year, month, 1)
            last = (_dt.date(year + (month == 12), month % 12 + 1, 1) - D(days=1))
            return rng(first, last)
        return out
    if ref is None:
        return out
    wd = _WEEKDAYS.get(g.get("wd") or "")
    if kind == "today":
        return day(ref)
    if kind == "yesterday":
        return day(ref - D(days=1))
    if kind == "day_before_yesterday":
        return day(ref - D(days=2))
    if kind == "days_ago":
        n = g.get("n") or ""
        days = int(n) if n.isdigit() else _NUM_WORDS_DAYS.get(n, 0)
        if n.isdigit() and "اسابيع" in text:  # "قبل 3 أسابيع"
            days = int(n) * 7
        return day(ref - D(days=days))
    if kind == "past_hours":
        hours = int(g["n"])
        return rng(ref - D(days=max(1, (hours + 23) // 24)), ref)
    if kind == "past_2days":
        return rng(ref - D(days=2), ref)
    if kind == "past_days":
        nw = g.get("nw") or g.get("nw2") or ""
        n = {"الثلاثه": 3, "الاربعه": 4, "الخمسه": 5}.get(nw, 3)
        return rng(ref - D(days=n), ref)
    if kind == "past_2weeks":
        return rng(ref - D(days=14), ref)
    if kind == "last_week":
        # the previous calendar week, weeks starting on Saturday as in Syria and Iraq
        start = ref - D(days=(ref.weekday() - 5) % 7) - D(days=7)
        return rng(start, start + D(days=6))
    if kind == "this_week":
        start = ref - D(days=(ref.weekday() - 5) % 7)
        return rng(start, ref)
    if kind == "last_month":
        last = ref.replace(day=1) - D(days=1)
        return rng(last.replace(day=1), last)
    if kind == "this_month":
        return rng(ref.replace(day=1), ref)
    if kind == "this_year":
        return rng(ref.replace(month=1, day=1), ref)
    if kind == "last_year":
        return rng(_dt.date(ref.year - 1, 1, 1), _dt.date(ref.year - 1, 12, 31))
    if kind == "last_weekday" and wd is not None:
        back = (ref.weekday() - wd) % 7 or 7
        return day(ref - D(days=back))
    if kind == "weekday" and wd is not None:
        back = (ref.weekday() - wd) % 7
        return day(ref - D(days=back))
    return out


def parse_times(raw: str, base: int = 0, ref: _dt.date | str | None = None) -> list[dict]:
    """Time expressions in a raw text, resolved against the article date `ref` when given.

    >>> [(t["expr"], t["date"]) for t in parse_times("أمس الجمعة", ref="2017-11-11")]
    [('yesterday', '2017-11-10')]
    """
    return _times(_View(raw, base), _parse_date(ref) if not isinstance(ref, _dt.date) else ref)


def _times(v: _View, ref: _dt.date | None) -> list[dict]:
    out: list[dict] = []
    taken: list[tuple[int, int]] = []
    for rx, kind in _TIME_RES:
        for m in rx.finditer(v.text):
            s, e = m.span()
            if (s > 0 and v.text[s - 1].isalnum() and not v.attached_prefix(s) in ("و", "ف", "ب", "ل")) or (
                e < len(v.text) and v.text[e].isalnum()):
                continue
            if any(s < b and a < e for a, b in taken):
                continue
            g = {k: val for k, val in m.groupdict().items() if val}
            if kind == "month" and not g.get("y") and m.group() == g.get("m"):
                # a bare month name is also a verb or a name ("مارس الضغط", "أيار"): only
                # after a time preposition ("في نوفمبر", "منذ آذار", "شهر أيار")
                prev = v.words_before(s, 1, clause=False)
                if not prev or _bare(prev[0]) not in ("في", "خلال", "منذ", "شهر", "حتي", "مطلع", "اواخر", "اوائل"):
                    continue
            res = _resolve_time(kind, g, ref, m.group())
            item = {**v.span(s, e), "expr": kind, **res}
            item["resolved"] = bool(res["date"] or res["from"])
            if "wd" in g and ref is not None and item["date"]:
                item["weekday_ok"] = _dt.date.fromisoformat(item["date"]).weekday() == _WEEKDAYS[g["wd"]]
            taken.append((s, e))
            out.append(item)
    out.sort(key=lambda t: t["start"])
    return out


def article_date(doc: dict | None, doc_text: str | None) -> tuple[_dt.date | None, str | None]:
    """The article's date: doc.meta.date, else a full date in its first lines (dateline)."""
    meta = (doc or {}).get("meta") or {}
    for key in ("date", "published", "datetime"):
        d = _parse_date(meta.get(key))
        if d:
            return d, "meta"
    if doc_text:
        head = doc_text[:400]
        for t in parse_times(head):
            if t["expr"] == "date" and t["date"]:
                return _dt.date.fromisoformat(t["date"]), "dateline"
    return None, None


# --------------------------------------------------------------------------- events and roles


def _events(v: _View, lex: EventLexicon) -> list[dict]:
    matches = resolve_overlaps(lex.matcher.find(v.text))
    # one word read both ways ("سيطرتها": her/its control, or she controlled it): with a
    # pronoun the noun reading is the common one in news, without it the verb
    matches.sort(key=lambda m: (m.start, m.end, (m.payload.pos == "verb") == bool(m.suffix)))
    out = []
    seen: set[tuple[int, int]] = set()
    for m in matches:
        if (m.start, m.end) in seen:
            continue  # "سيطرتها": the noun and the verb reading of one word
        trig0: Trigger = m.payload
        if trig0.unless_next:
            nxt = v.words_after(m.end, 1)
            if nxt and _bare(nxt[0][2]) in trig0.unless_next:
                continue  # "وصل عدد اللاجئين إلى": a number reached, nobody arrived
        seen.add((m.start, m.end))
        trig: Trigger = m.payload
        before = [_bare(w) for w in v.words_before(m.start, 4)]
        negated = False
        for k, w in enumerate(before):
            if w in lex.negators or (k == len(before) - 1 and v.attached_prefix(m.start) == "لا"):
                nxt = before[k + 1] if k + 1 < len(before) else ""
                if nxt in ("يزال", "تزال", "زال", "زالت", "يزالون", "سيما"):
                    continue
                negated = True
        modality = "asserted"
        ctx = v.words_before(m.start, 6)
        ctx_text = " ".join(ctx)
        for w in ctx:
            kind = lex.modality.get(_bare(w)) or lex.modality.get(w)
            if kind:
                modality = kind
        for phrase, kind in lex.modality_phrases:
            if phrase in ctx_text:
                modality = kind
        if "ل" in m.prefix and trig.pos != "phrase" and modality == "asserted":
            # "لتطويق", "لبسط": purpose — except "تخضع لسيطرة" (under the control of)
            if not (ctx and _bare(ctx[-1]) in ("تخضع", "يخضع", "خاضعه", "خضعت", "الخاضعه")):
                modality = "purpose"
        if "س" in m.prefix and trig.pos == "verb":
            modality = "future"
        if modality == "asserted":
            # "عملية تحرير الرقة ستبدأ": a future verb right after the event noun
            for a_, _, w in v.words_after(m.end, 6):
                if _CLAUSE_BREAK.search(v.text, m.end, a_):
                    break
                if _FUTURE_AFTER.match(w):
                    modality = "future"
                    break
        out.append({"type": trig.type, "trigger": {**v.span(m.start, m.end), "lemma": trig.lemma},
                    "negated": negated, "modality": modality, "weight": trig.weight,
                    "_view": (m.start, m.end), "_pos": trig.pos, "_subject": trig.subject,
                    "_needs_actor": trig.needs_actor,
                    "_suffix": m.suffix})
    return out


def _primary(events: list[dict]) -> dict | None:
    """The event a claim is about: asserted before hypothetical, specific before background,
    then the earliest."""
    if not events:
        return None
    return min(events, key=lambda ev: (ev["modality"] != "asserted", -ev["weight"], ev["_view"][0]))


# future verbs that follow an event noun ("عملية التحرير ستبدأ", "سيتم تحرير")
_FUTURE_AFTER = re.compile(r"^[وف]?س(?:ي|ت|ن)(?:بدا|نطلق|تم|كون|شهد|ستمر|ستكمل|قوم|تواصل|واصل)(?:ون|ان)?$")
# predicates after an event that call it false
_FALSITY = re.compile(r"(عاريه|عار) (تماما )?(عن|من) الصحه|لا اساس لها من الصحه|غير صحيح|لا صحه|كاذبه|مفبركه|ملفقه|شائعات")
_SUBJECT_OPENERS = {"ان", "بان", "لان", "و", "ف", "ثم", "حيث", "بعدما", "بينما", "فيما", "كما", "لكن", "اذ", "عندما", "قد", "لقد"}
_TRANSPARENT = {"شنه", "شنها", "شنته", "نفذه", "نفذها", "يشنه", "تشنه", "قامت", "قام", "به", "بها"}
_PREPS = {"في", "الي", "من", "عن", "حتي", "نحو", "داخل", "قرب", "بعد", "قبل", "عند", "خلال", "منذ"}


def _roles(v: _View, ev: dict, mentions: list[dict], lex: EventLexicon) -> None:
    """Give each actor mention a role relative to the primary event (in place)."""
    ts, te = ev["_view"]
    verb = ev["_pos"] == "verb"
    subject_is_target = ev["_subject"] == "target"
    casualties = ev["type"] in ("casualties", "displacement")

    def clause_break(a: int, b: int) -> bool:
        return bool(_CLAUSE_BREAK.search(v.text, a, b))

    before = [m for m in mentions if m["_v"][1] <= ts and not clause_break(m["_v"][1], ts)]
    after = [m for m in mentions if m["_v"][0] >= te]
    agent = target = None
    # before the trigger (SVO): the clause-initial actor, else the nearest one
    cands = []
    for m in before:
        prev = [_bare(w) for w in v.words_before(m["_v"][0], 1)]
        pre = v.attached_prefix(m["_v"][0])
        if (prev and prev[0] in lex.target_markers) or pre in ("عل",):
            m["role"] = "target"
            continue
        cands.append(m)
    if cands and not verb and ev["_suffix"] and ev["_pos"] == "noun":
        agent = cands[-1]  # "قوات سورية الديمقراطية سيطرتها": the possessor named before
        agent["role"] = "agent"
    elif cands and (verb or ev["_pos"] == "phrase"):
        clause_start = max([mm.end() for mm in _CLAUSE_BREAK.finditer(v.text, 0, ts)] or [0])
        lead = [m for m in cands if len(v.words_between(clause_start, m["_v"][0])) <= 2]
        if lead:
            agent = lead[0]
        else:
            # the nearest actor is a subject only after a complementiser or conjunction;
            # after a noun it is a genitive ("كسرت دفاعات تنظيم الدولة ودخلت": not the agent)
            near = cands[-1]
            prev = v.words_before(near["_v"][0], 1)
            agent = near if (not prev or _bare(prev[0]) in _SUBJECT_OPENERS or prev[0] in _SUBJECT_OPENERS) else None
        if agent is not None:
            agent["role"] = "agent"
            # co-agents: actors joined to the agent ("قوات النظام وميليشيات من الحشد الشعبي
            # وحزب الله سيطروا"); an actor after a noun is a genitive, not an agent
            for m in cands:
                if m is agent or m["_v"][0] < agent["_v"][0]:
                    continue
                prev = v.words_before(m["_v"][0], 1)
                pw = prev[0] if prev else ""
                if v.attached_prefix(m["_v"][0]) in ("و", "وال") or pw in ("و", "من", "مع", "ومعها", "ومعه") \
                        or (pw.startswith("و") and pw[1:] in ("ميليشيات", "مليشيات", "قوات", "عناصر", "مقاتلي")):
                    m["role"] = "agent"
    # after the trigger
    for m in after:
        gap = v.words_between(te, m["_v"][0])
        gap_bare = [_bare(w) for w in gap]
        pre = v.attached_prefix(m["_v"][0])
        if any(w in lex.target_markers for w in gap) or any(w in lex.target_markers for w in gap_bare[-1:]):
            m["role"] = "target" if not casualties else "victim"
            if target is None:
                target = m
            continue
        if any(w in lex.with_markers for w in gap_bare):
            m["role"] = "partner"
            continue
        if casualties and len(gap) <= 5:
            m["role"] = "victim"
            if target is None:
                target = m
            continue
        short = len([w for w in gap if w not in _TRANSPARENT]) <= 1 and not any(w in _PREPS for w in gap)
        if short and pre in ("", "و", "ل") and not clause_break(te, m["_v"][0]):
            if agent is None and (not verb or not before or pre == "ل") and not (verb and pre == "ل" and ev["type"] != "attack"):
                agent = m
                m["role"] = "agent"
            elif verb and target is None and pre == "":
                target = m
                m["role"] = "target"
            else:
                m.setdefault("role", "other")
            continue
        m.setdefault("role", "other")
    if subject_is_target:
        # "صدّ التنظيم هجوما لقوات النظام": the subject is attacked; the attacker follows with ل
        attacker = next((m for m in after if v.attached_prefix(m["_v"][0]) == "ل"), None)
        if agent is not None:
            agent["role"] = "target"
        target, agent = agent, attacker
        if attacker is not None:
            attacker["role"] = "agent"
    for m in mentions:
        m.setdefault("role", "other")
    ev["_agent"], ev["_target"] = agent, target


_COORDINATION = re.compile(r"^\s*(?:و|،|,)?\s*$")
_COARSE_PLACES = ("country", "governorate", "region", "water")


def _presence(v: _View, mentions: list[dict], places: list[dict], lex: EventLexicon) -> list[dict]:
    """Presuppositions of control: "قوات النظام والميليشيات المتواجدة في البوكمال".

    The participle must follow the actor (or actors joined by و) directly and be followed
    by في and the place (a generic place noun such as مدينة may come between); a word of
    `presence_not_inside` there ("في محيط البوكمال") means near, not in. Countries and
    provinces are too coarse to be held by one presence.
    """
    out = []
    for k, (s, e, w) in enumerate(v.words):
        if w not in lex.presence and _bare(w) not in lex.presence:
            continue
        actors = [m for m in mentions if m["_v"][1] <= s and not v.text[m["_v"][1]:s].strip()]
        if not actors:
            continue
        chain = [actors[-1]]
        for m in reversed([m for m in mentions if m["_v"][1] <= chain[0]["_v"][0]]):
            if not _COORDINATION.match(v.text[m["_v"][1]:chain[0]["_v"][0]]):
                break
            chain.insert(0, m)
        nxt = v.words[k + 1:k + 3]
        if not nxt or nxt[0][2] != "في":
            continue
        at = nxt[0][1]
        if len(nxt) > 1 and (nxt[1][2] in lex.presence_place_nouns or _bare(nxt[1][2]) in lex.presence_place_nouns):
            at = nxt[1][1]
        place = next((p for p in places if p["_v"][0] >= at and not v.text[at:p["_v"][0]].strip()), None)
        if place is None or not place.get("id") or place.get("subtype") in _COARSE_PLACES:
            continue
        if any(_bare(x) in lex.presence_not_inside for x in v.words_between(nxt[0][1], place["_v"][0])):
            continue
        out.append({"type": "control", "basis": "presence", "trigger": v.span(s, e),
                    "agent": {**_mention_out(chain[0]), "role": "agent"},
                    "actors": [{**_mention_out(m), "role": "agent"} for m in chain],
                    "place": _mention_out(place)})
    return out


def _mention_out(m: dict | None) -> dict | None:
    if m is None:
        return None
    out = {"text": m["text"], "start": m["start"], "end": m["end"], "id": m.get("id")}
    if m.get("anaphor"):
        out["anaphor"] = m["anaphor"]
    if m.get("subtype"):
        out["subtype"] = m["subtype"]
    if m.get("side"):
        out["side"] = m["side"]
    if m.get("role"):
        out["role"] = m["role"]
    return out


@lru_cache(maxsize=1)
def _gazetteer_matcher() -> PhraseMatcher | None:
    from .ledger import gazetteer_index

    entries = gazetteer_index()
    if not entries:
        return None
    m = PhraseMatcher(prefixes=NOUN_PREFIXES)
    for eid, ent in sorted(entries.items()):
        for name in [ent.get("name"), *(ent.get("aliases") or ())]:
            if isinstance(name, str) and len(fold(name)) >= 2:
                m.add(fold(name), (eid, ent.get("type"), ent.get("subtype"), ent.get("name")))
    m.build()
    return m


@lru_cache(maxsize=1)
def _side_matcher() -> PhraseMatcher | None:
    """Actor names per side (events.yaml): generic descriptions ("وحدات الجيش", "قوات الأسد")
    the gazetteer may not list; the gazetteer's own, longer or equal, names win."""
    data = yaml.safe_load(resources.files("claimx.lexicons").joinpath("events.yaml").read_text("utf-8")) or {}
    m = PhraseMatcher(prefixes=NOUN_PREFIXES)
    for side, spec in sorted((data.get("sides") or {}).items()):
        for name in spec.get("names") or []:
            m.add(fold(name), side)
    m.build()
    return m


def tag_entities(raw: str, base: int = 0, gazetteer: bool = True) -> list[dict]:
    """Gazetteer mentions in a raw text, for records the tagger has not filled.

    The same clitic-aware matching as everywhere; overlaps keep the longest.
    """
    m = _gazetteer_matcher() if gazetteer else None
    sm = _side_matcher()
    v = _View(raw, base)
    found = []
    if m is not None:
        found += [(x, "gaz") for x in m.find(v.text)]
    if sm is not None:
        found += [(x, "side") for x in sm.find(v.text)]
    kinds = {id(x): k for x, k in found}
    out = []
    # one overlap decision over both lists: "قوات سورية الديمقراطية" beats "سورية"
    # on equal spans the gazetteer comes first (it has an id)
    found.sort(key=lambda xk: xk[1] != "gaz")
    seen_spans: set[tuple[int, int]] = set()
    for x in resolve_overlaps([x for x, _ in found]):
        if (x.start, x.end) in seen_spans:
            continue
        seen_spans.add((x.start, x.end))
        sp = v.span(x.start, x.end)
        if kinds[id(x)] == "gaz":
            eid, etype, sub, name = x.payload
            out.append({**sp, "id": eid, "type": etype, "subtype": sub, "name": name, "tagger": "frames-fallback"})
        else:
            out.append({**sp, "id": None, "type": "actor", "subtype": None, "side": x.payload, "tagger": "frames-sides"})
    out.sort(key=lambda x: x["start"])
    seen = set()
    uniq = []
    for ent in out:  # one entity per span (same span, several payloads: keep the first id)
        if (ent["start"], ent["end"]) not in seen:
            seen.add((ent["start"], ent["end"]))
            uniq.append(ent)
    return uniq


def _region(record: dict, key: str, doc_text: str | None) -> tuple[str, int] | None:
    span = record.get(key)
    if not isinstance(span, dict) or "start" not in span:
        return None
    s, e = span["start"], span["end"]
    if doc_text is not None and 0 <= s <= e <= len(doc_text):
        return doc_text[s:e], s
    text = span.get("text")
    if isinstance(text, str) and len(text) == e - s:
        return text, s
    return None


def frame(record: dict, doc_text: str | None = None, lexicon: EventLexicon | None = None,
          tagger_fallback: bool = True) -> dict:
    """Add `frame` to a claim record (returned, and set on the record).

    Works from the record alone (content and sentence carry their text); with
    `doc_text` the article's dateline can give the reference date.
    """
    lex = lexicon or load_event_lexicon()
    region = _region(record, "content", doc_text)
    result: dict[str, Any] = {"event": None, "events": [], "agent": None, "target": None,
                              "actors": [], "place": None, "time": None, "numbers": []}
    ref, ref_source = article_date(record.get("doc"), doc_text)
    if ref:
        result["ref_date"] = {"date": ref.isoformat(), "source": ref_source}
    if region is None:
        record["frame"] = result
        return result
    raw, base = region
    v = _View(raw, base)
    entities = [e for e in record.get("entities") or [] if isinstance(e, dict) and "start" in e]
    if not entities and tagger_fallback:
        # the gazetteer tagger has not run: tag the content and the source ourselves
        entities = tag_entities(raw, base)
        src = _region(record, "source", doc_text)
        if src is not None:
            entities += tag_entities(*src)
    elif tagger_fallback:
        # generic descriptions the gazetteer does not list ("وحدات الجيش"), where no entity is
        taken = [(e["start"], e["end"]) for e in entities]
        entities = entities + [x for x in tag_entities(raw, base, gazetteer=False)
                               if not any(x["start"] < b and a < x["end"] for a, b in taken)]
    mentions: list[dict] = []
    places: list[dict] = []
    for ent in entities:
        vs = v.from_raw(ent["start"], ent["end"])
        if vs is None:
            continue
        item = {"text": ent.get("text", raw[ent["start"] - base:ent["end"] - base]), "start": ent["start"],
                "end": ent["end"], "id": ent.get("id"), "subtype": ent.get("subtype"), "_v": vs}
        if ent.get("side"):
            item["side"] = ent["side"]
        if ent.get("type") == "place":
            places.append(item)
        elif ent.get("type") in ("actor", None):
            mentions.append(item)
    # anaphoric actors ("التنظيم") not covered by an entity
    for s, e, w in v.words:
        bw = _bare(w)
        kind = lex.actor_anaphora.get(w) or lex.actor_anaphora.get(bw)
        if kind and not any(m["_v"][0] <= s < m["_v"][1] or s <= m["_v"][0] < e for m in mentions):
            off = len(w) - len(bw) if bw != w and kind else 0
            sp = v.span(s + off, e)
            mentions.append({**sp, "id": None, "anaphor": kind, "_v": (s + off, e)})
    mentions.sort(key=lambda m: m["_v"])
    places.sort(key=lambda m: m["_v"])

    events = _events(v, lex)
    # a trigger inside a name is not an event ("هيئة تحرير الشام", "جيش الفتح")
    named = [m["_v"] for m in mentions if m.get("id") or m.get("side")] + [p["_v"] for p in places]
    events = [e for e in events if not any(a <= e["_view"][0] and e["_view"][1] <= b for a, b in named)]
    # "خرجت تظاهرة", "دخول اللاجئين": these verbs are events only when an armed actor is named
    armed = any((m.get("id") or "").startswith("actor/") or m.get("side") or m.get("anaphor") for m in mentions) \
        or any(w in lex.armed_nouns or _bare(w) in lex.armed_nouns for _, _, w in v.words)
    events = [e for e in events if not e["_needs_actor"] or armed]
    ev = _primary(events)
    if ev is not None and not ev["negated"]:
        # "جميع الأنباء التي تفيد بدخول قوات النظام ... عارية عن الصحة": the content itself
        # calls the event false
        tail = v.text[ev["_view"][1]:]
        if _FALSITY.search(tail):
            ev["negated"] = True
    if ev is not None:
        _roles(v, ev, mentions, lex)
        agent, target = ev["_agent"], ev["_target"]
        # a pronoun on the trigger ("سيطرتها", "سيطرته") or a bare verb points back to the speaker
        announce = (record.get("cue") or {}).get("type") in ("announce",)
        if agent is None and (ev["_suffix"] or ev["_pos"] == "verb" or announce) and not ev["_subject"] == "target":
            src = record.get("source") or {}
            src_ent = next((x for x in entities if x.get("type") == "actor"
                            and src.get("start", -1) <= x["start"] < src.get("end", -1)), None)
            if src_ent is not None:
                agent = {"text": src_ent["text"], "start": src_ent["start"], "end": src_ent["end"],
                         "id": src_ent.get("id"), "subtype": src_ent.get("subtype"), "role": "agent",
                         "from_source": True, "side": src_ent.get("side")}
        result["agent"] = _mention_out(agent)
        if agent is not None and agent.get("from_source"):
            result["agent"]["from_source"] = True
        result["target"] = _mention_out(target)
        ts, te = ev["_view"]
        coarse = ("country", "governorate", "region", "water")
        fine = [p for p in places if p.get("subtype") not in coarse]
        ana = [{**v.span(m.start, m.end), "id": None, "anaphor": m.phrase, "_v": (m.start, m.end)}
               for m in lex.place_anaphora.find(v.text)]
        # the earliest place named (or pointed back to) after the trigger, precise before coarse
        def near(p: dict) -> bool:
            # in the trigger's clause, or a few words on ("سيطرت، أمس، على البوكمال")
            return not _CLAUSE_BREAK.search(v.text, te, p["_v"][0]) or len(v.words_between(te, p["_v"][0])) <= 4

        after = sorted([p for p in fine + ana if p["_v"][0] >= te and near(p)], key=lambda p: p["_v"])
        place = after[0] if after else None
        if place is None:
            rest = [p for p in places if p["_v"][0] >= te and near(p)] or [p for p in fine if p["_v"][1] <= ts][-1:] \
                or [p for p in places if p["_v"][1] <= ts][-1:] or [a for a in ana if near(a)]
            place = rest[0] if rest else None
        if place is not None and place.get("anaphor"):
            # "… البوكمال … من المدينة": the city named earlier in the same content
            named = [p for p in fine if p["_v"][1] <= place["_v"][0]]
            if named:
                place = {**named[-1], "anaphor_text": place["text"]}
        before = v.words_before(ts, 1)
        if before and _bare(before[0]) in ("هذه", "هذا", "تلك", "ذلك"):
            ev["anaphoric"] = True  # "هذه السيطرة": the event named before
        result["place"] = _mention_out(place) if place else None
    else:
        result["place"] = _mention_out(places[0]) if places else None
    result["actors"] = [_mention_out(m) for m in mentions]
    implied = _presence(v, mentions, places, lex)
    if implied:
        result["implies"] = implied
    result["events"] = [{k: val for k, val in e.items() if not k.startswith("_")} for e in events]
    if ev is not None:
        result["event"] = {k: val for k, val in ev.items() if not k.startswith("_")}
    # numbers, with the actor they count when one follows ("31 من عناصر قوات النظام")
    nums = _numbers(v)
    for num in nums:
        nv = v.from_raw(num["start"], num["end"])
        if nv and num["kind"] not in ("distance", "duration", "percent"):
            nxt = next((m for m in mentions if 0 <= m["_v"][0] - nv[1] <= 30
                        and not _CLAUSE_BREAK.search(v.text, nv[1], m["_v"][0])), None)
            if nxt is not None:
                num["actor"] = nxt.get("id") or nxt.get("anaphor")
    result["numbers"] = nums
    # time: in the content, else in the rest of the sentence (the time of the statement)
    times = _times(v, ref)
    if times:
        result["time"] = {**times[0], "scope": "content"}
    else:
        sent = _region(record, "sentence", doc_text)
        if sent is not None:
            sv = _View(*sent)
            st = [t for t in _times(sv, ref) if t["end"] <= base or t["start"] >= base + len(raw)]
            if st:
                result["time"] = {**st[0], "scope": "statement"}
    record["frame"] = result
    return result


__all__ = ["EVENT_TYPES", "EventLexicon", "article_date", "frame", "load_event_lexicon",
           "parse_event_lexicon", "parse_numbers", "parse_times"]
