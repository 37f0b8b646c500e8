"""The gazetteer stage: tag places, armed actors and news sources.

    doc → find (exact, article variants, fuzzy, trigger words) → resolve → mentions

`load_gazetteer(paths)` loads the default gazetteer plus extension files
(through `claimx.gazetteer_data.load_entries`, which validates them) and
compiles a clitic-aware matcher over every surface form. `Gazetteer.tag(doc)`
returns the mentions of a document; `Gazetteer.attach(doc, records)` fills the
`entities` of claim records and `source.entity`.

How a mention is found (its `match` field):

- ``exact``   a name or alias, on the normalised view, with proclitics
              (و ف ب ل ك, لل = ل + ال): "وبالبوكمال", "للبوكمال";
- ``variant`` a single-word place name with its article toggled, accepted only
              right after a place word ("مدينة بوكمال", "بلدة الحميميم"): Arabic
              drops and adds ال on names, but "السورية" is not "سورية";
- ``fuzzy``   a misspelling, found with rapidfuzz within a length-scaled number
              of edits (`max_edits`); carries `score` (1.0 = identical);
- ``trigger`` "قرية X", "بلدة X", "حي X", "مدينة X" … with X unknown: a place
              with `id: null` and its `trigger`, because dropping an unknown
              village loses the record.

A name shared by several entries (two villages called الحمدان, الميادين the
town and the TV channel) is resolved by the document: the trigger word before
it (قناة → source, بلدة → place), other places of the document and how close
they sit in the admin hierarchy, and, last, one sense per document. When that
does not decide, the mention has `id: null` and its `candidates`.

    >>> gaz = load_gazetteer()
    >>> [(m["text"], m["id"]) for m in gaz.tag(Document("d", "قصف على بالبوكمال"))][:1]  # doctest: +SKIP
    [('البوكمال', 'place/sy/abu-kamal')]
"""
from __future__ import annotations

import bisect
import os
import pickle
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from . import gazetteer_actor_triggers as actor_triggers
from . import gazetteer_anaphor as anaphor
from . import gazetteer_metonymy as metonymy
from .match import NOUN_PREFIXES, Match, PhraseMatcher, resolve_overlaps

# match.is_word_char(c) is c.isalnum() ("_" is not alphanumeric): called inline here
from .model import Document
from .normalize import fold

CACHE_VERSION = "1"

# Caps of the per-process caches of pure per-word (or per-pair) results, in entries; a
# cache that reaches its cap is emptied and fills again. Sized so that a worker reaches
# them within its first few hundred Baly articles (measured: about 38,000 distinct words
# reach `word_info` and 16,000 entry pairs `shared_weight` in 250 articles of `tag`), so
# its memory stops growing there instead of with the corpus.
INFO_CACHE_MAX = 32_768  # `word_info`, per word of the text
NEAR_CACHE_MAX = 16_384  # `near`, per stem
WINDOW_CACHE_MAX = 4_096  # `window_name`, per window of words
FUZZY_CACHE_MAX = 4_096  # `_fuzzy`, per (word, mode)
SHARED_CACHE_MAX = 16_384  # `shared_weight`, per pair of entries

# --- word lists (folded: ة→ه, ى→ي, أإآ→ا) ------------------------------------

# Words that make the next name a place: "قرية X", "بلدة X", "حي X", "مدينة X" …
PLACE_TRIGGERS = frozenset(fold(w) for w in (
    "مدينة بلدة قرية حي مخيم مزرعة ناحية قريتي بلدتي مدينتي بلدات قرى أحياء حيي مدن "
    "منطقة ريف محافظة قضاء مركز ضاحية حقل حقلي حقول معسكر"
).split())
# The triggers after which an unknown name is still kept (with id null): the issue's
# four and their close kin. "منطقة X" and "ريف X" are left out: "منطقة عسكرية",
# "ريف واسع" are too common.
UNRESOLVED_TRIGGERS = frozenset(fold(w) for w in (
    "مدينة بلدة قرية حي مخيم مزرعة ناحية قريتي بلدتي قرى بلدات حيي"
).split())  # not أحياء: also "alive" (بقوا أحياء تحت الأنقاض)
# …of which these name several places: "قريتي زبيدة وخساف", "قرى "أبو هريرة , المشيرفة , الكرين والمحمية""
LIST_TRIGGERS = frozenset(fold(w) for w in "قريتي بلدتي قرى بلدات حيي".split())
SOURCE_TRIGGERS = frozenset(fold(w) for w in (
    "قناة وكالة صحيفة جريدة موقع شبكة تلفزيون إذاعة راديو مجلة فضائية صفحة"
).split())
ACTOR_TRIGGERS = frozenset(fold(w) for w in (
    "تنظيم قوات ميليشيا ميليشيات مليشيا مليشيات فصيل فصائل جماعة حركة لواء كتائب كتيبة فرقة جيش "
    "حزب عناصر مقاتلي مقاتلو"
).split())
# First words of two-word village names: "عين عيسى", "تل أبيض", "كفر نبل".
NAME_HEADS = frozenset(fold(w) for w in (
    "عين تل دير أبو ابو أم ام كفر جسر رأس راس بئر بير خربة بيت بني جبل سوق قصر معرة "
    "الشيخ شيخ السيدة سيدي جديد مرج وادي حوش نبع قلعة تلة"
).split())
# Words that are not a name after a trigger word ("قرية صغيرة", "مدينة سورية"),
# nor a misspelt name. Kept short on purpose: an unknown village beats a lost one.
NOT_NAMES = frozenset(fold(w) for w in (
    "في من على إلى الى عن مع بعد قبل خلال منذ حتى عند بين حيث إذ كما فيما بينما ثم أو او و "
    "هذه هذا تلك ذلك التي الذي الذين واحدة واحد أخرى اخرى أخري آخر اخر ثانية أولى كاملة بأكملها "
    "صغيرة صغير كبيرة كبير قريبة قريب مجاورة مجاور نائية حدودية سورية عراقية سوري عراقي تابعة تابع "
    "جديدة جديد قديمة قديم رئيسية رئيسي مهمة استراتيجية إستراتيجية محاصرة محررة خاضعة الخاضعة "
    "واقعة الواقعة أي اي كل بعض عدة عدد لا لم لن قد ما إن ان أن بأن وأن كان كانت يوم اليوم "
    # directions and places around (where a list of names ends: "بلدتي خشام والبصيرة، شمال الشحيل")
    "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي الشمال الجنوب الشرق الغرب وسط محيط بمحيط أطراف "
    "له لها لهم به بها فيه فيها منه منها عليه عليها "
    # what else follows a place word and is not a name: "قرى الريف الشمالي", "قرى فقط", "بلدات بعيدة"
    "فقط فضلا بعيدة كثيرة عديدة مختلفة متفرقة المحيطة المجاورة الحدودية التابعة المحررة الريف ريفي "
    "المنطقة المناطق البلدة المدينة القرية الضفة حوض"
).split())
# Words that do not tell one name from another: a multi-word fuzzy match needs one
# identical word that is not one of these ("مدينة طرابلس" is not "مدينة جرابلس").
GENERIC_WORDS = PLACE_TRIGGERS | SOURCE_TRIGGERS | ACTOR_TRIGGERS | frozenset(fold(w) for w in (
    "الشيخ شيخ الجبل جبل تل عين دير أبو ابو أم ام بئر بير خربة مطار المطار قاعدة معبر سد حقل نهر بحيرة "
    "بادية البادية سهل وادي مخيم جسر الجيش القوات الحرس الشعبي الوطني السوري السورية العراقي العراقية "
    "الإسلامي الإسلامية الإسلامية الدولة الشرقي الشرقية الغربي الغربية الشمالي الشمالية الجنوبي الجنوبية "
    "الكبير الكبرى الصغير الصغرى الجديد الجديدة القديم القديمة العسكري العسكرية الأعلى العليا"
).split())
PLACE_SUBTYPES_WITH_VARIANTS = frozenset({"city", "town", "village", "neighbourhood", "facility", "subdistrict",
                                          "district", "governorate", "region"})

_WORD = re.compile(r"[^\W\d_]+")
# the lookahead (a proclitic or a place word's first letter) spares the alternation at most
# positions: the scan is ~2x faster, same matches
_PLACE_WORD = re.compile(r"\b(?=[%s])[وف]?[بلك]?(?:%s)\b" % (
    "".join(sorted(set("وفبلك") | {w[0] for w in PLACE_TRIGGERS})),
    "|".join(sorted(PLACE_TRIGGERS, key=len, reverse=True))))
# what _PLACE_WORD matches: a whole word (its match is letters between two \b) that is a
# place word after an optional conjunction and preposition, so the words of a text that
# are one of these are its place words (`_Tagger._place_words`)
PLACE_WORD_FORMS = frozenset(a + b + t for a in ("", "و", "ف") for b in ("", "ب", "ل", "ك") for t in PLACE_TRIGGERS)
# a one-letter piece of a word split by a stray space ("السعودي ة", "الر ق ة", "م صر"),
# not و, which is often written apart ("و العراق"); two-letter pieces are mostly words (مع، ثم)
_FRAGMENT = re.compile(r"\b[^\W\d_و]\b")
# quotes and brackets between the words of a name, with the spaces around them
_MARKS = re.compile(r' ?["()]+ ?')  # what `_mark_spans` finds, faster
_MARK_RUN = re.compile(r'["()]+')
_CLOSING_MARK = re.compile(r' ?([")])')
_WORD_AFTER_MARKS = re.compile(r'[ "()]*([^\W_]+)')
_WORD_AFTER = re.compile(r" ([^\W\d_]+)(?![^\W\d_])")
# the one or two words after a trigger word, perhaps in quotes: قرية "الجعابات"
# (the corpus is often tokenised: قرية " الكبارية ")
_NEXT_NAME = re.compile(r' (?:" ?)?([^\W\d_]+)(?: ([^\W\d_]+))?')
# a name where one must start (`_Tagger._name_at`): in quotes, up to the closing one (one to
# four words); else one or two words, perhaps after an opening quote
_QUOTED_NAME = re.compile(r'" ?([^\W\d_]+(?: [^\W\d_]+){0,3}) ?"')
_ITEM_NAME = re.compile(r'(?:" ?)?([^\W\d_]+)(?: ([^\W\d_]+))?')
# between two names of a list: a comma, or و alone or on the next name; quotes around allowed
_LIST_SEP = re.compile(r' ?"? ?(?:[,،]|و(?= )|و(?=[^\W\d_]{3})) ?')
_AL = "ال"


