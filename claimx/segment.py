"""Sentence and word segmentation on the normalised view, with raw offsets.

Rules, in the order they apply:
- every line break ends a segment, so a headline or dateline without final
  punctuation is a segment of its own;
- `. ! ? ؟ …` end a sentence when followed by a space or the line end, except
  inside numbers, dates and times as scraped pages write them ("11 . 10 . 2017"),
  after one-letter abbreviations ("أ. ف. ب", "U.S."), or inside a quotation
  that closes later in the same line;
- `؛ ;` and `:` never end a sentence (content after a colon belongs to its cue).
"""
from __future__ import annotations

import re
from bisect import bisect_left

from .model import Document, Sentence, new_sentence

_LINE = re.compile(r"[^\n]+")
_END = re.compile(r"[.!?…][.!?…]*")
_ANY_END = re.compile(r"[.!?…]")  # the view maps ؟ to ?; not "+": re skips to a class only when it comes first
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUOTE = re.compile('"')
_ABBREV = frozenset({"د", "م", "ه", "ق", "ص", "ج", "ب", "ف", "ا", "ت", "ش", "mr", "dr", "st", "no", "vs", "etc", "u", "s", "a"})


_LAST_WORD_REVERSED = re.compile(r"\s*([^\W\d_]+)")


def _is_abbreviation(line: str, dot: int) -> bool:
    # the word before the dot in a short window (long lines stay linear), matched on
    # the reversed window: one anchored match, not a search trying 24 places
    m = _LAST_WORD_REVERSED.match(line[max(0, dot - 24):dot][::-1])
    return bool(m) and (len(m.group(1)) == 1 or m.group(1)[::-1].lower() in _ABBREV)


def _inside_number(line: str, start: int, end: int) -> bool:
    # the characters around the stop, past spaces (no copies of the line: it may be long)
    i = start - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    j, n = end, len(line)
    while j < n and line[j].isspace():
        j += 1
    return i >= 0 and j < n and line[i].isdigit() and line[j].isdigit()


def _quote_closes_later(line: str, pos: int, quotes: list[int] | None = None) -> bool:
    """True when pos lies inside a straight-quoted passage that closes on this line.

    `quotes`: the positions of '"' in the line, when the caller has them."""
    if quotes is None:
        opened = line.count('"', 0, pos) % 2 == 1
        return opened and '"' in line[pos:]
    k = bisect_left(quotes, pos)  # quotes before pos
    return k % 2 == 1 and k < len(quotes)


def _split_line(line: str) -> list[tuple[int, int]]:
    if not _ANY_END.search(line):  # most lines of a page have no stop: one sentence
        seg = line.lstrip()
        if not seg:
            return []
        lead = len(line) - len(seg)
        return [(lead, lead + len(seg.rstrip()))]
    cuts = []
    quotes = None if '"' in line else []  # found at the first stop that needs them
    for m in _END.finditer(line):
        s, e = m.span()
        if e < len(line) and not line[e].isspace() and line[e] not in '"\')':
            continue  # "3.5", "www.site.com"
        if m.group() == "." and (_inside_number(line, s, e) or _is_abbreviation(line, s)):
            continue
        if quotes is None:
            quotes = [q.start() for q in _QUOTE.finditer(line)]
        if _quote_closes_later(line, s, quotes):
            continue
        # a closing quote or bracket right after the stop belongs to this sentence
        while e < len(line) and line[e] in '"\')':
            e += 1
        cuts.append(e)
    spans, begin = [], 0
    for c in cuts + [len(line)]:
        seg = line[begin:c].lstrip()  # two copies of the segment, not four
        if seg:
            lead = begin + (c - begin - len(seg))
            spans.append((lead, lead + len(seg.rstrip())))
        begin = c
    return spans


def split_sentences(doc: Document, boilerplate: bool = True) -> list[Sentence]:
    """Sentences of a document; offsets into both the view and the raw text.

    With `boilerplate` (the default), page furniture of scraped text (menus,
    share bars, related-article lists, forms) is flagged `boilerplate=True`
    and split out of the sentences it is glued to: see claimx/boilerplate.py.
    """
    view = doc.normalized
    out: list[Sentence] = []
    for line in _LINE.finditer(view.text):
        base = line.start()
        for s, e in _split_line(line.group()):
            rs, re_ = view.to_raw(base + s, base + e)
            out.append(new_sentence(len(out), rs, re_, base + s, base + e))
    if boilerplate:
        from .boilerplate import mark_boilerplate

        out = mark_boilerplate(doc, out)
    return out


def tokens(doc: Document) -> list[tuple[int, int]]:
    """Word tokens (letters and digits) as raw (start, end) pairs."""
    view = doc.normalized
    return [view.to_raw(*m.span()) for m in _WORD.finditer(view.text)]
