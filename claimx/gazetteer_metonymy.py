"""Countries and capitals that act: "وأعلنت روسيا", "قالت أنقرة إن", "موسكو تتهم …".

War news names a state by its country or its capital when the state speaks or acts. A
resolved mention of a country (subtype `country`) or of a national capital (`CAPITALS`)
keeps its place id and type and names that state's government entry in `acts_as`
(`actor/<code>/government`, made by the compositional layer) when it is the SUBJECT of a verb with feminine singular agreement:

- right after the verb ("وأعلنت روسيا", "فيما نفت طهران", "تتهم أنقرة"), the verb being a
  whole word with at most و/ف before it; or
- at a clause start (line start, after . ، ؛ : or a quote, or after و/ف alone) right before
  the verb ("موسكو تتهم …", "وتركيا أعلنت …");
- or joined by و to such a subject ("وأعلنت موسكو وطهران وأنقرة": all three; done by the
  tagger's `_metonyms`, which walks the mentions in order).

The verbs are the feminine singular forms of the cue lexicon's verbs (`cues.yaml`: a past
form that is a listed form + ت, a present form that is a listed يـ form with ت for ي; duals
excluded), plus `_ACTIONS`, a short list of verbs of action a state is the subject of.

Decisions (see gazetteer/README.md, *Countries and capitals as actors*):
- a field, not a new type: the gold files type a state that speaks as a place, and a place
  filter should keep it; an actor filter reads `acts_as`;
- only the subject: in "اتهمت دمشق واشنطن" واشنطن, the object, gets no `acts_as` (the object
  slot also holds places proper: "قصفت الطائرات دمشق");
- a country or capital with no government entry in the gazetteer gets none;
- the verb must open its clause: after a noun ("الطائرات التي قصفت دمشق", "قوات النظام
  قصفت حلب") the subject is that noun and the country is the object, so a verb with a word
  before it counts only when that word is one of `_OPENERS` (كما، فيما، وقد، بينما …);
- a country followed by "الديمقراطية" (سوريا الديمقراطية: the SDF's short name) is skipped.

All word lists are folded like the normalised view (ة→ه, ى→ي, أإآ→ا).
"""
from __future__ import annotations

import weakref
from functools import lru_cache

from .normalize import fold

# national capitals whose name stands for the state in the coverage (place id -> country code).
# Left out: القدس and صنعاء (who governs them is what the coverage disputes) and عمان (Amman
# folds to the name of Oman).
CAPITALS = {
    "place/sy/damascus": "sy", "place/iq/baghdad": "iq", "place/tr/ankara": "tr",
    "place/lb/beirut": "lb", "place/ir/tehran": "ir", "place/ru/moscow": "ru",
    "place/us/washington": "us", "place/fr/paris": "fr", "place/gb/london": "gb",
    "place/sa/riyadh": "sa", "place/qa/doha": "qa", "place/eg/cairo": "eg",
    "place/ae/abu-dhabi": "ae", "place/de/berlin": "de", "place/cn/beijing": "cn",
    "place/il/tel-aviv": "il",
}
# verbs of action whose subject is often a state, feminine singular (past, present)
_ACTIONS = (
    "شنت تشن قصفت تقصف هددت تهدد أرسلت ترسل رفضت ترفض دعت تدعو طالبت تطالب حذرت تحذر "
    "أدانت تدين استهدفت تستهدف طلبت تطلب قررت تقرر سحبت تسحب فرضت تفرض منعت تمنع "
    "استدعت تستدعي طردت تطرد دعمت تدعم هاجمت تهاجم وافقت توافق اقترحت تقترح بدأت تبدأ "
    "واصلت تواصل عرضت تعرض سلمت تسلم أغلقت تغلق نشرت تنشر أبلغت تبلغ اتهمت تتهم نفت تنفي "
    "أعلنت تعلن قالت تقول أكدت تؤكد حملت تحمل أرادت تريد تسعى سعت ردت ترد نددت تندد "
    "استنكرت تستنكر أعربت تعرب عبرت تعبر تعتزم اعتزمت ترى رأت تعتبر اعتبرت"
)
# words before a sentence-initial verb that keep it at its clause start
_OPENERS = frozenset(fold(w) for w in (
    "كما فيما بينما حيث وقد فقد قد لقد ولقد ثم وكانت كانت بعدما عندما حين حينما إذ اذ وإذ "
    "واليوم اليوم أمس وأمس أيضا بدورها وبدورها فيما وفيما كذلك وكذلك سابقا وسابقا"
).split())
_BOUNDARY = set('.،؛:!؟?"\n«»()')
_PREFIXES = ("", "و", "ف")
_SDF = fold("الديمقراطية")


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """The folded feminine singular verb forms (without و/ف)."""
    from .lexicon import _read, parse_cues  # the packaged cues.yaml only

    name, text = _read("cues.yaml", None)
    out = {fold(w) for w in _ACTIONS.split()}
    for cue in parse_cues(name, text):
        if cue.pos != "verb":
            continue
        forms = {fold(f) for f in cue.forms if " " not in f}
        for f in forms:
            if f.endswith("ت") and f[:-1] in forms:  # past: قال → قالت
                out.add(f)
            elif f.startswith("ت") and "ي" + f[1:] in forms and not (
                    f.endswith("ان") and f[:-2] in forms):  # present: يقول → تقول (not تقولان)
                out.add(f)
    return frozenset(out)


