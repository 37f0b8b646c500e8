"""Clitic-aware phrase matching on the normalised view.

Arabic glues conjunctions and prepositions to the next word (وأكدت، للجزيرة،
بريف، وبالبوكمال). Lexicons list bare forms; the matcher finds every
occurrence with an Aho-Corasick automaton and then accepts it only when what
stands between the word start and the match is an allowed proclitic chain, and
what follows up to the word end is an allowed enclitic. Word boundaries are
respected: "سوريا" is not found inside "سوريالي".

The definite article: a phrase that starts with ال also matches after the
preposition ل, where Arabic writes لل (للبوكمال = ل + البوكمال).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Iterable

import ahocorasick

# Proclitic chains for names and nouns: conjunction (و ف) then preposition (ب ل ك).
NOUN_PREFIXES = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"})
# Verbs take a conjunction, the future marker س and the subjunctive/jussive ل.
VERB_PREFIXES = frozenset({"", "و", "ف", "س", "وس", "فس", "ل", "ول", "فل"})
# The article with its proclitics, for lexicons that list indefinite forms (معلومات → المعلومات).
ARTICLE_PREFIXES = frozenset({"ال", "وال", "فال", "بال", "كال"})
NO_SUFFIXES = frozenset({""})
# Object and possessive pronouns that may close a cue word (تناقلتها، أكده).
PRONOUN_SUFFIXES = frozenset({"", "ه", "ها", "هم", "هما", "هن", "نا", "كم"})

_AL = "ال"
_LAM_PREFIXES = frozenset({"ل", "ول", "فل"})


def is_word_char(c: str) -> bool:
    return c.isalnum() and c != "_"


@dataclass(frozen=True)
class Match:
    start: int  # view offsets of the matched phrase (clitics excluded)
    end: int
    phrase: str
    payload: Any
    prefix: str
    suffix: str


class PhraseMatcher:
    """Find lexicon phrases in a view text, clitics allowed around them.

    >>> m = PhraseMatcher(prefixes=NOUN_PREFIXES)
    >>> m.add("البوكمال", "abu-kamal"); m.build()
    >>> [(x.start, x.phrase, x.prefix) for x in m.find("دخلت وبالبوكمال")]
    [(7, 'البوكمال', 'وب')]
    """

    def __init__(self, prefixes: Iterable[str] = NOUN_PREFIXES, suffixes: Iterable[str] = NO_SUFFIXES):
        self.prefixes = frozenset(prefixes)
        self.suffixes = frozenset(suffixes)
        self._payloads: dict[str, list] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, phrase: str, payload: Any) -> None:
        """Add a phrase already folded with `normalize.fold`."""
        if not phrase:
            return
        self._payloads.setdefault(phrase, []).append(payload)
        self._automaton = None

    def __len__(self) -> int:
        return len(self._payloads)

    def build(self) -> None:
        a = ahocorasick.Automaton()
        for phrase in self._payloads:
            a.add_word(phrase, (phrase, False))
            # the article after ل: "للبوكمال" holds "لبوكمال"
            if phrase.startswith(_AL) and len(phrase) > 3:
                short = phrase[1:]
                if short not in self._payloads:
                    a.add_word(short, (phrase, True))
        a.make_automaton()
        self._automaton = a

    def find(self, text: str) -> list[Match]:
        """Every acceptable occurrence, in text order; overlaps are kept."""
        if not self._payloads:
            return []
        if self._automaton is None:
            self.build()
        out: list[Match] = []
        for last, (phrase, lam_article) in self._automaton.iter(text):
            _accept(text, last + 1, phrase, lam_article, self.prefixes, self.suffixes, self._payloads, out)
        out.sort(key=lambda m: (m.start, -m.end))
        return out


def _accept(text: str, end: int, phrase: str, lam_article: bool, prefixes, suffixes, payloads,
            out: list[Match]) -> None:
    """The acceptance test of one automaton hit ending at `end`: whole words with only
    the allowed clitics around them. Appends a Match per payload to `out` when it passes."""
    start = end - (len(phrase) - 1 if lam_article else len(phrase))
    ws = start
    while ws > 0 and is_word_char(text[ws - 1]) and start - ws <= 3:
        ws -= 1
    if ws > 0 and is_word_char(text[ws - 1]):
        return
    prefix = text[ws:start]
    if lam_article:
        # the match starts at the article's remnant ل; before it must stand
        # the preposition ل, optionally after a conjunction
        if prefix not in _LAM_PREFIXES:
            return
    elif prefix not in prefixes:
        return
    n = len(text)
    we = end
    while we < n and is_word_char(text[we]) and we - end <= 3:
        we += 1
    if we < n and is_word_char(text[we]):
        return
    suffix = text[end:we]
    if suffix not in suffixes:
        return
    for payload in payloads[phrase]:
        out.append(Match(start, end, phrase, payload, prefix, suffix))


class MultiMatcher:
    """Several `PhraseMatcher`s run over one text in one automaton pass.

    `find(text)` returns, for each matcher, exactly what its own `find(text)`
    returns; the claim stage runs three lexicons over every article, and the
    scan of the text is most of a `find`.
    """

    def __init__(self, matchers: Iterable[PhraseMatcher]):
        self.matchers = tuple(matchers)
        self._automaton: ahocorasick.Automaton | None = None
        self._built_from: tuple = ()

    def build(self) -> None:
        keys: dict[str, list[tuple]] = {}
        for idx, m in enumerate(self.matchers):
            if not m._payloads:
                continue
            if m._automaton is None:
                m.build()
            for key, (phrase, lam_article) in m._automaton.items():
                keys.setdefault(key, []).append((idx, phrase, lam_article))
        a = ahocorasick.Automaton()
        for key, entries in keys.items():
            a.add_word(key, tuple(entries))
        if keys:
            a.make_automaton()
        self._automaton = a if keys else None
        self._built_from = tuple(m._automaton for m in self.matchers)

    def find(self, text: str) -> list[list[Match]]:
        if self._built_from != tuple(m._automaton for m in self.matchers) or not self._built_from:
            self.build()  # a matcher changed (add) since
        outs: list[list[Match]] = [[] for _ in self.matchers]
        if self._automaton is None:
            return outs
        rules = [(m.prefixes, m.suffixes, m._payloads) for m in self.matchers]
        for last, entries in self._automaton.iter(text):
            for idx, phrase, lam_article in entries:
                _accept(text, last + 1, phrase, lam_article, *rules[idx], outs[idx])
        for out in outs:
            out.sort(key=lambda m: (m.start, -m.end))
        return outs


def resolve_overlaps(matches: Iterable[Match]) -> list[Match]:
    """Keep the longest match, then the earliest, among overlapping ones.

    The one place overlap is decided, so that "المرصد السوري لحقوق الإنسان"
    wins over "المرصد" and "قوات سوريا الديمقراطية" over "سوريا".
    Matches with the same span and different payloads are all kept.
    """
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Match] = []
    if any(m.start >= m.end for m in ordered):  # empty spans: the plain pairwise test
        taken: list[tuple[int, int]] = []
        for m in ordered:
            if any(m.start < e and s < m.end and (s, e) != (m.start, m.end) for s, e in taken):
                continue
            taken.append((m.start, m.end))
            kept.append(m)
    else:
        # the spans taken are disjoint (or equal), so kept in start order their ends
        # are in order too: only the last one starting before a match's end can overlap it
        starts: list[int] = []
        ends: list[int] = []
        for m in ordered:
            a, b = m.start, m.end
            k = bisect_left(starts, b) - 1
            if k >= 0 and ends[k] > a:
                if starts[k] != a or ends[k] != b:
                    continue
            else:
                starts.insert(k + 1, a)
                ends.insert(k + 1, b)
            kept.append(m)
    kept.sort(key=lambda m: (m.start, m.end))
    return kept