_LATIN = re.compile(r"[A-Za-z]")


def _case_variants(form: str) -> tuple[str, ...]:
    """Other casings of a form written in Latin letters (three or more): news text
    writes "YPG" and "ypg", "Sputnik" and "SPUTNIK". Arabic forms have none.

    >>> _case_variants("Sputnik")
    ('sputnik', 'SPUTNIK')
    >>> _case_variants("RT"), _case_variants("سانا")
    ((), ())
    """
    if len(_LATIN.findall(form)) < 3:
        return ()
    return tuple(v for v in dict.fromkeys((form.lower(), form.upper(), form.title())) if v != form)


def max_edits(length: int, triggered: bool = False) -> int:
    """Edits a fuzzy match may have, given the length of the name without its article.

    Short Arabic words sit one letter apart from many other words (الرقم /
    الرقة), so names under five letters are matched exactly only, unless a
    place word stands before them ("قرية X").

    >>> [max_edits(n) for n in (3, 4, 5, 8, 9, 12)]
    [0, 0, 1, 1, 2, 2]
    """
    if triggered:
        return 0 if length < 4 else 1 if length < 8 else 2
    return 0 if length < 5 else 1 if length < 9 else 2


def _core(form: str) -> str:
    """A form without its article and spaces: what `max_edits` measures."""
    s = form[2:] if form.startswith(_AL) and len(form) > 4 else form
    return s.replace(" ", "")


LONG_WORD = 8  # a single word this long (without ال) may be fuzzy-matched anywhere
SUPPORTED_WORD = 6  # … this long, when the document names the entry exactly elsewhere


def _similarity(q: str, form: str, dist: int) -> float:
    return round(1 - dist / max(len(q), len(form)), 3)


_ENDINGS = ("يين", "يون", "يات", "يه", "يا", "ين", "ون", "ات", "ان", "ي", "ه", "ا")


def _without_ending(w: str) -> str:
    for end in _ENDINGS:
        if w.endswith(end) and len(w) - len(end) >= 3:
            return w[: -len(end)]
    return w


def _acceptable(q: str, form: str, dist: int, triggered: bool = False) -> bool:
    """Whether q, `dist` edits from a name, may be read as that name misspelt.

    The name's own length bounds the edits too (a short name never matches
    loosely). Anywhere but after a trigger word, a word that is the name with
    another ending is an inflection, not a misspelling: البوكمالي, العراقيين,
    السعودي / السعودية, روسية / روسيا, أمريكيا / أمريكا.
    """
    if dist == 0 or dist > max_edits(len(_core(form)), triggered):
        return False
    if triggered:
        return True
    return not (q.startswith(form) or form.startswith(q) or _without_ending(q) == _without_ending(form))


# --- compiled data -------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """One surface form of one entry, as the matcher sees it."""

    entry: int  # index into Gazetteer.entries
    strong: bool  # a name or alias (not a weak alias)
    kind: str  # "exact"; "variant": article toggled, needs a place trigger; "joined": written without its spaces


_LAM = frozenset({"ل", "ول", "فل"})  # as match._LAM_PREFIXES: the preposition before لل