@lru_cache(maxsize=1)
def _verbs_with_prefix() -> frozenset[str]:
    """`verbs()` with و or ف before them too."""
    vs = verbs()
    return frozenset(p + v for v in vs for p in _PREFIXES)


_TARGETS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def targets(gaz) -> dict[int, int]:
    """Entry index of a country or listed capital -> its government entry's index, for the
    states the gazetteer has a government of (computed once per gazetteer)."""
    got = _TARGETS.get(gaz)
    if got is None:
        got = {}
        for i, e in enumerate(gaz.entries):
            if e.type != "place":
                continue
            code = (e.country or "").lower() if e.subtype == "country" else CAPITALS.get(e.id)
            gov = gaz.by_id.get(f"actor/{code}/government") if code else None
            if gov is not None:
                got[i] = gov
        _TARGETS[gaz] = got
    return got


def _word_before(view: str, pos: int) -> tuple[int, int] | None:
    """The word (letters) ending right before pos with one space between; None at a
    boundary (line start, punctuation)."""
    i = pos
    if i > 0 and view[i - 1] == " ":
        i -= 1
    if i == 0 or not view[i - 1].isalpha():
        return None
    e = i
    while i > 0 and view[i - 1].isalpha():
        i -= 1
    return i, e


def _at_clause_start(view: str, pos: int) -> bool:
    """Nothing but spaces between pos and a line start or a boundary mark, or only و/ف."""
    i = pos
    while i > 0 and view[i - 1] == " ":
        i -= 1
    return i == 0 or view[i - 1] in _BOUNDARY


def is_subject(view: str, ws: int, s: int, e: int) -> bool:
    """Whether the name at view[s:e] (its word starting at ws, clitics included) is the
    subject of a feminine singular verb of speech or action (see the module docstring)."""
    vs = verbs()
    nxt = ""
    if view[e:e + 1] == " ":
        j = e + 1
        while j < len(view) and view[j].isalpha():
            j += 1
        nxt = view[e + 1:j]
    if nxt == _SDF:
        return False
    clitic = view[ws:s]
    # verb, then the name: "وأعلنت روسيا"
    if not clitic:
        prev = _word_before(view, ws)
        if prev is not None and view[prev[1]:ws] == " " and view[prev[0]:prev[1]] in _verbs_with_prefix():
            b = prev[0]
            if _at_clause_start(view, b):
                return True
            w2 = _word_before(view, b)
            if w2 is not None and view[w2[0]:w2[1]] in _OPENERS:
                return True
            # "وأعلنت", "فقالت": the conjunction opens a clause
            if view[b] in "وف" and view[b + 1:prev[1]] in vs:
                return True
            return False
    # the name at a clause start, then the verb: "موسكو تتهم", "وتركيا أعلنت"
    if clitic in ("", "و", "ف") and nxt and _at_clause_start(view, ws):
        return nxt in vs
    return False
