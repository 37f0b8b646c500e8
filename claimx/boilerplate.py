"""Page furniture in scraped text: marked, never removed.

Scraped articles carry menus, share bars, sign-up forms, related-article lists,
comment prompts and footers glued to the story. `mark_boilerplate` flags the
sentences that are such furniture (`Sentence.boilerplate = True`; the claim
stage skips them) and, where furniture sits inside a sentence ("… the story.
مواضيع ذات صلة <teasers>"), splits the sentence so that the story part keeps
its claims. The text is never altered: every sentence keeps raw offsets.

The markers are data: `claimx/lexicons/boilerplate.yaml` (format documented
there). Rules, applied on the normalised view:

- line rules: a `tail` phrase (related lists, tags) makes the rest of its
  line boilerplate; an `end` phrase (a footer only furniture opens) makes the
  rest of the page boilerplate; a `phrase` is cut out by itself; a line of `alone` words
  (تعليقات، شارك) is boilerplate; a run of `pipe_run` "|" is boilerplate, and
  a whole line of short "|"-separated items is a menu;
- sentence rules: a `rest` phrase (forms, copyright, comment prompts) makes
  the rest of its sentence boilerplate; a sentence that is mostly symbols
  (", , , ,", "{ * form * }"); the second and later copies of a sentence
  (sidebars repeat teasers; the first copy keeps its claims); teasers cut off
  by an ellipsis (". . .", "…") when a line holds `teaser_run` of them.

Measured on the dev gold (tests/gold/dev-baly-*.yaml): no claim lost, three
spurious claims fewer; see docs/input.md.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .errors import LexiconError
from .model import Document, Sentence, new_sentence

_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_LINE = re.compile(r"[^\n]+")
_ELLIPSIS_END = re.compile(r"(?:\.[ \t]*\.[ \t]*\.|…)[ \t]*$")
_DOTS_AFTER = re.compile(r"[ \t]*\.[ \t]*\.")
_SYMBOLS = tuple(",.،؛:;|/\\-_*#{}()[]<>=+!?؟\"'0123456789٠١٢٣٤٥٦٧٨٩")
_SYMBOL = re.compile("[" + "".join(re.escape(c) for c in sorted(set(_SYMBOLS))) + "]")  # one scan, not 48 counts
_RULES = ("pipe_run", "min_letters", "repeat", "repeat_words", "teaser_run")


@dataclass(frozen=True)
class Markers:
    rest: re.Pattern | None
    tail: re.Pattern | None
    phrase: re.Pattern | None
    alone: frozenset
    end: re.Pattern | None = None
    pipe_run: int = 3
    min_letters: float = 0.35
    repeat: int = 2
    repeat_words: int = 4
    teaser_run: int = 2
    # every rest/tail/phrase marker, lower-cased, for one Aho-Corasick pass: {kind}
    automaton: object = None


def _compile(phrases: list[str], where: str, key: str) -> re.Pattern | None:
    from .normalize import fold

    folded = set()
    for i, p in enumerate(phrases):
        if not isinstance(p, str) or not p.strip():
            raise LexiconError(where, f"entry {i + 1} is not a phrase", key=key)
        folded.add(fold(p))
    if not folded:
        return None
    alts = sorted(folded, key=len, reverse=True)
    body = "|".join(re.escape(f).replace(r"\ ", r"[ \t]+") for f in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def load_markers(path: str | None = None) -> Markers:
    """The markers of a boilerplate YAML file (default: the shipped one)."""
    if path is None:
        return _default_markers()
    with open(path, encoding="utf-8") as fh:
        return _parse(fh.read(), path)


@lru_cache(maxsize=1)
def _default_markers() -> Markers:
    text = resources.files("claimx.lexicons").joinpath("boilerplate.yaml").read_text("utf-8")
    return _parse(text, "claimx/lexicons/boilerplate.yaml")


def _parse(text: str, where: str) -> Markers:
    import yaml

    from .normalize import fold

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise LexiconError(where, f"not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise LexiconError(where, "must be a mapping of rest/tail/phrase/alone/rules")
    unknown = set(data) - {"rest", "tail", "phrase", "alone", "end", "rules"}
    if unknown:
        raise LexiconError(where, f"unknown key(s): {', '.join(sorted(unknown))}", key=sorted(unknown)[0])
    lists = {}
    for key in ("rest", "tail", "phrase", "alone", "end"):
        value = data.get(key) or []
        if not isinstance(value, list):
            raise LexiconError(where, "must be a list of phrases", key=key)
        lists[key] = value
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise LexiconError(where, "must be a mapping", key="rules")
    defaults = Markers(None, None, None, frozenset())
    kwargs = {}
    for name in _RULES:
        if name in rules:
            want = type(getattr(defaults, name))
            value = rules[name]
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not want:
                raise LexiconError(where, f"must be a {want.__name__}", key=f"rules.{name}")
            kwargs[name] = value
    unknown = set(rules) - set(_RULES)
    if unknown:
        raise LexiconError(where, "unknown rule", key=f"rules.{sorted(unknown)[0]}")
    alone = frozenset(" ".join(_WORD.findall(fold(str(w)).lower())) for w in lists["alone"])
    return Markers(
        _compile(lists["rest"], where, "rest"),
        _compile(lists["tail"], where, "tail"),
        _compile(lists["phrase"], where, "phrase"),
        alone,
        _compile(lists["end"], where, "end"),
        **kwargs,
        automaton=_automaton({k: lists[k] for k in ("rest", "tail", "phrase", "end")}),
    )


def _automaton(lists: dict[str, list[str]]):
    """One Aho-Corasick automaton over every marker (regexes over 40 MB take seconds)."""
    try:
        import ahocorasick
    except ImportError:  # the regexes do the same, slower
        return None
    from .normalize import fold

    auto = ahocorasick.Automaton()
    for kind, phrases in lists.items():
        for p in phrases:
            key = " ".join(fold(p).lower().split())
            kinds = auto.get(key)[1] if key in auto else frozenset()
            auto.add_word(key, (key, kinds | {kind}))
    if not len(auto):
        return None
    auto.make_automaton()
    return auto


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _marker_hits(view: str, m: Markers) -> dict[str, list[tuple[int, int]]]:
    """Where each kind of marker occurs in the view, as whole words, in order."""
    hits: dict[str, list[tuple[int, int]]] = {"rest": [], "tail": [], "phrase": [], "end": []}
    low = view.lower()
    if m.automaton is not None and len(low) == len(view):
        for end, (key, kinds) in m.automaton.iter(low):
            start, stop = end - len(key) + 1, end + 1
            if (start and _is_word(view[start - 1])) or (stop < len(view) and _is_word(view[stop])):
                continue
            for kind in kinds:
                hits[kind].append((start, stop))
        for kind in hits:
            hits[kind].sort()
        return hits
    for kind, rx in (("rest", m.rest), ("tail", m.tail), ("phrase", m.phrase), ("end", m.end)):
        if rx is not None:
            hits[kind] = [x.span() for x in rx.finditer(view)]
    return hits


# -- line rules --------------------------------------------------------------------

def _line_regions(view: str, m: Markers, hits: dict) -> list[tuple[int, int]]:
    regions = list(hits["phrase"])
    for a, _ in hits["tail"]:
        end = view.find("\n", a)
        regions.append((a, len(view) if end < 0 else end))
    if hits["end"]:
        regions.append((hits["end"][0][0], len(view)))  # a footer opener: the rest of the page
    pipes = re.compile(r"(?:\|[ \t]*){%d,}" % max(1, m.pipe_run))
    for lm in _LINE.finditer(view):
        ls, le, line = lm.start(), lm.end(), lm.group()
        if m.alone and len(line) <= 80:  # a line of a few share/comment words
            words = " ".join(_WORD.findall(line.lower()))
            if words and (words in m.alone or all(w in m.alone for w in words.split())):
                regions.append((ls, le))
                continue
        if "|" in line and line.count("|") >= m.pipe_run:
            items = [i for i in line.split("|") if i.strip()]
            if items and sum(len(i.split()) for i in items) <= 4 * len(items):
                regions.append((ls, le))  # a menu: short items between bars
                continue
        if "|" in line:
            regions.extend((ls + p.start(), ls + p.end()) for p in pipes.finditer(line))
    return _merge(regions)


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(regions):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _split(doc: Document, sentences: list[Sentence], regions: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences cut at the regions; region pieces flagged as boilerplate."""
    if not regions:
        return list(sentences)
    view = doc.normalized
    out: list[Sentence] = []
    ri = 0
    for s in sentences:
        while ri < len(regions) and regions[ri][1] <= s.nstart:
            ri += 1
        cuts = []
        rj = ri
        while rj < len(regions) and regions[rj][0] < s.nend:
            cuts.append((max(regions[rj][0], s.nstart), min(regions[rj][1], s.nend)))
            rj += 1
        if not cuts:
            out.append(s)
            continue
        if cuts[0][0] <= s.nstart and cuts[-1][1] >= s.nend and len(cuts) == 1:
            out.append(replace(s, boilerplate=True))
            continue
        pieces, pos = [], s.nstart
        for a, b in cuts:
            if a > pos:
                pieces.append((pos, a, s.boilerplate))
            pieces.append((a, b, True))
            pos = b
        if pos < s.nend:
            pieces.append((pos, s.nend, s.boilerplate))
        for a, b, flag in pieces:
            seg = view.text[a:b]
            a2 = a + len(seg) - len(seg.lstrip())
            b2 = a + len(seg.rstrip())
            if a2 >= b2:
                continue
            if not flag and not _LETTER.search(view.text, a2, b2):
                flag = True  # punctuation left between two cuts
            rs, re_ = view.to_raw(a2, b2)
            out.append(new_sentence(s.index, rs, re_, a2, b2, flag))
    return out