class _Matcher(PhraseMatcher):
    """`PhraseMatcher` whose `find` gives the same matches, about twice as fast.

    A news article holds hundreds of automaton hits, most inside longer words;
    the word-boundary tests are inlined and the end tested first, which rejects
    them soonest. Only for matchers without suffixes, like the gazetteer's
    (`tests/test_gazetteer_tag.py` checks it against `PhraseMatcher.find`).
    """

    def find(self, text: str) -> list[Match]:
        if self.suffixes != frozenset({""}):
            return super().find(text)
        out = [Match(s, e, phrase, payload, prefix, "")
               for s, e, phrase, prefix in self.occurrences(text) for payload in self._payloads[phrase]]
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def occurrences(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, phrase, prefix) of every acceptable occurrence, in automaton order."""
        if not self._payloads:
            return []
        if self._automaton is None:
            self.build()
        out: list[tuple[int, int, str, str]] = []
        n = len(text)
        prefixes = self.prefixes
        bare_ok = "" in prefixes
        prefix_ends = frozenset(p[-1] for p in prefixes if p)
        lam_ends = frozenset(p[-1] for p in _LAM)
        for last, (phrase, lam_article) in self._automaton.iter(text):
            end = last + 1
            if end < n:
                if text[end].isalnum():  # ("_" is not alphanumeric)
                    continue
            start = end - (len(phrase) - 1 if lam_article else len(phrase))
            if start == 0 or not text[start - 1].isalnum():  # no clitic: the common case
                if lam_article or bare_ok is False:
                    continue
                out.append((start, end, phrase, ""))
                continue
            # a clitic ends with one of a few letters: most hits inside a word stop here
            if text[start - 1] not in (lam_ends if lam_article else prefix_ends):
                continue
            ws = start - 1
            lim = start - 4
            while ws > lim and ws > 0:
                if not text[ws - 1].isalnum():
                    break
                ws -= 1
            if ws > 0 and text[ws - 1].isalnum():
                continue
            prefix = text[ws:start]
            if (prefix not in _LAM) if lam_article else (prefix not in prefixes):
                continue
            out.append((start, end, phrase, prefix))
        return out


class Gazetteer:
    """Compiled entries: matcher, fuzzy index, hierarchy. Build with `load_gazetteer`."""

    def __init__(self, entries: Sequence, hash: str = "", files: Sequence[str] = ()):
        self.entries = list(entries)
        self.hash = hash
        self.files = tuple(files)
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        self.matcher = _Matcher(NOUN_PREFIXES)
        self._variants: dict[str, list[tuple[str, Form]]] = {}
        # folded form -> Forms (one per entry and kind), for lookups and fuzzy hits
        self.forms: dict[str, list[Form]] = defaultdict(list)
        for i, e in enumerate(self.entries):
            weak = set(e.weak_aliases)
            for name in e.names:
                f = fold(name)
                if len(f) < 2:
                    continue
                self._add(f, Form(i, name not in weak, "exact"))
                for v in _case_variants(f):  # Latin names: "YPG", "ypg"; "Sputnik", "SPUTNIK"
                    self._add(v, Form(i, name not in weak, "exact"))
        exact = set(self.forms)
        for i, e in enumerate(self.entries):
            if e.type != "place" or e.subtype not in PLACE_SUBTYPES_WITH_VARIANTS:
                continue
            weak = set(e.weak_aliases)
            for name in e.names:
                f = fold(name)
                if " " in f or len(_core(f)) < 3:
                    continue
                v = f[2:] if f.startswith(_AL) else _AL + f
                if v not in exact:
                    self._add(v, Form(i, name not in weak, "variant"))
        for f in sorted(exact):
            joined = f.replace(" ", "")
            if joined != f and joined not in exact and len(_core(joined)) >= SUPPORTED_WORD:
                for x in self.forms[f]:
                    if x.strong and x.kind == "exact":  # "ديرالزور", "جسرالشغور"
                        self._add(joined, Form(x.entry, True, "joined"))
        self.matcher.build()
        self.forms = dict(self.forms)
        # phrase -> its (Form, folded form) pairs, as `_Hit.forms` holds them
        self._phrase_forms = {ph: tuple((pl[1], pl[0]) for pl in pls) for ph, pls in self.matcher._payloads.items()}
        self._phrase_kinds = {ph: frozenset(pl[1].kind for pl in pls) for ph, pls in self.matcher._payloads.items()}
        self._build_fuzzy_indexes()
        self._ancestors: dict[int, tuple[int, ...]] = {}
        self._affiliations: dict[int, frozenset[int]] = {}
        self._lineage: dict[int, frozenset[int]] = {}
        self._shared: dict[tuple[int, int], float] = {}
        # how much sharing an ancestor says in `_resolve`: a country says less than an admin area
        self._grain_weight = [0.5 if e.subtype == "country" else 1.0 for e in self.entries]
        self._fuzzy_cache: dict[tuple[str, str], tuple | None] = {}
        self._near_cache: dict[str, tuple] = {}
        self._info_cache: dict[str, tuple | None] = {}
        self._window_cache: dict[tuple[str, ...], tuple | None] = {}
        self._info_yes: set[str] = set()  # the words of `_info_cache` that could be a name
        self._form_words: dict[str, list[str]] = {}

    def _add(self, f: str, form: Form) -> None:
        if form in self.forms[f]:
            return
        self.forms[f].append(form)
        if form.kind == "variant":  # looked up after place words only, not searched everywhere
            self._variants.setdefault(f, []).append((f, form))
        else:
            self.matcher.add(f, (f, form))

    def _build_fuzzy_indexes(self) -> None:
        """Indexes of the strong names and aliases for the fuzzy fallback.

        - by the first letter of the core, sorted by length: one word after a
          trigger word, and `lookup` (rapidfuzz over a small window);
        - without spaces: names split by a stray space ("السعودي ة");
        - multi-word names by (number of words, position, word), and the one-letter
          deletions of their long words, to find a misspelt word of a name;
        - one-letter deletions of single-word names: a word one edit from a name
          shares a key with it (symmetric deletion), so that a text's words are
          checked with a few dictionary look-ups, cached across documents.
        """
        by_letter: dict[str, list[str]] = defaultdict(list)
        self._nospace: dict[str, str] = {}
        self._multi: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        self._deletions: dict[str, list[str]] = defaultdict(list)
        components: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
        for f, forms in self.forms.items():
            if not any(x.strong and x.kind == "exact" for x in forms):
                continue
            core = _core(f)
            if len(core) >= 4:
                by_letter[core[0]].append(f)
            self._nospace.setdefault(f.replace(" ", ""), f)
            words = f.split(" ")
            if 2 <= len(words) <= 3:
                for pos, w in enumerate(words):
                    self._multi[(len(words), pos, w)].append(f)
                    if len(_core(w)) >= SUPPORTED_WORD:
                        for key in {w, *(w[:j] + w[j + 1:] for j in range(len(w)))}:
                            components[key].add((len(words), pos, w))
            elif len(words) == 1 and len(core) >= SUPPORTED_WORD - 1:
                for key in {f, *(f[:j] + f[j + 1:] for j in range(len(f)))}:
                    self._deletions[key].append(f)
        self._components = {w: tuple(sorted(v, key=lambda c: (-c[0], c[1], c[2]))) for w, v in components.items()}
        self._fuzzy_index = {k: sorted(v, key=len) for k, v in by_letter.items()}
        self._multi = dict(self._multi)
        # neighbouring words of multi-word names, for names with quotes inside
        pairs: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        for f in sorted(self.forms):
            words = f.split(" ")
            if len(words) > 1 and any(x.kind == "exact" for x in self.forms[f]):
                for i in range(len(words) - 1):
                    pairs[(words[i], words[i + 1])].append((f, i))
        self._pairs = dict(pairs)
        self._pair_seconds = frozenset(b for _, b in pairs)  # a cheap first test in `_quoted`
        self._deletions = dict(self._deletions)

    def word_info(self, word: str) -> tuple | None:
        """What a word of a text could be a misspelling of (cached per word).

        None for most words; else (parts, near): `parts` lists (stem, prefix, words
        in the name, position, the name's word, edits) for words of multi-word names
        one edit from the word's stem; `near` lists (stem, prefix, name, edits,
        letters) for single-word names one edit from it. Stems of six letters or
        more without ال only, with the name's first letter (typists rarely miss it,
        and "وعربية" is not "يعربية"), and never an inflection of the name
        (`_acceptable`).
        """
        cache = self._info_cache
        got = cache.get(word, False)
        if got is not False:
            return got
        parts, near = [], []
        stems = _stems(word)
        # a name with its clitics is an exact match, not a misspelling of another name
        if word not in NOT_NAMES and not any(st in self.forms for st, _ in stems):
            deletions, components = self._deletions.keys(), self._components.keys()
            for stem, prefix in stems:
                core = _core(stem)
                if len(core) < SUPPORTED_WORD:
                    continue
                # most words share no deletion key with any name: then `near` and the component
                # look-ups below find nothing, and one pass over the keys in C says so
                keys = [stem[:j] + stem[j + 1:] for j in range(len(stem))]
                keys.append(stem)
                if deletions.isdisjoint(keys) and components.isdisjoint(keys):
                    continue
                from rapidfuzz.distance import Levenshtein

                near.extend((stem, prefix, f, d, len(core)) for f, d in self.near(stem) if _core(f)[0] == core[0])
                comps = set()
                for key in keys:
                    comps.update(self._components.get(key, ()))
                for k, pos, w in sorted(comps, key=lambda c: (-c[0], c[1], c[2])):
                    d = Levenshtein.distance(stem, w, score_cutoff=1)
                    if 0 < d <= 1 and _core(w)[0] == core[0] and _acceptable(stem, w, d):
                        parts.append((stem, prefix, k, pos, w, d))
        got = (tuple(parts), tuple(near)) if parts or near else None
        cache[word] = got
        if got is not None:
            self._info_yes.add(word)
        return got

    def window_name(self, texts: tuple[str, ...]) -> tuple[str, float, str] | None:
        """The multi-word name that a window of words misspells, as (form, score, prefix),
        or None. Depends on the words alone, so it is cached per window."""
        got = self._window_cache.get(texts, False)
        if got is not False:
            return got
        k = len(texts)
        forms = {f for p in range(k) for f in self._multi.get((k, p, texts[p]), ())}
        forms.update(f for st, _ in _stems(texts[0]) for f in self._multi.get((k, 0, st), ()))
        got = self._fuzzy_window(texts, sorted(forms))
        if len(self._window_cache) >= WINDOW_CACHE_MAX:
            self._window_cache.clear()
        self._window_cache[texts] = got
        return got

    def _fuzzy_window(self, texts: Sequence[str], forms: list[str]) -> tuple[str, float, str] | None:
        """The best multi-word name for a window of words, or None.

        Each word is identical or one edit away (and six letters or more without
        ال); at least one identical word is telling: "قوات سوريا الديموقراطية", but
        not "الجزيرة الكورية" (السورية) nor "مدينة طرابلس" (جرابلس).
        """
        from rapidfuzz.distance import Levenshtein

        best = None
        for stem, prefix in _stems(texts[0]):
            words = [stem, *texts[1:]]
            for form in forms:
                dist, telling = 0, False
                for a, b in zip(words, form.split(" ")):
                    if a == b:
                        telling = telling or b not in GENERIC_WORDS
                        continue
                    d = Levenshtein.distance(a, b, score_cutoff=1)
                    if d > 1 or len(_core(b)) < SUPPORTED_WORD or not _acceptable(a, b, d):
                        break
                    dist += d
                else:
                    if telling and dist and dist <= max_edits(len(_core(form))):
                        best = max(best or (0.0,), (_similarity(" ".join(words), form, dist), form, prefix))
        return None if best is None else (best[1], best[0], best[2])

    def near(self, word: str) -> tuple[tuple[str, int], ...]:
        """Single-word names one edit from `word` that are not an inflection of it."""
        got = self._near_cache.get(word)
        if got is None:
            from rapidfuzz.distance import Levenshtein

            cands = set(self._deletions.get(word, ()))
            for j in range(len(word)):
                cands.update(self._deletions.get(word[:j] + word[j + 1:], ()))
            out = []
            for f in sorted(cands):
                d = Levenshtein.distance(word, f, score_cutoff=1)
                if d <= 1 and _acceptable(word, f, d):
                    out.append((f, d))
            got = tuple(out)
            if len(self._near_cache) >= NEAR_CACHE_MAX:
                self._near_cache.clear()
            self._near_cache[word] = got
        return got

    # -- pickling (the disk cache): the per-word caches start empty ----------------
    def __getstate__(self):
        state = dict(self.__dict__)
        state["_fuzzy_cache"] = {}
        state["_near_cache"] = {}
        state["_info_cache"] = {}
        state["_window_cache"] = {}
        state["_info_yes"] = set()
        state["_shared"] = {}
        state["_form_words"] = {}
        return state

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, id_or_index):
        return self.entries[self.by_id[id_or_index] if isinstance(id_or_index, str) else id_or_index]

    def ancestors(self, i: int) -> tuple[int, ...]:
        """Indexes of the entry's parents, nearest first."""
        got = self._ancestors.get(i)
        if got is None:
            out = []
            p = self.entries[i].parent
            while p is not None and p in self.by_id and len(out) < 12:
                j = self.by_id[p]
                if j in out or j == i:
                    break
                out.append(j)
                p = self.entries[j].parent
            got = self._ancestors[i] = tuple(out)
        return got

    def shared_weight(self, i: int, j: int) -> float:
        """What two entries' shared admin areas say for each other in `_Tagger._resolve`:
        the weights (`_grain_weight`) of the entries both are, or lie, inside; cached."""
        key = (i, j)
        got = self._shared.get(key)
        if got is None:
            lineage = self._lineage
            for k in (i, j):
                if k not in lineage:
                    lineage[k] = frozenset(self.ancestors(k)) | {k}
            grain = self._grain_weight
            if len(self._shared) >= SHARED_CACHE_MAX:
                self._shared.clear()
            got = self._shared[key] = sum(grain[k] for k in lineage[i] & lineage[j])
        return got

    def affiliations(self, i: int) -> frozenset[int]:
        """Indexes of the actors an entry belongs to, directly or through others."""
        got = self._affiliations.get(i)
        if got is None:
            seen: set[int] = set()
            todo = [i]
            while todo:
                for a in getattr(self.entries[todo.pop()], "affiliation", None) or ():
                    k = self.by_id.get(a)
                    if k is not None and k not in seen and k != i:
                        seen.add(k)
                        todo.append(k)
            got = self._affiliations[i] = frozenset(seen)
        return got

    def related(self, a: str, b: str) -> bool:
        """Whether two ids name one entity at different grains. Places: equal, one inside
        the other (إدلب the city and محافظة إدلب), or a region inside the other's admin
        area (ريف البوكمال and البوكمال, ريف دير الزور الشرقي and دير الزور). Actors and
        sources: equal, or one affiliated to the other, directly or not (سلاح الجو السوري
        and قوات النظام). Used by `claimx eval --entities` ("related grains")."""
        if a == b:
            return True
        if a not in self.by_id or b not in self.by_id:
            return False
        i, j = self.by_id[a], self.by_id[b]
        if self.entries[i].type != "place" or self.entries[j].type != "place":
            # actors: a unit and the force it belongs to (طيران النظام and قوات النظام,
            # فصائل المعارضة and المعارضة), along `affiliation`
            return j in self.affiliations(i) or i in self.affiliations(j)
        up_i, up_j = self.ancestors(i), self.ancestors(j)
        if i in up_j or j in up_i:
            return True
        for x, up_x, up_y in ((i, up_i, up_j), (j, up_j, up_i)):
            if self.entries[x].subtype == "region":
                admin = next((k for k in up_x if self.entries[k].subtype != "region"), None)
                if admin is not None and admin in up_y:
                    return True
        return False

    # -- lookups ------------------------------------------------------------------
    def lookup(self, name: str, fuzzy: bool = True) -> list[dict]:
        """Entries a name stands for: exact forms first, then close spellings.

        >>> [h["id"] for h in load_gazetteer().lookup("بالبوكمال")]  # doctest: +SKIP
        ['place/sy/abu-kamal']
        """
        f = fold(name)
        hits: list[dict] = []
        seen: set[int] = set()
        for cand, how in _stems(f):
            for form in self.forms.get(cand, ()):
                if form.entry not in seen:
                    seen.add(form.entry)
                    hits.append({"id": self.entries[form.entry].id, "match": form.kind if form.strong else "weak",
                                 "form": cand, "prefix": how})
        if not hits and fuzzy:
            best = self._fuzzy(f, "trigger")
            if best is not None:
                form, score = best
                for x in self.forms[form]:
                    if x.strong and x.entry not in seen:
                        seen.add(x.entry)
                        hits.append({"id": self.entries[x.entry].id, "match": "fuzzy", "form": form,
                                     "score": score, "prefix": ""})
        return hits

    def _fuzzy(self, q: str, mode: str = "trigger") -> tuple[str, float] | None:
        """The closest strong form of one word (or name) over the whole gazetteer.

        mode "trigger": the word stands where a place name must ("قرية X"), so
        `max_edits(…, triggered=True)` applies; mode "long": anywhere, so only words
        of `LONG_WORD` letters or more, one edit, and no inflection-like difference.
        Cached per query.
        """
        key = (q, mode)
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        result = None
        core = _core(q)
        triggered = mode == "trigger"
        k = max_edits(len(core), True) if triggered else (1 if len(core) >= LONG_WORD else 0)
        if k and core[0] in self._fuzzy_index:
            from rapidfuzz import process
            from rapidfuzz.distance import Levenshtein

            choices = self._fuzzy_index[core[0]]
            lo = bisect.bisect_left(choices, len(q) - k, key=len)
            hi = bisect.bisect_right(choices, len(q) + k, key=len)
            for form, dist, _ in process.extract(q, choices[lo:hi], scorer=Levenshtein.distance,
                                                 score_cutoff=k, limit=3):
                if _acceptable(q, form, dist, triggered):
                    result = (form, _similarity(q, form, dist))
                    break
        if len(self._fuzzy_cache) >= FUZZY_CACHE_MAX:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = result
        return result

    # -- tagging --------------------------------------------------------------------
    def tag(self, doc: Document, spans: Iterable[tuple[int, int]] | None = None) -> list[dict]:
        """The mentions of a document, in text order, raw offsets.

        Every mention satisfies ``doc.text[m["start"]:m["end"]] == m["text"]``.
        With `spans` (raw offsets), only those stretches are tagged and serve as
        context: what `attach` does, since claims need no more.
        """
        regions = None
        if spans is not None:
            # overlapping raw spans are merged first (the tagger merges their views anyway,
            # and raw_to_view is monotonic): fewer offsets to map
            merged: list[list[int]] = []
            for a, b in sorted(x for x in spans if x[1] > x[0]):
                if merged and a <= merged[-1][1]:
                    if b > merged[-1][1]:
                        merged[-1][1] = b
                else:
                    merged.append([a, b])
            starts = doc.normalized.starts  # NormalizedText.raw_to_view, inline: one bisect per offset
            if starts is None:
                regions = [(a, b) for a, b in merged]
            else:
                bl = bisect.bisect_left
                regions = [(bl(starts, a), bl(starts, b)) for a, b in merged]
        return _Tagger(self, doc, regions).run()

    def record(self, doc: Document, outlet: dict | None = None) -> dict:
        """The `claimx tag` record of a document: `claimx.doc/1` with its mentions."""
        mentions = self.tag(doc)
        self.resolve_outlet(doc, outlet, mentions)
        return {"schema": "claimx.doc/1", "id": doc.id, "doc": doc.info(outlet), "text": doc.text,
                "mentions": mentions}

    def attach(self, doc: Document, records: list[dict], mentions: list[dict] | None = None) -> list[dict]:
        """Fill `entities` and `source.entity` of claim records, and `doc.outlet.entity`.

        A claim's entities are the mentions inside its source, recipient and content
        spans (each with `in`: which of them). Only those spans (and the outlet's)
        are tagged, together, so they are also the context that resolves ambiguous
        names: a name decided by a place mentioned only outside every claim may stay
        undecided here although `tag` decides it. `source.entity` is the id of the
        source's head mention: an actor or source entry that opens the source span,
        perhaps after a title ("متحدث باسم القوات الروسية"), not one buried in a
        relative clause ("القوات التي قاتلت ضد تنظيم الدولة").
        """
        if mentions is None:
            spans = [(r[k]["start"], r[k]["end"]) for r in records for k in ("source", "recipient", "content")
                     if isinstance(r.get(k), dict) and r[k].get("start") is not None]
            outlet = records[0]["doc"].get("outlet") if records and isinstance(records[0].get("doc"), dict) else None
            if outlet and outlet.get("start") is not None:
                spans.append((outlet["start"], outlet["end"]))
            mentions = self.tag(doc, spans)
        starts = [m["start"] for m in mentions]
        for rec in records:
            ents = []
            for role in ("source", "recipient", "content"):
                span = rec.get(role)
                if not span or span.get("start") is None or span["start"] >= span["end"]:
                    continue
                end = span["end"]
                lo = bisect.bisect_left(starts, span["start"])
                for m in mentions[lo:bisect.bisect_left(starts, end, lo)]:  # mentions are in text order
                    if m["end"] <= end:
                        ents.append({**m, "in": role})
            rec["entities"] = ents
            src = rec.get("source")
            if src and src.get("end", 0) > src.get("start", 0):
                head = self._head(doc, src, [e for e in ents if e["in"] == "source"])
                src["entity"] = head["id"] if head else None
        outlet = records[0]["doc"].get("outlet") if records and isinstance(records[0].get("doc"), dict) else None
        self.resolve_outlet(doc, outlet, mentions)
        for rec in records[1:]:
            o = rec["doc"].get("outlet") if isinstance(rec.get("doc"), dict) else None
            if o is not None and o is not outlet and outlet is not None:
                o["entity"] = outlet.get("entity")
        return records

    def resolve_outlet(self, doc: Document, outlet: dict | None, mentions: list[dict]) -> None:
        """Set ``outlet["entity"]`` when the outlet's text names a source (or actor) entry."""
        if not outlet or not outlet.get("text"):
            return
        if outlet.get("start") is not None:
            inside = [m for m in mentions if outlet["start"] <= m["start"] and m["end"] <= outlet["end"]]
        else:
            inside = self.tag(Document("outlet", outlet["text"]))
        for want in ("source", "actor"):
            for m in inside:
                if m["type"] == want and m["id"]:
                    outlet["entity"] = m["id"]
                    return

    def _head(self, doc: Document, src: dict, inside: list[dict]) -> dict | None:
        for m in inside:
            if m["type"] not in ("actor", "source") or not m["id"]:
                continue
            before = _WORD.findall(fold(doc.text[src["start"]:m["start"]]))
            if len(before) <= 3 and all(_bare(w) in SOURCE_HEAD_WORDS or w in SOURCE_HEAD_WORDS for w in before):
                return m
            return None  # the first actor decides; a later one is not the head
        return None

    def stats(self) -> dict:
        by_type = Counter(e.type for e in self.entries)
        by_subtype = Counter(f"{e.type}/{e.subtype}" for e in self.entries)
        ambiguous = {f: xs for f, xs in self.forms.items()
                     if len({x.entry for x in xs if x.kind == "exact"}) > 1}
        return {
            "files": list(self.files),
            "hash": self.hash,
            "entries": len(self.entries),
            "by_type": dict(sorted(by_type.items())),
            "by_subtype": dict(sorted(by_subtype.items())),
            "forms": sum(1 for xs in self.forms.values() if any(x.kind == "exact" for x in xs)),
            "variant_forms": sum(1 for xs in self.forms.values() if all(x.kind == "variant" for x in xs)),
            "ambiguous_forms": len(ambiguous),
            "with_coordinates": sum(1 for e in self.entries if e.lat is not None),
            "with_pcode": sum(1 for e in self.entries if e.pcode),
            "with_wikidata": sum(1 for e in self.entries if e.wikidata),
            "with_geonames": sum(1 for e in self.entries if e.geonames),
        }


