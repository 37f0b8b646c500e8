"""Lay the words of a multi-word token over its surface, without trusting a tool's offsets.

Arabic tools split clitics off a written word (وقال → و + قال, للجزيرة → ل + الجزيرة,
عليها → على + ها) and their word forms need not concatenate back to the surface. Both
engines use `split_token` to give each word raw offsets inside the token, or to admit
that they cannot.
"""
from __future__ import annotations

import re

_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "س", "لل")
_ENCLITIC_MAX = 3  # ه ها هم هما هن نا كم ي
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def plain(s: str) -> str:
    """Without diacritics and tatweel."""
    return _DIACRITICS.sub("", s or "")


def split_token(surface: str, forms: list[str]) -> list[tuple[int, int]] | None:
    """Lay the word forms of a multi-word token over its surface, or None.

    Exact concatenation first; then proclitics peeled off the front and short enclitics
    off the back, the one word left taking the middle (ل + الجزيرة over "للجزيرة" gives
    "ل" and "لجزيرة"). Offsets are relative to the token.

    >>> split_token("وقال", ["و", "قال"])
    [(0, 1), (1, 4)]
    >>> split_token("للجزيرة", ["ل", "الجزيرة"])
    [(0, 1), (1, 7)]
    """
    forms_plain = [plain(f) for f in forms]
    if "".join(forms_plain) == plain(surface) and len(surface) == len(plain(surface)):
        out, pos = [], 0
        for f in forms_plain:
            out.append((pos, pos + len(f)))
            pos += len(f)
        return out
    n = len(forms)
    res: list[tuple[int, int] | None] = [None] * n
    start, end, i, j = 0, len(surface), 0, n - 1
    while i < j and forms_plain[i] in _PROCLITICS and surface.startswith(forms_plain[i], start):
        res[i] = (start, start + len(forms_plain[i]))
        start += len(forms_plain[i])
        i += 1
    while j > i and 0 < len(forms_plain[j]) <= _ENCLITIC_MAX and surface[:end].endswith(forms_plain[j]) and end - len(forms_plain[j]) > start:
        res[j] = (end - len(forms_plain[j]), end)
        end -= len(forms_plain[j])
        j -= 1
    if i != j or start >= end:
        return None
    res[i] = (start, end)
    return res  # type: ignore[return-value]