# -- sentence rules ----------------------------------------------------------------

def _sentence_flags(doc: Document, sentences: list[Sentence], m: Markers) -> list[bool]:
    view = doc.normalized.text
    texts = [view[s.nstart:s.nend] for s in sentences]
    # teasers cut off by an ellipsis, counted by line; the line of a sentence is looked
    # up only for these (a search back to the line start for every sentence was a
    # tenth of the stage on pages with long lines)
    cut_line: list[int | None] = [None] * len(sentences)
    runs: Counter = Counter()
    if m.teaser_run:
        for k, (s, t) in enumerate(zip(sentences, texts)):
            if t[-1:] in (".", "…") and not s.boilerplate:
                ends = _ELLIPSIS_END.search(t[-12:]) or (t.endswith(".") and _DOTS_AFTER.match(view, s.nend, s.nend + 8))
                if ends and t.count('"') % 2 == 0:
                    line = cut_line[k] = view.rfind("\n", 0, s.nstart) + 1
                    runs[line] += 1
    min_letters, repeat, repeat_words, teaser_run = m.min_letters, m.repeat, m.repeat_words, m.teaser_run
    seen: dict[str, int] = {}
    flags = []
    for s, t, line in zip(sentences, texts, cut_line):
        if s.boilerplate:
            flags.append(True)
            continue
        tokens = t.split()
        flag = False
        if len(tokens) >= 4 and min_letters:
            nonspace = sum(map(len, tokens))
            if len(_SYMBOL.findall(t)) >= (1 - min_letters) * nonspace * 0.5:  # cheap test first
                flag = sum(map(len, _WORD.findall(t))) < min_letters * nonspace
        if repeat and len(tokens) >= repeat_words:
            key = " ".join(tokens)
            count = seen[key] = seen.get(key, 0) + 1
            flag = flag or count >= repeat
        flag = flag or (line is not None and runs[line] >= teaser_run)
        flags.append(bool(flag))
    return flags