# Words that may stand before the head mention of a source span: titles, anonymous
# heads and the prepositions that tie them to the organisation.
SOURCE_HEAD_WORDS = frozenset(fold(w) for w in (
    "متحدث متحدثة المتحدث ناطق الناطق باسم بإسم في من لدى عن مصدر مصادر مسؤول مسؤولون مسؤولين قائد قيادي "
    "قياديون قادة عناصر مقاتلون مقاتلين مراسل مراسلو مراسلي بيان بيانات وكالة الوكالة قناة القناة صحيفة "
    "الصحيفة موقع الموقع شبكة الشبكة تلفزيون التلفزيون إذاعة مكتب المكتب قيادة القيادة رئيس زعيم أمير "
    "المتحدث الرسمي رسمي مصادر ناشطون ناشطين إعلام إعلامي مسؤولو ضابط ضباط وسائل قوات هيئة أركان"
).split()) | {'"'}


def _bare(w: str) -> str:
    for p in ("وال", "فال", "بال", "لل", "ال", "و", "ف", "ب", "ل"):
        if w.startswith(p) and len(w) - len(p) >= 2:
            return w[len(p):]
    return w


_PREFIXES_LONGEST_FIRST = tuple(sorted((p for p in NOUN_PREFIXES if p), key=lambda p: (-len(p), p)))


@lru_cache(maxsize=16_384)  # reached within a few hundred articles (see INFO_CACHE_MAX)
def _stems(word: str) -> tuple[tuple[str, str], ...]:
    """A word and the words it may be after removing proclitics (لل = ل + ال).

    >>> _stems("وللبوكمال")[-1]
    ('البوكمال', 'ول')
    """
    out = [(word, "")]
    if word[:1] not in "وفبلك":
        return tuple(out)
    for p in _PREFIXES_LONGEST_FIRST:
        if word.startswith(p) and len(word) - len(p) >= 2 and word[len(p)] != " ":
            out.append((word[len(p):], p))
    for p in ("لل", "ولل", "فلل"):
        if word.startswith(p) and len(word) - len(p) >= 2 and word[len(p)] != " ":
            out.append((_AL + word[len(p):], p[:-1]))
    return tuple(out)


def _word_before(view: str, pos: int) -> tuple[int, int] | None:
    """The word that ends before `pos`, spaces and quote marks between allowed."""
    b = pos
    while b > 0 and view[b - 1] in ' "()':
        b -= 1
    a = b
    while a > 0 and view[a - 1].isalnum():
        a -= 1
    return (a, b) if a < b else None


def _bare_trigger(word: str) -> str:
    """A place word without its clitics: وبقرية → قريه (folded)."""
    for stem, _ in _stems(word):
        if stem in PLACE_TRIGGERS:
            return stem
    return word


# punctuation around a word ("قالت:", "(داعش)", "السورية،"); none of it is a word character
_PUNCT = '.,،:;!?؟؛"\'()[]{}«»<>-–—/\\*…'


def _word_set(text: str) -> set[str]:
    """``set(_WORD.findall(text))``, about twice as fast: most white-space tokens are a word
    (letters only) or one with punctuation around it; the regex reads only the others."""
    toks = set(text.split())
    out = set(filter(str.isalpha, toks))
    if len(out) < len(toks):
        for tok in toks - out:
            core = tok.strip(_PUNCT)
            if core.isalpha():  # the punctuation stripped is no word character: one letter run
                out.add(core)
            elif not tok.isdecimal():  # digits only (\d) hold no letter
                out.update(_WORD.findall(tok))
    return out


