"""Unknown armed units and tribes after a unit word: "لواء X", "كتائب X", "ميليشيا X", "عشيرة X",
and numbered or ordinal units ("اللواء 105", "الفرقة 17", "الفرقة التاسعة").

The actor counterpart of the place words ("قرية X"): a name the gazetteer does not know is
kept as an `actor` mention with `id: null` and its trigger word, because dropping an unknown
brigade loses the record. Only what reads as a name is taken, so that the many other uses of
the words are left alone (the word lists below were read off Fold 1-4 Baly articles):

- the name after the word is in quotes (كتائب " البتار "), or is a definite word that is not a
  common adjective or noun (لواء الأقصى، عشيرة الشعيطات; not "كتائب المعارضة", "فصائل أخرى"),
  or a name head with its next word (لواء أبو بكر، كتيبة أسود الشهباء); after a tribe word
  (قبيلة، قبائل، عشيرة) any word that is not one of those, since tribes' names often lack ال
  (قبيلة شمر، قبائل قحطان);
- "لواء" is also "banner" (رفعوا لواء الحرية، تحت لواء …) and, with the article, the rank
  "major general" (للواء = لـ + اللواء): those readings are skipped;
- "كتيبة" + a branch of arms (كتيبة الدفاع الجوي، كتيبة الرادار) names a base as often as a
  unit, and is skipped;
- numbered units need the article and a number or an ordinal right after: "اللواء" + a
  person's name is the rank.

All word lists are folded like the normalised view (ة→ه, ى→ي, أإآ→ا).
"""
from __future__ import annotations

import re

from .normalize import fold

_UNIT_WORDS = frozenset(fold(w) for w in (
    "لواء ألوية كتائب كتيبة سرايا فيلق ميليشيا مليشيا ميليشيات مليشيات قبيلة قبائل عشيرة"
).split())
# first words of two-word names: لواء أبو الفضل، كتائب شهداء اليرموك، كتيبة أسود الشهباء
_TRIBE_WORDS = frozenset(fold(w) for w in "قبيلة قبائل عشيرة".split())  # tribes' names often lack ال: قبيلة شمر
_NAME_HEADS = frozenset(fold(w) for w in (
    "أبو ابو أبي ابي أحرار شهداء ثوار أسود صقور أنصار جند فرسان حماة درع سيف أمجاد أجناد ابن بني آل "
    "الشهيد الإمام"
).split())
# words after a unit word that are not a name
_NOT_NAMES = frozenset(fold(w) for w in (
    "في من على إلى الى عن مع بعد قبل خلال منذ حتى عند بين ضد لدى تابع تابعة تابعين تابعة "
    "صغيرة صغير كبيرة كبير واحدة واحد أخرى اخرى آخر جديدة جديد عسكرية عسكري مقاتلة مسلحة مسلح "
    "متعددة عدة كاملة ركن متقاعد شرف مجهز مدرعة مشاة عربية كردية شيعية سنية إيرانية أفغانية "
    "طائفية إرهابية موالية تابعة كل بعض هذه هذا تلك ذلك التي الذي الذين "
    "الأخرى الاخرى المقاتلة المسلحة التابعة المتبقية المعارضة الموالية المدعومة المتحالفة "
    "المنضوية المشاركة الإسلامية العسكرية الجديدة الصغيرة الكبيرة المختلفة المحلية الأجنبية "
    "الشيعية السنية العراقية السورية الإيرانية الأفغانية الباكستانية اللبنانية الطائفية الكردية "
    "العربية الإرهابية الجهادية المتطرفة المتشددة الريف الأرياف الثوار الجيش المعروف المعروفة "
    "المسماة المقربة القريبة المرتبطة العاملة المنتشرة الرئيسية الأولى الثانية الثالثة "
    # the tribe of "the offender" / "the victim" (customary law), not a tribe's name
    "الجاني المجني مختلفة عديدة كثيرة برمتها بأكملها بدوية سورية عراقية المقتول "
    # read off a sample of 50 tagged Fold 1-4 mentions: "فيلق التابع"، "عشيرة معروفة"، "لواء النضال" (banner)
    "التابع معروفة معروف الكبرى الكبير النضال"
).split())
# branches of arms: "كتيبة الدفاع الجوي" is as often the base as the unit
_BRANCHES = frozenset(fold(w) for w in (
    "الدفاع المدفعية الصواريخ الرادار الاستطلاع الإشارة الاشارة الدبابات المشاة الهندسة "
    "الإلكترون الالكترون المدرعات الإمداد الامداد النقل الحراسة الإشارات الكيمياء الهاون"
).split())
# words before "لواء" that make it a banner or a rank
_NOT_AFTER = frozenset(fold(w) for w in (
    "تحت برتبة رتبة رفع رفعوا رفعت يرفع ترفع يرفعون رافعا حمل حملوا يحمل حاملا نشر ينشر ونشر"
).split())
_NUMBERED = frozenset(fold(w) for w in "اللواء الفرقة الفوج الفيلق الكتيبة".split())
_ORDINALS = frozenset(fold(w) for w in (
    "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر الحادي "
    "الأولى الثانية الثالثة الرابعة الخامسة السادسة السابعة الثامنة التاسعة العاشرة الحادية"
).split())
_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "ك")
# the trigger words, longest first; found with str.find (the words' first letters, ا ل ك ف,
# are the commonest of the script, so a regex scan would stop at nearly every position)
_CORES = tuple(sorted(_UNIT_WORDS | _NUMBERED, key=len, reverse=True))
_CLITICS = frozenset("وفبلك")
_NEXT = re.compile(r'( ?"? ?)([^\W\d_]+|\d+)')
_PREV = re.compile(r"([^\W\d_]+)[ \"'(]*$")