def mark_boilerplate(doc: Document, sentences: list[Sentence], markers: Markers | None = None) -> list[Sentence]:
    """Sentences with page furniture flagged (and split out); indices renumbered.

    >>> from claimx.segment import split_sentences
    >>> d = Document("x", "قال المرصد إن القصف مستمر. كلمة السر : أكد كلمة السر")
    >>> [(d.text[s.start:s.end], s.boilerplate) for s in split_sentences(d)]
    [('قال المرصد إن القصف مستمر.', False), ('كلمة السر : أكد كلمة السر', True)]
    """
    m = markers or _default_markers()
    view = doc.normalized.text
    hits = _marker_hits(view, m)
    pieces = _split(doc, sentences, _line_regions(view, m, hits))
    if hits["rest"]:
        starts = [a for a, _ in hits["rest"]]
        rest = []
        for s in pieces:
            i = bisect_left(starts, s.nstart)
            if s.boilerplate or i == len(starts) or hits["rest"][i][1] > s.nend:
                continue
            hit = starts[i]
            # a few words before the phrase ("البريد الإلكتروني : كلمة السر") are part of the form
            short = len(_WORD.findall(view, s.nstart, hit)) <= 3
            rest.append((s.nstart if short else hit, s.nend))
        pieces = _split(doc, pieces, rest)
    flags = _sentence_flags(doc, pieces, m)
    return [
        new_sentence(i, s.start, s.end, s.nstart, s.nend, flag) if (s.index != i or s.boilerplate != flag) else s
        for i, (s, flag) in enumerate(zip(pieces, flags))
    ]