def _is_letter(c: str) -> bool:
    return c.isalpha()


def _resolve_clusters(items: list[tuple]) -> list[tuple]:
    """`resolve_overlaps`, applied to each group of overlapping matches.

    `items` are (start, end, phrase, prefix, payload). Same result as one call on
    them all (overlap is decided within a chain of overlapping spans), but a long
    article's hundreds of isolated matches skip the quadratic check, and Match
    objects are made only for groups with more than one span.
    """
    ordered = sorted(items, key=lambda x: (x[0], -x[1]))
    out: list[tuple] = []
    n = len(ordered)
    i = 0
    while i < n:
        j, end = i + 1, ordered[i][1]
        while j < n and ordered[j][0] < end:
            end = max(end, ordered[j][1])
            j += 1
        if j == i + 1:
            out.append(ordered[i])
        else:
            group = ordered[i:j]
            s0, e0 = group[0][0], group[0][1]
            if all(x[1] <= e0 for x in group):  # the first (earliest, then longest) span holds
                # all the others: it alone is kept, as resolve_overlaps would decide
                out.extend(x for x in group if x[0] == s0 and x[1] == e0)
            else:
                out.extend((m.start, m.end, m.phrase, m.prefix, m.payload)
                           for m in resolve_overlaps([Match(x[0], x[1], x[2], x[4], x[3], "") for x in group]))
        i = j
    return out


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    k = bisect.bisect_left(spans, (e, e))
    return any(a < e and s < b for a, b in spans[max(0, k - 8):k])


# --- one document ----------------------------------------------------------------

@dataclass(eq=False, slots=True)  # hits are compared and hashed by identity
class _Hit:
    start: int  # view offsets of the name (clitics excluded)
    end: int
    forms: list  # [(Form, folded form)]
    match: str  # exact | variant | fuzzy | trigger
    score: float | None = None
    trigger: tuple[int, int] | None = None  # view span of the trigger word before
    trigger_type: str | None = None  # place | actor | source
    ws: int = -1  # where the word starts (clitics included); set for exact hits, whose trigger is looked up lazily
    decided: int | None = None  # the entry index, once resolved
    how: str = ""
    antecedent: tuple[int, int] | None = None  # view span of the mention an anaphoric head refers back to
    acts_as: str | None = None  # a country or capital that speaks or acts: its government's id


