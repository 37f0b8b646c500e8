"""Bare anaphoric heads read as the actor the document has named: "التنظيم" after "تنظيم
الدولة", "النظام" after "نظام الأسد", "الجيش" after "الجيش التركي", "الحركة" after "حركة أحرار
الشام", "الهيئة", "الجبهة", "الوحدات", "الحشد".

An article names an actor once and then refers back to it with the head noun of its name
("وأعلن التنظيم مسؤوليته"). A head becomes a mention of the entity it refers back to only
when the document's earlier decided mentions (any of them, for a head in the headline: the
first line) name exactly one candidate entity of its kind: an entity with a name or alias
that starts with the head, with or without ال ("تنظيم الدولة" for التنظيم, "الجيش السوري" for
الجيش). With two candidates (ISIS and al-Qaeda) nothing is guessed. For الجيش the rebel
"armies" (الجيش الحر, الجيش الوطني) count as candidates but are never the result: a bare
"الجيش" in an opposition outlet is as often the regime's army.

A head already covered by a kept mention ("قوات النظام", the weak aliases النظام / الوحدات
/ الحشد that the document supports) is left to it. The head's other readings were read off
Fold 1-4 Baly articles (BENCHMARKS.md, Gazetteer): a definite word after it is an adjective
or a genitive that makes another noun phrase ("النظام الدولي", "الجبهة الشمالية", "الحركة
الاحتجاجية"), except the few that keep the reference ("التنظيم الإرهابي"); some words before
it make it a common noun ("على الجبهة", "إعادة التنظيم"). All lists are folded like the
normalised view (ة→ه, ى→ي, أإآ→ا).
"""
from __future__ import annotations

import re
import weakref

from .match import NOUN_PREFIXES
from .normalize import fold

# head (folded, without ال) -> the folded beginnings of the names of its candidates
HEADS = {fold(h): tuple(fold(p) + " " for p in ps) for h, ps in {
    "تنظيم": ("تنظيم", "التنظيم"),
    "نظام": ("نظام", "النظام"),
    "جيش": ("الجيش",),
    "حركة": ("حركة", "الحركة"),
    "هيئة": ("هيئة", "الهيئة"),
    "جبهة": ("جبهة", "الجبهة"),
    "وحدات": ("وحدات", "الوحدات"),
    "حشد": ("الحشد", "حشد"),
}.items()}
# heads whose antecedent must be named with the head word itself ("الجيش التركي", "حركة أحرار
# الشام", "قوات النظام"; not "نظام الأسد" for الجيش, "أحرار الشام" for الحركة, "البيت الأبيض"
# for النظام): their common-noun readings (the army of a state the gazetteer's mention does not
# name, traffic, "the system", a body) are frequent, and an article that names the group by
# another word seldom refers back with the head. Only التنظيم follows "داعش" alone.
_SAME_WORD = frozenset(fold(h) for h in "نظام جيش حركة هيئة جبهة وحدات حشد".split())
MAX_DISTANCE = 3000  # characters of the view between the head and its antecedent
# candidates of these subtypes block a reading but are never its result
_BLOCK_ONLY = {fold("جيش"): frozenset({"rebel", "militia", "jihadist"})}
# definite words after a head that keep the reference ("التنظيم الإرهابي"; relative pronouns,
# إلى and الآن, which fold to words starting with ال); any other definite word after it is an
# adjective or a genitive that opens another noun phrase ("النظام الدولي")
_KEEP_AFTER = frozenset(fold(w) for w in (
    "الإرهابي الارهابي المتطرف المتشدد الجهادي المسلح الإرهابية الارهابية المتطرفة المتشددة "
    "الجهادية المسلحة الذي التي الذين اللذين اللتين إلى الى إلا الا الآن الان"
).split())
# words before a head that make it a common noun, by head: "إعادة التنظيم" (reorganising),
# "على الجبهة" / "خطوط الجبهة" (the front), "حرية الحركة" (movement). Not for النظام: "إسقاط
# النظام", "رأس النظام", "على النظام" name the regime.
_NOT_AFTER = {fold(h): frozenset(fold(w) for w in ws.split()) for h, ws in {
    "تنظيم": "إعادة اعادة حسن سوء",
    "جبهة": "على علي خط خطوط جبهات",
    "حركة": "حرية",
}.items()}
# the matcher's noun proclitics: those ending in ل merge with the article ("للتنظيم")
_LAM = frozenset(p for p in NOUN_PREFIXES if p.endswith("ل"))
_PROCLITICS = NOUN_PREFIXES - _LAM
HEADLINE_MAX = 200  # a first line this short (ending in a line break) is the headline
_WORD_AFTER = re.compile(r" ([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+) $")

_KINDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def kinds(gaz) -> dict[int, frozenset[str]]:
    """entry index -> the heads it is a candidate of (computed once per gazetteer)."""
    got = _KINDS.get(gaz)
    if got is None:
        acc: dict[int, set[str]] = {}
        for form, fs in gaz.forms.items():
            for head, starts in HEADS.items():
                if form.startswith(starts):
                    for f in fs:
                        if f.strong and f.kind == "exact":
                            acc.setdefault(f.entry, set()).add(head)
        got = _KINDS[gaz] = {i: frozenset(hs) for i, hs in acc.items()}
    return got


def heads(view: str, lo: int, hi: int, wanted) -> list[tuple[int, int, str]]:
    """(start, end, head) of each wanted head standing as a definite word (its clitics
    excluded from the span) in view[lo:hi], read as an actor by the word tests above."""
    out = []
    for head in wanted:
        n = len(head)
        p = view.find(head, lo, hi)
        while p != -1:
            e = p + n
            if e < hi and view[e].isalpha():
                p = view.find(head, e, hi)
                continue
            s = p - 1
            while s >= lo and view[s].isalpha():
                s -= 1
            word_start = s + 1
            before = view[word_start:p]
            if before.endswith("ال") and before[:-2] in _PROCLITICS:
                start = p - 2
            elif before.endswith("ل") and before[:-1] in _LAM:
                start = p - 1  # "للتنظيم" (ل + التنظيم): "لتنظيم", as the matcher spans "للبوكمال"
            else:
                p = view.find(head, e, hi)
                continue
            nxt = _WORD_AFTER.match(view, e, hi)
            if nxt is not None:
                w = nxt.group(1)
                if w.startswith("ال") and w not in _KEEP_AFTER or w.startswith("وال") and head == fold("تنظيم"):
                    p = view.find(head, e, hi)
                    continue
            prev = _WORD_BEFORE.search(view, max(lo, word_start - 30), word_start)
            if prev is not None and prev.group(1) in _NOT_AFTER.get(head, ()):
                p = view.find(head, e, hi)
                continue
            out.append((start, e, head))
            p = view.find(head, e, hi)
    out.sort()
    return out


def resolve(heads_found, antecedents, headline_end: int, gaz, view: str):
    """For each (start, end, head): the (entry, antecedent start, antecedent end) it refers
    back to, or None. `antecedents`: (start, end, entry) of the document's decided mentions
    in text order."""
    kind = kinds(gaz)
    out = []
    for s, e, head in heads_found:
        seen: dict[int, tuple[int, int]] = {}  # candidate -> its nearest mention before (or any)
        same = head in _SAME_WORD
        for a, b, i in antecedents:
            if a >= s and s >= headline_end:
                break
            if head in kind.get(i, ()) and (not same or head in view[a:b]):
                if i not in seen or a < s:
                    seen[i] = (a, b)
        if len(seen) != 1:
            out.append(None)
            continue
        (i, (a, b)), = seen.items()
        if abs(s - a) > MAX_DISTANCE or gaz.entries[i].subtype in _BLOCK_ONLY.get(head, ()):
            out.append(None)
            continue
        out.append((i, a, b))
    return out