def _is_letter(c: str) -> bool:
    return c.isalpha()


def _triggers(view: str, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """(start, end, clitics, word) of each trigger word standing as a whole token in
    view[lo:hi], with at most two proclitic letters, in text order."""
    found = {}
    for core in _CORES:
        n = len(core)
        p = view.find(core, lo, hi)
        while p != -1:
            e = p + n
            if e >= hi or not _is_letter(view[e]):
                s = p
                while s > lo and p - s < 2 and view[s - 1] in _CLITICS:
                    s -= 1
                if s == lo or not _is_letter(view[s - 1]):
                    found.setdefault((s, e), (view[s:p], core))
                # else: inside a longer word ("اللواء" holds "لواء"; ال is not a clitic)
            p = view.find(core, e, hi)
    return [(s, e, pr, w) for (s, e), (pr, w) in sorted(found.items())]


def find(view: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, int, int]]:
    """(trigger start, trigger end, name start, name end) of the unknown-unit candidates in
    view[lo:hi] (the normalised view). The caller keeps those whose name no other mention covers."""
    hi = len(view) if hi is None else hi
    out = []
    for s, e, prefix, word in _triggers(view, lo, hi):
        nx = _NEXT.match(view, e, hi)
        if nx is None:
            continue
        between, nxt = nx.group(1), nx.group(2)
        ns, ne = nx.span(2)
        after = _NEXT.match(view, ne, hi)  # the word after the next one, if any
        if word in _NUMBERED:
            # "اللواء 105", "الفرقة 17", "الفرقة التاسعة" (but "اللواء" + a name is the rank)
            if prefix in ("", "و", "ف", "ب") and between == " " and (nxt.isdigit() or nxt in _ORDINALS):
                end = ne
                if after is not None and after.group(1) == " " and (
                        nxt in ("الحادي", "الحادية") or nxt in _ORDINALS and after.group(2) in ("عشر", "عشره")):
                    end = after.end(2)
                out.append((s, e, s + len(prefix), end))
            continue
        if prefix not in _PREFIXES:
            continue
        prev = _PREV.search(view, max(lo, s - 40), s)
        if prev is not None and prev.group(1) in _NOT_AFTER:
            continue
        if between.strip(' "') or between.count('"') > 1 or nxt in _NOT_NAMES or nxt.isdigit():
            continue
        if '"' in between:  # quoted: up to the closing quote, four words at most
            q = view.find('"', ns, min(hi, ns + 60))
            if q < 0 or "\n" in view[ns:q] or len(view[ns:q].split()) > 4:
                continue
            end = q
            while end > ns and view[end - 1] == " ":
                end -= 1
            out.append((s, e, ns, end))
            continue
        if nxt in _NAME_HEADS:
            if after is not None and after.group(1) == " " and after.group(2) not in _NOT_NAMES \
                    and not after.group(2).isdigit():
                out.append((s, e, ns, after.end(2)))
            continue
        if nxt.startswith("ال") and len(nxt) > 4 or word in _TRIBE_WORDS and len(nxt) >= 3 and nxt[0] != "و":
            if word == "كتيبه" and nxt in _BRANCHES:
                continue
            out.append((s, e, ns, ne))
    return out