class _Tagger:
    """Tags one document, or only the given stretches of its view (`regions`)."""

    def __init__(self, gaz: Gazetteer, doc: Document, regions: list[tuple[int, int]] | None = None):
        self.gaz = gaz
        self.doc = doc
        self.view = view = doc.normalized.text
        self.raw = doc.text
        self._to_raw = doc.normalized.to_raw
        if regions is None:
            self.regions = [(0, len(view))]
        else:  # whole words only, merged
            merged: list[list[int]] = []
            for lo, hi in sorted(regions):
                while lo > 0 and view[lo - 1].isalnum():
                    lo -= 1
                while hi < len(view) and view[hi].isalnum():
                    hi += 1
                if merged and lo <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            self.regions = [(lo, hi) for lo, hi in merged]
        # the regions' text joined by line breaks: one scan finds what all of them hold
        if len(self.regions) == 1:
            self.joined, self._joins = view[self.regions[0][0]:self.regions[0][1]], [0]
        else:
            self.joined = "\n".join([view[lo:hi] for lo, hi in self.regions])
            self._joins = []
            at = 0
            for lo, hi in self.regions:
                self._joins.append(at)
                at += hi - lo + 1

        self._places: list[tuple[int, int]] | None = None
        # the distinct words (runs of letters) of the regions, read by several stages
        self.words = _word_set(self.joined)

    def _to_view(self, pos: int) -> int:
        """A position in `joined` as a position in the view."""
        k = bisect.bisect_right(self._joins, pos) - 1
        return self.regions[k][0] + pos - self._joins[k]

    def _occurrences(self) -> list[tuple[int, int, str, str]]:
        """The matcher's (start, end, phrase, prefix) over the regions (joined by
        line breaks, which no name crosses), offsets into the whole view."""
        found = self.gaz.matcher.occurrences(self.joined)
        if len(self.regions) == 1:
            lo = self.regions[0][0]
            return found if not lo else [(s + lo, e + lo, ph, p) for s, e, ph, p in found]
        # the matcher yields occurrences by their end, and no name crosses a line break,
        # so the region of each is found by walking forward (what `_to_view` does by bisection)
        if not found:
            return found
        joins, regions = self._joins, self.regions
        last = len(joins) - 1
        k, nxt, base = 0, joins[1] if last else None, regions[0][0] - joins[0]
        out = []
        for s, e, ph, p in found:
            if nxt is not None and s >= nxt:
                while k < last and s >= joins[k + 1]:
                    k += 1
                nxt = joins[k + 1] if k < last else None
                base = regions[k][0] - joins[k]
            out.append((s + base, e + base, ph, p))
        return out

    def _word_spans(self, words: Iterable[str]) -> list[tuple[int, int]]:
        """View spans, in text order, of the whole words of the regions (`\\w+` runs:
        letters, digits and "_") that are one of `words`; what a pattern ``\\b(?:…)\\b``
        over them finds, without a regex scan of the text."""
        joined = self.joined
        n = len(joined)
        found = []
        for w in words:
            size = len(w)
            j = joined.find(w)
            while j != -1:
                e = j + size
                if (j and (joined[j - 1].isalnum() or joined[j - 1] == "_")) or (
                        e < n and (joined[e].isalnum() or joined[e] == "_")):
                    j = joined.find(w, j + 1)
                    continue
                found.append((j, e))
                j = joined.find(w, e)
        found.sort()
        if len(self.regions) == 1:
            lo = self.regions[0][0]
            return [(a + lo, b + lo) for a, b in found] if lo else found
        to_view = self._to_view
        out = []
        for a, b in found:
            v = to_view(a)
            out.append((v, v + b - a))
        return out

    def _fragments(self) -> list[tuple[int, int]]:
        """``self._spans(_FRAGMENT)``: the one-letter words but و (a letter alone between two
        \\b). Empty when the word set has none; found with `str.find` when the letters are
        rare in the text, else (a common letter alone, as ل or ب in tokenised text) with the
        regex scan, since `str.find` would stop at each of its occurrences inside words."""
        words = self.words
        if 1 not in map(len, words):
            return []
        ones = [t for t in words if len(t) == 1 and t != "و"]
        if not ones:
            return []
        if sum(map(self.joined.count, ones)) > 24:
            return self._spans(_FRAGMENT)
        return self._word_spans(ones)

    def _spans(self, pattern: re.Pattern) -> list[tuple[int, int]]:
        """View spans of a pattern's matches inside the regions (never across two)."""
        if len(self.regions) == 1:
            lo = self.regions[0][0]
            return [(m.start() + lo, m.end() + lo) for m in pattern.finditer(self.joined)]
        to_view = self._to_view
        out = []
        for m in pattern.finditer(self.joined):
            s = to_view(m.start())
            out.append((s, s + m.end() - m.start()))
        return out

    def _mark_spans(self) -> list[tuple[int, int]]:
        """`_spans(_MARKS)`: runs of quotes and brackets with a space on either side.

        Found as runs of marks, widened by a space before (unless the previous
        match took it) and after: the same spans as the regex's leftmost
        non-overlapping matches, without trying the optional space at every position.
        """
        joined = self.joined
        if len(self.regions) == 1:
            lo = self.regions[0][0]
            to_view = None
        else:
            lo, to_view = 0, self._to_view
        out = []
        prev_end = 0
        n = len(joined)
        # the maximal runs of marks (_MARK_RUN's matches), from str.find: a regex scan tries
        # every position, and most stretches hold a few marks or none
        found = []
        for mark in '"()':
            j = joined.find(mark)
            while j != -1:
                found.append(j)
                j = joined.find(mark, j + 1)
        found.sort()
        runs = []
        for j in found:
            if runs and runs[-1][1] == j:
                runs[-1][1] = j + 1
            else:
                runs.append([j, j + 1])
        for a, b in runs:
            if a > prev_end and joined[a - 1] == " ":
                a -= 1
            if b < n and joined[b] == " ":
                b += 1
            prev_end = b
            if to_view is None:
                out.append((a + lo, b + lo))
            else:
                v = to_view(a)
                out.append((v, v + b - a))
        return out

    def _prev_word(self, pos: int) -> tuple[int, int] | None:
        """The word before `pos` on the same line (quotes and brackets skipped)."""
        i = pos - 1
        view = self.view
        while i >= 0 and view[i] in ' "\'(':
            i -= 1
        if i < 0 or not view[i].isalnum():
            return None
        end = i + 1
        while i >= 0 and view[i].isalnum():
            i -= 1
        return i + 1, end

    def _trigger(self, ws: int) -> tuple[tuple[int, int], str] | None:
        """The trigger word standing right before a word starting at ws, and its type."""
        prev = self._prev_word(ws)
        if prev is None:
            return None
        for cand, _ in _stems(self.view[prev[0]:prev[1]]):
            if cand in PLACE_TRIGGERS:
                return prev, "place"
            if cand in SOURCE_TRIGGERS:
                return prev, "source"
            if cand in ACTOR_TRIGGERS:
                return prev, "actor"
        return None

    def run(self) -> list[dict]:
        hits = self._exact()
        hits += self._triggered(hits)
        hits += self._actor_triggered(hits)
        hits += self._fuzzy(hits)
        hits = sorted((h for h in hits if h.match != "replaced"), key=lambda h: (h.start, h.end))
        self._resolve(hits)
        more = self._anaphors(hits)
        if more:
            hits = sorted(hits + more, key=lambda h: (h.start, h.end))
        self._metonyms(hits)
        out = []
        for h in hits:
            m = self._mention(h)
            if m is not None:
                out.append(m)
        return out

    def _anaphors(self, hits: list[_Hit]) -> list[_Hit]:
        """Bare heads (التنظيم، النظام، الجيش …) that refer back to the one candidate the
        document names (`gazetteer_anaphor`); scanned only for heads with a candidate."""
        decided = [(h.start, h.end, h.decided) for h in hits if h.decided is not None and h.match != "drop"]
        if not decided:
            return []
        kind = anaphor.kinds(self.gaz)
        wanted = set()
        for _, _, i in decided:
            wanted |= kind.get(i, frozenset())
        if not wanted:
            return []
        found = []
        for lo, hi in self.regions:
            found += anaphor.heads(self.view, lo, hi, sorted(wanted))
        if not found:
            return []
        spans = sorted((h.start, h.end) for h in hits if h.match != "drop")
        found = [f for f in found if not _overlaps(spans, f[0], f[1])]
        nl = self.view.find("\n")
        headline_end = nl if 0 < nl <= anaphor.HEADLINE_MAX else 0
        out = []
        for (s, e, _), got in zip(found, anaphor.resolve(found, decided, headline_end, self.gaz, self.view)):
            if got is None:
                continue
            i, a, b = got
            out.append(_Hit(s, e, [], "exact", decided=i, how="anaphor", antecedent=(a, b)))
        return out

    def _metonyms(self, hits: list[_Hit]) -> None:
        """Countries and capitals that are the subject of a verb of speech or action
        ("وأعلنت روسيا", "أنقرة تتهم") stay place mentions and name their state's government
        in `acts_as` (`gazetteer_metonymy`)."""
        targets = metonymy.targets(self.gaz)
        view = self.view
        prev_end = -1  # where the last metonymic mention ends
        for h in hits:
            gov = targets.get(h.decided)
            if gov is None or h.match == "drop" or h.how == "anaphor":
                continue
            ws = h.ws if 0 <= h.ws <= h.start else h.start
            # "وأعلنت موسكو وطهران": a state joined by و to a subject is a subject too
            joined = prev_end >= 0 and view[prev_end:ws] == " " and view[ws:h.start] == "و"
            if joined or metonymy.is_subject(view, ws, h.start, h.end):
                h.acts_as = self.gaz.entries[gov].id
                prev_end = h.end

    # -- finding ----------------------------------------------------------------------
    def _exact(self) -> list[_Hit]:
        """Names and aliases (and, after a place word, their article variants)."""
        view = self.view
        phrase_forms = self.gaz._phrase_forms
        trig_cache: dict[int, tuple | None] = {}
        # (start, end, phrase, prefix, payload or None for all the phrase's payloads), resolved
        # per occurrence; the forms are read from the phrase only for what is kept
        items = [(s, e, ph, p, None) for s, e, ph, p in self._occurrences()]
        for m in self._quoted() + self._after_place_words():
            if m.payload[1].kind == "variant":
                ws = m.start - len(m.prefix)
                if ws not in trig_cache:
                    trig_cache[ws] = self._trigger(ws)
                t = trig_cache[ws]
                if t is None or t[1] != "place":
                    continue
            items.append((m.start, m.end, m.phrase, m.prefix, m.payload))
        phrase_kinds = self.gaz._phrase_kinds
        by_span: dict[tuple[int, int], list] = {}  # span -> [forms, where the word starts, kinds or None]
        for s, e, ph, p, pl in _resolve_clusters(items):
            forms = phrase_forms[ph] if pl is None else ((pl[1], pl[0]),)
            got = by_span.get((s, e))
            if got is None:
                by_span[(s, e)] = [list(forms), s - len(p), phrase_kinds[ph] if pl is None else None]
            else:
                got[0].extend(forms)
                got[1] = s - len(p)
                got[2] = None  # several sources: the kinds are read from the forms
        hits = []
        # kept spans never overlap unless equal, and come in text order: by_span is sorted already
        for (s, e), (forms, ws, kinds) in by_span.items():
            if kinds is None:
                kinds = {f.kind for f, _ in forms}
            if "exact" in kinds:
                if len(kinds) > 1:  # a real name beats a variant of another
                    forms = [x for x in forms if x[0].kind == "exact"]
                hits.append(_Hit(s, e, forms, "exact", ws=ws))
                continue
            if "joined" in kinds:  # a multi-word name written without its spaces
                match, score = "fuzzy", _similarity(view[s:e], forms[0][1], 1)
            else:
                match, score = "variant", None
            t = trig_cache[ws] if ws in trig_cache else self._trigger(ws)
            hits.append(_Hit(s, e, forms, match, score, trigger=t[0] if t else None, trigger_type=t[1] if t else None))
        return hits

    def _place_words(self) -> list[tuple[int, int]]:
        """View spans of the place words (مدينة، بلدة، ريف …, with clitics), found once."""
        if self._places is None:
            self._places = self._word_spans(self.words & PLACE_WORD_FORMS)  # = self._spans(_PLACE_WORD)
        return self._places

    def _after_place_words(self) -> list[Match]:
        """Article variants of place names, which stand only after a place word."""
        variants = self.gaz._variants
        if not variants:
            return []
        view = self.view
        out = []
        for _, te in self._place_words():
            m = _NEXT_NAME.match(view, te)
            if m and m.group(1) in variants:
                out += [Match(m.start(1), m.end(1), f, (f, form), "", "") for f, form in variants[m.group(1)]]
        return out

    def _quoted(self) -> list[Match]:
        """Multi-word names with quotes or brackets inside: تنظيم "الدولة"، تنظيم (الدولة).

        Where marks stand between two words that are neighbours in some name, the
        name's other words are looked for around them, marks allowed between any
        two. A closing mark right after the name is included when its opening one is.
        """
        view = self.view
        if '"' not in self.joined and "(" not in self.joined:
            return []
        pairs = self.gaz._pairs
        pair_seconds = self.gaz._pair_seconds
        payloads = self.gaz.matcher._payloads
        form_words = self.gaz._form_words  # a name's words, split once per process
        out: dict[tuple, Match] = {}
        n = len(view)
        # what the names' other words are checked against, read once per position: the word
        # before a position with its stems, the word after one (marks skipped)
        before_at: dict[int, tuple | None] = {}
        after_at: dict[int, tuple | None] = {}
        for qs, qe in self._mark_spans():
            if not (qs > 0 and view[qs - 1].isalnum() and qe < n and view[qe].isalnum()):
                continue  # marks between two words only
            after = _WORD.match(view, qe)
            if after is None or after.group() not in pair_seconds:
                continue
            before = _word_before(view, qs)
            if before is None:
                continue
            second = after.group()
            for stem, prefix in _stems(view[before[0]:before[1]]):
                for form, i in pairs.get((stem, second), ()):
                    words = form_words.get(form)
                    if words is None:
                        words = form_words[form] = form.split(" ")
                    if prefix and i:
                        continue  # only a name's first word carries clitics
                    start = before[0] + len(prefix)
                    ok = True
                    for j in range(i - 1, -1, -1):  # the words before the pair, right to left
                        got = before_at.get(start, False)
                        if got is False:
                            prev = _word_before(view, start)
                            got = before_at[start] = None if prev is None else (prev[0], _stems(view[prev[0]:prev[1]]))
                        if got is None:
                            ok = False
                            break
                        # only the name's first word may carry clitics
                        p = next((p for st, p in got[1] if st == words[j] and (j == 0 or not p)), None)
                        if p is None:
                            ok = False
                            break
                        start, prefix = got[0] + len(p), p
                    end = after.end()
                    for w in words[i + 2:]:  # the words after the pair
                        nxt = after_at.get(end, False)
                        if nxt is False:
                            m = _WORD_AFTER_MARKS.match(view, end)
                            nxt = after_at[end] = None if m is None else (m.group(1), m.end())
                        if nxt is None or nxt[0] != w:
                            ok = False
                            break
                        end = nxt[1]
                    if not ok or (end < n and view[end].isalnum()):
                        continue
                    ws = start - len(prefix)
                    if ws > 0 and view[ws - 1].isalnum() or prefix not in NOUN_PREFIXES:
                        continue
                    inside = view[start:end]
                    close = _CLOSING_MARK.match(view, end)
                    if close and (close.group(1) == '"' and inside.count('"') % 2 or close.group(1) == ")" and "(" in inside):
                        end = close.end()
                    for payload in payloads.get(form, ()):
                        out.setdefault((start, end, form, id(payload)), Match(start, end, form, payload, prefix, ""))
        return list(out.values())

    def _typed(self, h: _Hit) -> str | None:
        """The type the word before an exact hit asks for (قناة → source), looked up once."""
        if h.ws >= 0:
            t = self._trigger(h.ws)
            h.trigger, h.trigger_type = (t[0], t[1]) if t else (None, None)
            h.ws = -1
        return h.trigger_type

    def _triggered(self, found: list[_Hit]) -> list[_Hit]:
        """Unknown names after place words: a close spelling of a place, else id null."""
        view = self.view
        spans = sorted((h.start, h.end) for h in found)
        out = []
        for ts, te in self._place_words():
            trigger = _bare_trigger(view[ts:te])
            if trigger not in UNRESOLVED_TRIGGERS:
                continue
            for s, e in self._names_after(te, trigger in LIST_TRIGGERS):
                if not _overlaps(spans, s, e):
                    out.append(self._unknown_name(s, e, ts, te))
        return out

    def _actor_triggered(self, found: list[_Hit]) -> list[_Hit]:
        """Unknown units and tribes after a unit word ("لواء X", "عشيرة X", "اللواء 105"): an
        actor with id null and its trigger (`gazetteer_actor_triggers`)."""
        # one scan of the regions' joined text (no name crosses the line breaks that join them)
        cands = actor_triggers.find(self.joined)
        if not cands:
            return []
        if len(self.regions) > 1 or self.regions[0][0]:
            to_view = self._to_view
            cands = [(to_view(ts), to_view(te - 1) + 1, to_view(s), to_view(e - 1) + 1) for ts, te, s, e in cands]
        # a weak alias inside the unit's name ("الشام" in "لواء أجناد الشام", the paper "اللواء"
        # in "اللواء 105") gives way; any other name keeps its place
        weak = [h for h in found if h.forms and not any(f.strong for f, _ in h.forms)]
        spans = sorted((h.start, h.end) for h in found if h.match == "trigger" or any(f.strong for f, _ in h.forms))
        out = []
        for ts, te, s, e in cands:
            start = min(ts, s)
            if _overlaps(spans, start, e) or any(h.start == s and h.end == e for h in weak):
                continue  # a weak alias that is the whole name is read after its trigger: ميليشيات الحشد
            for h in weak:
                if h.start < e and start < h.end:
                    h.match = "replaced"
            out.append(_Hit(s, e, [], "trigger", None, (ts, te), "actor"))
        return out

    def _names_after(self, pos: int, several: bool) -> list[tuple[int, int]]:
        """The name after a trigger word; after a plural or dual one ("قرى", "قريتي"),
        the names of the list it opens: "قريتي " زبيدة " و " خساف "", "قرى أبو هريرة ,
        المشيرفة , الكرين والمحمية" (comma or و between them, quotes allowed)."""
        view = self.view
        out: list[tuple[int, int]] = []
        name = self._name_at(pos + 1) if pos < len(view) and view[pos] == " " else None
        while name is not None:
            # in a list, a word that starts with و is a new clause or another place word, not
            # a name ("قرى وبلدات", "قرى وقتلت", "الفرات , وأجبرت"): the و that joins two names
            # is read by the separator ("الرشيد وأبو قبرة")
            if several and view[name[0]] == "و" and not self._name_head(name):
                break
            if len(out) and view[name[1] - 2:name[1]] == "وا":  # "الدبس وأطلقوا": a plural verb
                break
            out.append(name)
            if not several or len(out) == 8:
                break
            sep = _LIST_SEP.match(view, name[1])
            name = self._name_at(sep.end()) if sep is not None else None
        return out

    def _name_head(self, name: tuple[int, int]) -> bool:
        """Whether a name starting with و starts with a word that opens names (وادي)."""
        first = self.view[name[0]:name[1]].split(" ")[0]
        return first in NAME_HEADS

    def _unknown_name(self, s: int, e: int, ts: int, te: int) -> _Hit:
        """A name after a trigger word that no exact name covers: a close spelling of a
        place, else a place with id null and the trigger."""
        text = self.view[s:e]
        best = self.gaz._fuzzy(text, "trigger")
        if best is None and " " in text:
            best = self.gaz._fuzzy(text.split(" ")[0], "trigger")
            if best is not None:
                e = s + len(text.split(" ")[0])
        if best is not None:
            form, score = best
            forms = [(x, form) for x in self.gaz.forms[form] if x.strong and self.gaz.entries[x.entry].type == "place"]
            if forms:
                return _Hit(s, e, forms, "fuzzy", score, (ts, te), "place")
        return _Hit(s, e, [], "trigger", None, (ts, te), "place")

    def _name_at(self, pos: int) -> tuple[int, int] | None:
        """The name of a place starting at `pos` (after a trigger word and its space, or
        after a list separator): one word, two when the first is a name head; in quotes,
        the words up to the closing quote (at most four)."""
        view = self.view
        q = _QUOTED_NAME.match(view, pos)
        if q is not None:  # quoted, it is a name even if a word of it is also a common one: "جديدة مخيط"
            first = q.group(1).split(" ")[0]
            if _bare_trigger(first) not in PLACE_TRIGGERS and len(_core(first)) >= 2:
                return q.start(1), q.end(1)
        m = _ITEM_NAME.match(view, pos)
        if m is None:
            return None
        first, second = m.group(1), m.group(2)
        # "قرى بقضاء حمص": a place word, perhaps with a clitic, is not a name
        if first in NOT_NAMES or _bare_trigger(first) in PLACE_TRIGGERS or len(_core(first)) < 2:
            return None
        if second and first in NAME_HEADS and second not in NOT_NAMES:
            return m.start(1), m.end(2)
        return m.start(1), m.end(1)

    def _fuzzy(self, found: list[_Hit]) -> list[_Hit]:
        """Misspelt and variant names among the words no other hit covers.

        Measured on the development articles, one edit on any word of five letters
        or more finds mostly ordinary words (السورية → السكرية, القانون → القابون,
        الأخبار → الأنبار: 32,000 hits on 2,400 articles, nearly all wrong), so the
        fallback looks only where a misspelling is likely and safe:

        - a multi-word name with one telling word identical and each other word one
          edit away ("قوات سوريا الديموقراطية"); it may swallow shorter exact hits
          inside it, as `resolve_overlaps` would (their `match` becomes "replaced");
        - a name split by a stray space ("السعودي ة", "الر ق ة");
        - one word one edit from a name the document has exactly ("الميادبن" beside
          "الميادين"; six letters or more without ال), or from any name when the word
          is long (`LONG_WORD`).

        What a word could be is looked up once per distinct word and kept
        (`Gazetteer.word_info`), so a document costs about one dictionary look-up a word.
        """
        gaz = self.gaz
        view = self.view
        cache = gaz._info_cache
        if len(cache) >= INFO_CACHE_MAX:  # between documents, never inside one
            cache.clear()
            gaz._info_yes.clear()
        texts = self.words
        for t in texts.difference(cache):
            gaz.word_info(t)
        cands = sorted(texts & gaz._info_yes)
        # a one-letter piece is a one-letter word of the text: no such word, no regex scan
        fragments = self._fragments()
        if not cands and not fragments:
            return []
        spans = sorted(found, key=lambda h: (h.start, h.end))
        starts = [h.start for h in spans]
        out: list[_Hit] = []

        def owner(s: int, e: int) -> _Hit | None:
            for h in out:
                if h.start < e and s < h.end:
                    return h
            k = bisect.bisect_right(starts, s) - 1
            for c in (k, k + 1):
                if 0 <= c < len(spans) and spans[c].start < e and s < spans[c].end and spans[c].match != "replaced":
                    return spans[c]
            return None

        def window_ok(words: list, i: int, k: int) -> bool:
            if i < 0 or i + k > len(words):
                return False
            if any(view[words[j][1]:words[j + 1][0]] != " " for j in range(i, i + k - 1)):
                return False
            lo, hi = words[i][0], words[i + k - 1][1]
            inner = [owner(w[0], w[1]) for w in words[i:i + k]]
            got = {o for o in inner if o is not None}
            if any(h.start < lo or h.end > hi or h.match != "exact" for h in got):
                return False  # a hit reaching outside the window, or not an exact one
            return not (len(got) == 1 and None not in inner)

        def take(words: list, i: int, k: int, hit: _Hit) -> None:
            for w in words[i:i + k]:
                o = owner(w[0], w[1])
                if o is not None:
                    o.match = "replaced"
            out.append(hit)

        # where the candidate words are
        places = []
        joined = self.joined
        for t in cands:
            j = joined.find(t)
            while j != -1:
                e = j + len(t)
                if (j == 0 or not _is_letter(joined[j - 1])) and (e == len(joined) or not _is_letter(joined[e])):
                    v = self._to_view(j)
                    places.append((v, v + len(t), t))
                j = joined.find(t, j + 1)
        places.sort()
        # multi-word names with one misspelt word
        for s, e, t in places:
            parts = cache[t][0]
            if not parts or owner(s, e) is not None and owner(s, e).match != "exact":
                continue
            words, me = self._words_around(s, e, 2, 2)
            for stem, prefix, k, pos, _, _ in parts:
                i = me - pos
                if (pos and prefix) or i < 0 or i + k > len(words):
                    continue
                # the words alone decide the name (cached); where they are, whether it may be taken
                best = gaz.window_name(tuple(w[2] for w in words[i:i + k]))
                if best is not None and window_ok(words, i, k):
                    take(words, i, k, self._fuzzy_hit(words[i][0], words[i + k - 1][1], *best))
                    break
        # stray spaces: one-letter pieces next to a word ("السعودي ة", "الر ق ة", "م صر")
        nospace = gaz._nospace
        for fs, fe in fragments:
            pieces = [(fs, fe)]
            me = 0
            a = fs - 1
            if a > 0 and view[a] == " " and view[a - 1].isalnum():
                while a > 0 and view[a - 1].isalnum():
                    a -= 1
                pieces.insert(0, (a, fs - 1))
                me = 1
            for _ in range(2):
                m = _WORD_AFTER.match(view, pieces[-1][1])
                if not m:
                    break
                pieces.append(m.span(1))
            texts = [view[a:b] for a, b in pieces]
            for i, k in ((me - 1, 3), (me - 1, 2), (me, 2), (me, 3)):
                if i < 0 or i + k > len(pieces):
                    continue
                rest = "".join(texts[i + 1:i + k])
                hit = next(((nospace[st + rest], p) for st, p in _stems(texts[i]) if st + rest in nospace), None)
                if hit is None or len(hit[0]) <= 3:
                    continue
                words = [(a, b, t) for (a, b), t in zip(pieces[i:i + k], texts[i:i + k])]
                if owner(fs, fe) is None and window_ok(words, 0, k):
                    lo, hi = words[0][0], words[-1][1]
                    take(words, 0, k, self._fuzzy_hit(lo, hi, hit[0], _similarity(view[lo:hi], hit[0], k - 1), hit[1]))
                break
        # single words
        seen = None
        for s, e, t in places:
            near = cache[t][1]
            if not near or owner(s, e) is not None:
                continue
            if seen is None:  # entries the document names exactly: their other spellings are likely here
                seen = set()
                for h in found:
                    strong = {f.entry for f, _ in h.forms if f.strong}
                    if len(strong) == 1 and h.match == "exact":
                        seen |= strong
            best = None
            for stem, prefix, form, dist, n in near:
                if n >= LONG_WORD or any(x.entry in seen for x in gaz.forms[form] if x.strong):
                    best = max(best or (0.0,), (_similarity(stem, form, dist), form, prefix))
            if best is not None:
                score, form, prefix = best
                take([(s, e, t)], 0, 1, self._fuzzy_hit(s, e, form, score, prefix))
        return out

    def _words_around(self, s: int, e: int, before: int, after: int) -> tuple[list, int]:
        """The word [s, e) with up to `before` words before it and `after` after it,
        as (start, end, text) triples, and the index of [s, e) among them."""
        view = self.view
        lo = max(0, s - 16 * before)
        left = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(view, lo, s)]
        if left and left[0][0] == lo and lo > 0 and _is_letter(view[lo - 1]):
            left = left[1:]  # cut in the middle of a word
        right = []
        for m in _WORD.finditer(view, e, min(len(view), e + 16 * after)):
            right.append((m.start(), m.end(), m.group()))
            if len(right) == after:
                break
        left = left[-before:] if before else []
        return left + [(s, e, view[s:e])] + right, len(left)

    def _fuzzy_hit(self, s: int, e: int, form: str, score: float, prefix: str) -> _Hit:
        forms = [(x, form) for x in self.gaz.forms[form] if x.strong and x.kind == "exact"]
        t = self._trigger(s)
        # after لل the name starts at the article's remnant ل, as in PhraseMatcher
        return _Hit(s + len(prefix), e, forms, "fuzzy", score, t[0] if t else None, t[1] if t else None)

    # -- resolving ----------------------------------------------------------------------
    def _resolve(self, hits: list[_Hit]) -> None:
        """Decide each hit's entry; leave it undecided (with candidates) when unsure."""
        gaz = self.gaz
        # 1. hits whose forms name one entry (after the trigger word's type has spoken)
        context: list[tuple[int, int]] = []  # (entry, view position) of decided mentions
        pending = []
        for h in hits:
            if len(h.forms) == 1 and h.forms[0][0].strong:  # the common case: one name of one entry
                h.decided = h.forms[0][0].entry
                context.append((h.decided, h.start))
                continue
            entries = {f.entry for f, _ in h.forms}
            if not entries:
                continue
            strong = {f.entry for f, _ in h.forms if f.strong}
            if (len(entries) > 1 or not strong) and self._typed(h) is not None:
                typed = {i for i in entries if gaz.entries[i].type == h.trigger_type}
                if typed:
                    if typed != entries or not strong & typed:
                        h.how = "trigger"
                    entries = typed
                    # after its trigger word a weak alias is a name: مدينة الباب
                    strong = (strong & typed) or typed
            strong &= entries
            if len(entries) == 1 and strong:
                h.decided = next(iter(entries))
                context.append((h.decided, h.start))
            else:
                pending.append((h, entries, strong))
        # 2. the rest by the document's other mentions and the admin hierarchy; the
        #    occurrences of one form are decided together, so they agree
        if not pending:
            return
        where: dict[int, list[int]] = defaultdict(list)  # decided entry -> its positions
        for i, pos in context:
            where[i].append(pos)
        ctx = list(where.items())
        mentioned = set(where)
        groups: dict[tuple, list] = defaultdict(list)
        for h, entries, strong in pending:
            key = (tuple(sorted(entries)), tuple(sorted(strong)), h.how == "trigger" and h.start)
            groups[key].append(h)
        shared_weight = gaz.shared_weight
        shared = gaz._shared  # its cache, read inline: most pairs are known after a few documents
        for (entries, strong, _), group in groups.items():
            if len(entries) == 1:
                # one candidate and no strong name (stage 1 decided those): a weak alias. The
                # scores below decide only whether it is taken, which the first mention that
                # gives it support above 1.0 settles (how: "context")
                i = entries[0]
                decided = i in mentioned
                if not decided:
                    for j, positions in ctx:
                        if j == i:
                            continue
                        w = shared.get((i, j))
                        if w is None:
                            w = shared_weight(i, j)
                        # its support is w, or 1.5 w when j stands near one of the group
                        if w > 1.0 or w * 1.5 > 1.0 and any(
                                abs(pos - h.start) < 300 for h in group for pos in positions):
                            decided = True
                            break
                for h in group:
                    if decided:
                        h.decided = i
                        h.how = h.how or "context"
                    else:
                        h.match = "drop"  # a weak alias with nothing to support it is not a mention
                        h.forms = [(f, form) for f, form in h.forms if f.entry == i]
                continue
            scores = {i: (1.0 if i in strong else 0.0) + (2.0 if i in mentioned else 0.0) for i in entries}
            base = {i: 1.0 if i in strong else 0.0 for i in entries}
            near_of: dict[int, bool] = {}  # whether a mention of j stands near one of the group
            for i in entries:
                if gaz.entries[i].type != "place":
                    continue  # only places have parents: an actor or source shares no area (shared_weight 0)
                support = 0.0
                for j, positions in ctx:
                    if j == i:
                        continue
                    w = shared.get((i, j))
                    if w is None:
                        w = shared_weight(i, j)
                    if not w:
                        continue
                    near = near_of.get(j)
                    if near is None:
                        near = near_of[j] = any(abs(pos - h.start) < 300 for h in group for pos in positions)
                    support = max(support, w * (1.5 if near else 1.0))
                scores[i] += support
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            top, top_score = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else -1.0
            if top_score > second and (top in strong or top_score > 1.0):
                how = "context" if top_score > base[top] else "name"  # "name": only its name, the others' weak alias
                for h in group:
                    h.decided = top
                    h.how = h.how or how
                continue
            tops = {i for i, sc in ranked if sc == top_score}
            for h in group:
                if not strong:
                    h.match = "drop"  # a weak alias with nothing to support it is not a mention
                h.forms = [(f, form) for f, form in h.forms if f.entry in tops]

    def _mention(self, h: _Hit) -> dict | None:
        if h.match == "drop":
            return None
        start, end = self._to_raw(h.start, h.end)  # Document.nspan, without a Span
        if start >= end:
            return None
        if h.decided is not None:
            e = self.gaz.entries[h.decided]
            m = {"text": self.raw[start:end], "start": start, "end": end,
                 "id": e.id, "name": e.name, "type": e.type, "subtype": e.subtype, "match": h.match}
            if h.score is not None:
                m["score"] = h.score
            if h.how:
                m["resolved_by"] = h.how
            if h.trigger is not None and (h.match in ("trigger", "variant", "fuzzy") or h.how == "trigger"):
                m["trigger"] = self.doc.nspan_json(*h.trigger)
            if h.antecedent is not None:
                m["antecedent"] = self.doc.nspan_json(*h.antecedent)
            if h.acts_as is not None:
                m["acts_as"] = h.acts_as
            return m
        m = {"text": self.raw[start:end], "start": start, "end": end}
        if h.forms:
            gaz = self.gaz
            cands = sorted({f.entry for f, _ in h.forms})
            es = [gaz.entries[i] for i in cands]
            types = {e.type for e in es}
            names = {e.name for e in es}
            subtypes = {e.subtype for e in es}
            m.update(id=None, name=names.pop() if len(names) == 1 else None,
                     type=types.pop() if len(types) == 1 else es[0].type,
                     subtype=subtypes.pop() if len(subtypes) == 1 else None)
            m["candidates"] = [_candidate(gaz, e) for e in es]
        else:
            m.update(id=None, name=None, type=h.trigger_type or "place", subtype=None)
        m["match"] = h.match
        if h.score is not None:
            m["score"] = h.score
        if h.how:
            m["resolved_by"] = h.how
        if h.trigger is not None and (h.match in ("trigger", "variant", "fuzzy") or h.how == "trigger"):
            t = self.doc.nspan(*h.trigger)
            m["trigger"] = t.to_json()
        return m


def _candidate(gaz: Gazetteer, e) -> dict:
    out = {"id": e.id, "name": e.name, "type": e.type, "subtype": e.subtype}
    if e.parent and e.parent in gaz.by_id:
        out["parent"] = e.parent
        out["parent_name"] = gaz.entry(e.parent).name
    return out


# --- loading and caching -------------------------------------------------------------

_MEMORY: dict[str, Gazetteer] = {}


def cache_dir() -> Path:
    """Where compiled gazetteers are kept: $CLAIMX_CACHE, else the user cache folder."""
    env = os.environ.get("CLAIMX_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.path.join(os.environ.get("LOCALAPPDATA", ""), "claimx") if sys.platform == "win32" else
        os.path.expanduser("~/Library/Caches") if sys.platform == "darwin" else os.path.expanduser("~/.cache"))
    return Path(base) / "claimx"


def load_gazetteer(paths: Iterable[str | Path] = (), *, include_default: bool = True,
                   disk_cache: bool | None = None) -> Gazetteer:
    """The default gazetteer plus extension files, compiled; cached by content hash.

    Raises `claimx.errors.GazetteerError` naming file, line and key when a file is
    invalid. The compiled matcher is kept in memory for the process and pickled
    to `cache_dir()` (disable with ``disk_cache=False`` or ``CLAIMX_NO_CACHE=1``).

    >>> gaz = load_gazetteer(["extra.yaml"])  # doctest: +SKIP
    """
    from .gazetteer_files import DEFAULT_FILES, gazetteer_hash  # no YAML import on a cache hit

    paths = tuple(str(p) for p in paths)
    data_hash = gazetteer_hash(paths, include_default=include_default)
    key = f"{data_hash[:32]}-{_code_hash()}-{sys.version_info[0]}{sys.version_info[1]}"
    got = _MEMORY.get(key)
    if got is not None:
        return got
    if disk_cache is None:
        disk_cache = not os.environ.get("CLAIMX_NO_CACHE")
    file = cache_dir() / f"gazetteer-{key}.pickle"
    if disk_cache:
        try:
            with open(file, "rb") as fh:
                got = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            got = None  # absent or stale: rebuild below
    if got is None:
        from .gazetteer_data import load_entries

        entries = load_entries(paths, include_default=include_default)
        files = [f"gazetteer/{name}" for name in DEFAULT_FILES] * include_default + list(paths)
        got = Gazetteer(entries, data_hash, files)
        if disk_cache:
            _save(file, got)
    _MEMORY[key] = got
    return got


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The fingerprint of the code whose objects the pickle holds: this module (Gazetteer,
    _Matcher, Form), match.py (PhraseMatcher) and gazetteer_files.py (Entry). A pickle
    made by other code is never loaded."""
    import hashlib

    try:
        here = Path(__file__)
        digest = hashlib.sha256(here.read_bytes())
        for name in ("match.py", "gazetteer_files.py"):
            digest.update(here.with_name(name).read_bytes())
        return digest.hexdigest()[:12]
    except OSError:
        return CACHE_VERSION


def _save(file: Path, gaz: Gazetteer) -> None:
    """Write the pickle atomically; a cache that cannot be written is only slower."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        from .io import write_atomic

        write_atomic(file, pickle.dumps(gaz, protocol=pickle.HIGHEST_PROTOCOL), sync=False)
        # pickles made by another version of this module can never be loaded again
        for old in file.parent.glob("gazetteer-*.pickle"):
            if f"-{_code_hash()}-" not in old.name:
                old.unlink(missing_ok=True)
    except OSError:
        pass
