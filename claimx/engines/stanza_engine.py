"""The stanza engine: a dependency parse refines the claims the rules found.

For each claim the light engine emitted, the sentence it sits in is parsed
(tokenize, mwt, pos, lemma, depparse, and ner where a model exists) and:

- source    = the cue's ``nsubj`` subtree; a cue with no subject borrows it from the
  verb it is coordinated with or subordinated to (``conj``/``advcl``: "نفت المصادر …
  وأكدت أن"), from the noun a relative clause hangs on ("المصادر، التي قالت"), or else
  from the previous claim (pro-drop, ``resolved: true``); "نقلت X عن Y" gives Y, with
  X as ``via``; an "according to" preposition (بحسب) gives its noun;
- content   = the cue's ``ccomp``/``xcomp``/``obj`` subtree (or an oblique/adverbial clause
  introduced by أن), without the complementiser; for بحسب, the clause it modifies;
- recipient = an oblique of the cue whose ``case`` is ل ("لوكالة ستيب", "للجزيرة");
- PER/ORG entities of the sentence are source candidates (used when nothing else is).

Offsets: every span is rebuilt from token indices: a token's ``start_char``/``end_char``
into the raw sentence text we passed in, plus the sentence's raw start. Words inside a
multi-word token (و+قال, ل+الجزيرة) get offsets only when their forms can be laid over
the token's surface (clitics peeled off the edges); otherwise they share the token's
span. Stanza's own word offsets inside an MWT are never used.

The parse-consuming functions (`analyse_cue`, `refine_records`, …) are pure: they take
stanza ``Document``s, so tests build them from CoNLL-U with no model at all.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import EngineUnavailable
from . import default_models_dir, install_hint
from .align import plain as _plain
from .align import split_token

PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
# stanza's save-name endings, for folders that hold models straight from its trainers
_TRAINER_SUFFIX = {
    "tokenize": "tokenizer", "mwt": "mwt_expander", "pos": "tagger", "lemma": "lemmatizer",
    "depparse": "parser", "ner": "nertagger",
}

_QUOTES = set('"«»“”„‟\'')
_LAM = {"ل", "لـ", "لل"}
_RELATIVE = {"الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي", "اللاتي", "اللذين", "اللتين"}


# ---------------------------------------------------------------------------
# imports and models

def import_stanza():
    """Import stanza lazily, or raise EngineUnavailable naming the install command."""
    try:
        import stanza  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise EngineUnavailable(f"the stanza engine needs the 'stanza' package ({exc}); {install_hint('stanza')}") from exc
    return stanza


@dataclass(frozen=True)
class StanzaModels:
    """What a models folder holds: explicit model files, or a stanza download folder."""

    root: Path
    paths: dict = field(default_factory=dict)  # processor -> Path (flat or trainer layout)
    resources: Path | None = None  # resources.json of a `stanza.download` folder

    @property
    def processors(self) -> tuple[str, ...]:
        if self.resources is not None:
            return tuple(p for p in PROCESSORS if (self.root / "ar" / p).is_dir())
        return tuple(p for p in PROCESSORS if p in self.paths)

    def describe(self) -> dict:
        if self.resources is not None:
            return {"root": str(self.root), "layout": "stanza-download", "processors": list(self.processors)}
        return {"root": str(self.root), "layout": "files",
                "processors": {p: str(self.paths[p]) for p in self.processors}}


def _scan(folder: Path) -> dict:
    found = {}
    for proc in PROCESSORS:
        flat = folder / f"{proc}.pt"
        if flat.is_file():
            found[proc] = flat
            continue
        hits = sorted(folder.glob(f"*_{_TRAINER_SUFFIX[proc]}.pt"))
        if hits:
            found[proc] = hits[0]
    return found


def find_models(models_dir: str | os.PathLike | None = None) -> StanzaModels:
    """Locate Arabic stanza models in `models_dir` (or the claimx-managed folder).

    Accepted layouts, tried in order for DIR and DIR/stanza:
    - a `stanza.download('ar', model_dir=DIR)` folder: DIR/resources.json + DIR/ar/<processor>/;
    - model files: DIR/tokenize.pt, mwt.pt, pos.pt, lemma.pt, depparse.pt, ner.pt
      (or the names stanza's trainers write, e.g. ar_pud_nocharlm_tokenizer.pt).
    """
    root = Path(models_dir).expanduser() if models_dir else default_models_dir()
    tried = []
    for folder in (root, root / "stanza"):
        tried.append(str(folder))
        res = folder / "resources.json"
        if res.is_file() and (folder / "ar" / "tokenize").is_dir():
            return StanzaModels(folder, {}, res)
        paths = _scan(folder)
        if "tokenize" in paths:
            return StanzaModels(folder, paths)
    hint = ("get models with `claimx models download --engine stanza` (needs a network), or train your own "
            "(scripts/train_stanza_pud.py) and pass `--models DIR`")
    raise EngineUnavailable(f"no Arabic stanza models (a tokenizer at least) in {' or '.join(tried)}; {hint}")


def build_pipeline(models: StanzaModels, processors: Iterable[str] | None = None, use_gpu: bool = False):
    """An offline `stanza.Pipeline` over `models`: never touches the network.

    Per the measured recipe: a resources file holding `{}`, `allow_unknown_language=True`,
    `download_method=None` and explicit model paths. A stanza download folder with its
    own resources.json is loaded as stanza lays it out, still with `download_method=None`.
    """
    stanza = import_stanza()
    wanted = [p for p in (processors or PROCESSORS) if p in models.processors]
    if "tokenize" not in wanted:
        raise EngineUnavailable(f"no tokenizer model in {models.root}")
    if "depparse" in wanted and "pos" not in wanted:
        wanted.remove("depparse")  # the parser reads POS tags
    opts: dict[str, Any] = {"download_method": None, "use_gpu": use_gpu, "logging_level": "WARN"}
    if models.resources is not None:
        if "depparse" in wanted and "lemma" not in wanted:
            wanted.insert(wanted.index("depparse"), "lemma")
        return stanza.Pipeline("ar", dir=str(models.root), processors=",".join(wanted), **opts)
    res = Path(tempfile.gettempdir()) / "claimx-stanza-resources.json"
    if not res.is_file():
        res.write_text("{}", encoding="utf-8")
    for proc in wanted:
        opts[f"{proc}_model_path"] = str(models.paths[proc])
    if "depparse" in wanted and "lemma" not in wanted:
        wanted.insert(wanted.index("depparse"), "lemma")
        opts["lemma_use_identity"] = True  # the parser requires lemmas; identity costs nothing
    for proc in ("pos", "depparse", "ner"):
        if proc in wanted:
            opts[f"{proc}_pretrain_path"] = None  # models trained with --no_pretrain
    return stanza.Pipeline("ar", dir=str(models.root), resources_filepath=str(res),
                           allow_unknown_language=True, processors=",".join(wanted), **opts)


# ---------------------------------------------------------------------------
# offsets: raw spans of tokens and words

def word_spans(sentence, base: int, raw: str) -> dict[int, tuple[int, int] | None]:
    """Raw (start, end) of every word of a stanza sentence, from its tokens' offsets.

    `base` is the raw offset of the text stanza was given; a token whose surface does not
    slice out of `raw` there is unaligned (None), and so are its words.
    """
    spans: dict[int, tuple[int, int] | None] = {}
    for tok in sentence.tokens:
        s, e = tok.start_char, tok.end_char
        ok = s is not None and e is not None and raw[base + s:base + e] == tok.text
        words = tok.words
        if not ok:
            for wd in words:
                spans[wd.id] = None
            continue
        s, e = base + s, base + e
        if len(words) == 1:
            spans[words[0].id] = (s, e)
            continue
        parts = split_token(tok.text, [wd.text for wd in words])
        for k, wd in enumerate(words):
            spans[wd.id] = (s + parts[k][0], s + parts[k][1]) if parts else (s, e)
    return spans


# ---------------------------------------------------------------------------
# tree helpers

def _children(sentence) -> dict[int, list]:
    kids: dict[int, list] = {}
    for wd in sentence.words:
        kids.setdefault(wd.head, []).append(wd)
    return kids


def _subtree(wid: int, kids: dict[int, list], stop: set[int] = frozenset()) -> list[int]:
    out, todo = [], [wid]
    while todo:
        cur = todo.pop()
        if cur in stop:
            continue
        out.append(cur)
        todo.extend(c.id for c in kids.get(cur, ()))
    return sorted(out)


def _rel(wd) -> str:
    return (wd.deprel or "").split(":")[0]


def _is_quote(wd) -> bool:
    return all(ch in _QUOTES for ch in wd.text)


def span_of(ids: list[int], words: dict, spans: dict, raw: str, drop_lead=("cc", "punct"),
            keep_quotes: bool = False) -> tuple[int, int] | None:
    """One raw span over word ids: leading words with a `drop_lead` relation and trailing
    punctuation trimmed; quotes kept inside when `keep_quotes`."""
    ids = sorted(ids)
    while ids and _rel(words[ids[0]]) in drop_lead and not (keep_quotes and _is_quote(words[ids[0]])):
        ids = ids[1:]
    while ids and _rel(words[ids[-1]]) == "punct" and not (keep_quotes and _is_quote(words[ids[-1]])):
        ids = ids[:-1]
    pieces = [spans.get(i) for i in ids]
    if not ids or any(p is None for p in pieces):
        return None
    s, e = min(p[0] for p in pieces), max(p[1] for p in pieces)
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def find_cue_word(sentence, spans: dict, start: int, end: int):
    """The word carrying the cue span: among words overlapping it, the one nearest the
    root (so "وقال" gives قال, not و; "وفقا ل" gives وفقا)."""
    over = [wd for wd in sentence.words
            if spans.get(wd.id) and spans[wd.id][0] < end and spans[wd.id][1] > start]
    if not over:
        return None
    ids = {wd.id for wd in over}
    by_id = {wd.id: wd for wd in sentence.words}

    def depth(wd):
        d, cur = 0, wd
        while cur.head and d < 100:
            cur, d = by_id[cur.head], d + 1
        return d

    heads = [wd for wd in over if wd.head not in ids] or over
    content = [wd for wd in heads if wd.upos not in ("CCONJ", "PUNCT")] or heads
    return min(content, key=depth)


# ---------------------------------------------------------------------------
# the analysis of one cue

@dataclass
class ParseFinding:
    """What the parse says about one cue; spans are raw (start, end) or None."""

    cue_word: dict
    source: tuple[int, int] | None = None
    source_rule: str | None = None  # nsubj | conj-subject | relcl-head | relay | according-to | ner
    resolved: bool = False
    content: tuple[int, int] | None = None
    content_rule: str | None = None
    recipient: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    candidates: list = field(default_factory=list)  # PER/ORG entities: (start, end, type)


_CONTENT_RELS = ("ccomp", "xcomp", "obj", "csubj", "parataxis")


def _has_child(wd, kids, rels, forms=None) -> bool:
    for c in kids.get(wd.id, ()):
        if _rel(c) in rels and (forms is None or _plain(c.text) in forms or _plain(c.lemma or "") in forms):
            return True
    return False


def _case_forms(wd, kids) -> set[str]:
    return {_plain(c.text) for c in kids.get(wd.id, ()) if _rel(c) == "case"}


def entities_of(sentence, base: int, raw: str) -> list[tuple[int, int, str]]:
    """Named entities of a parsed sentence as raw (start, end, type), from token offsets."""
    out = []
    for ent in getattr(sentence, "ents", None) or []:
        toks = ent.tokens
        s, e = toks[0].start_char, toks[-1].end_char
        if s is None or e is None or raw[base + s:base + e] != (ent.text or raw[base + s:base + e]):
            continue
        out.append((base + s, base + e, ent.type))
    return out


def analyse_cue(sentence, base: int, raw: str, cue_start: int, cue_end: int,
                cue_type: str | None = None) -> ParseFinding | None:
    """Source, content and recipient of the cue at raw [cue_start, cue_end) in a parsed sentence.

    `cue_type` is the rules' type; for ``according_to`` a noun cue's oblique (وفقا **لـ** X،
    نقلا **عن** X) is the source, not a recipient.
    """
    spans = word_spans(sentence, base, raw)
    cue = find_cue_word(sentence, spans, cue_start, cue_end)
    if cue is None:
        return None
    words = {wd.id: wd for wd in sentence.words}
    kids = _children(sentence)
    f = ParseFinding({"text": cue.text, "lemma": cue.lemma, "upos": cue.upos, "deprel": cue.deprel, "id": cue.id})

    def sub(wid, stop=()):
        return _subtree(wid, kids, set(stop) | {cue.id})

    # --- "according to" prepositions (بحسب، وفق، حسب): the cue is the case of its noun
    if _rel(cue) in ("case", "fixed") or cue.upos == "ADP":
        noun = words.get(cue.head) if _rel(cue) in ("case", "fixed") else None
        if noun is not None and _rel(noun) == "fixed":
            noun = words.get(noun.head)
        if noun is not None:
            noun_ids = [i for i in _subtree(noun.id, kids) if i != cue.id]
            f.source = span_of(noun_ids, words, spans, raw, drop_lead=("cc", "punct", "case", "fixed"))
            f.source_rule = "according-to"
            clause = words.get(noun.head)
            if clause is not None:
                ids = _subtree(clause.id, kids, {noun.id})
                f.content = span_of(ids, words, spans, raw, drop_lead=("cc", "punct", "mark"), keep_quotes=True)
                f.content_rule = "according-to-head"
        return _with_candidates(f, sentence, base, raw)
    if cue_type == "according_to" and cue.upos != "VERB":
        # وفقا لـ X، نقلا عن X، على لسان X: the oblique is the source; the clause the cue hangs on is the content
        obl = [c for c in kids.get(cue.id, ()) if _rel(c) in ("obl", "nmod") and _case_forms(c, kids)]
        if obl:
            f.source = span_of(sub(obl[0].id), words, spans, raw, drop_lead=("cc", "punct", "case", "fixed"))
            f.source_rule = "according-to"
        clause = words.get(cue.head)
        if clause is not None:
            ids = _subtree(clause.id, kids, {cue.id})
            f.content = span_of(ids, words, spans, raw, drop_lead=("cc", "punct", "mark"), keep_quotes=True)
            f.content_rule = "according-to-head"
        return _with_candidates(f, sentence, base, raw)

    # --- source
    # a pronoun subject (هو، هي) names nobody: treat the cue as pro-drop
    # … and a subject inside a multi-word cue ("وردت أنباء") is part of the cue, not a source
    subj = [c for c in kids.get(cue.id, ()) if c.deprel in ("nsubj", "nsubj:outer")
            and not (c.upos == "PRON" and _plain(c.text) not in _RELATIVE)
            and not (spans.get(c.id) and spans[c.id][0] < cue_end and spans[c.id][1] > cue_start)]
    relay = [c for c in kids.get(cue.id, ()) if _rel(c) == "obl" and "عن" in _case_forms(c, kids)]
    if relay and _plain(cue.lemma or cue.text).startswith(("نقل", "نقلا")):
        src = relay[0]
        f.source = span_of([i for i in sub(src.id)], words, spans, raw, drop_lead=("cc", "punct", "case"))
        f.source_rule = "relay"
        if subj:
            f.via = span_of(sub(subj[0].id), words, spans, raw)
    elif subj and not (_plain(subj[0].text) in _RELATIVE and _rel(cue) == "acl"):
        f.source = span_of(sub(subj[0].id), words, spans, raw)
        f.source_rule = "nsubj"
    elif _rel(cue) == "acl" and cue.head in words:
        head = words[cue.head]  # "المصادر المحلية، التي قالت": the noun the clause hangs on
        ids = [i for i in _subtree(head.id, kids, {cue.id}) if i < cue.id and _plain(words[i].text) not in _RELATIVE]
        f.source = span_of(ids, words, spans, raw)
        f.source_rule, f.resolved = "relcl-head", True
    else:
        # a coordinated or subordinate cue (وأكدت، مشيرا) shares its governor's subject
        cur, hops = cue, 0
        while _rel(cur) in ("conj", "advcl", "parataxis") and cur.head in words and hops < 4:
            cur, hops = words[cur.head], hops + 1
            gsubj = [c for c in kids.get(cur.id, ()) if c.deprel == "nsubj"]
            if gsubj:
                f.source = span_of(_subtree(gsubj[0].id, kids), words, spans, raw)
                f.source_rule, f.resolved = "governor-subject", True
                break

    # --- content: the clausal complement or object, without the complementiser
    comp = [c for c in kids.get(cue.id, ()) if _rel(c) in _CONTENT_RELS and c.deprel != "csubj:outer"]
    if not comp:  # "أشار إلى أن …", "أفاد بأن …": a clause with أن under an oblique/adverbial
        comp = [c for c in kids.get(cue.id, ()) if _rel(c) in ("obl", "advcl")
                and _has_child(c, kids, ("mark",), {"أن", "ان", "إن"})]
    if not comp and not relay:  # "تحدث عن …", "وردت أنباء عن …": the عن phrase of the cue (or of a word in it)
        in_cue = [cue] + [wd for wd in sentence.words if wd.id != cue.id and spans.get(wd.id)
                          and spans[wd.id][0] < cue_end and spans[wd.id][1] > cue_start]
        comp = [c for h in in_cue for c in kids.get(h.id, ()) if _rel(c) in ("obl", "nmod")
                and "عن" in _case_forms(c, kids)]
    if comp:
        order = {r: k for k, r in enumerate(_CONTENT_RELS)}
        c = min(comp, key=lambda x: (order.get(_rel(x), 9), x.id))
        f.content = span_of(sub(c.id), words, spans, raw, drop_lead=("cc", "punct", "mark", "case"), keep_quotes=True)
        f.content_rule = _rel(c)

    # --- recipient: an oblique with the preposition ل
    for c in kids.get(cue.id, ()):
        if _rel(c) == "obl" and _case_forms(c, kids) & _LAM:
            f.recipient = span_of(sub(c.id), words, spans, raw)
            break
    return _with_candidates(f, sentence, base, raw)


def _inside(s: int, e: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] < e and s < span[1]


def _with_candidates(f: ParseFinding, sentence, base: int, raw: str) -> ParseFinding:
    """PER/ORG entities of the sentence that could be the source: not in the content or the recipient."""
    for s, e, typ in entities_of(sentence, base, raw):
        if typ in ("PER", "ORG") and not _inside(s, e, f.content) and not _inside(s, e, f.recipient):
            f.candidates.append((s, e, typ))
    return f


# ---------------------------------------------------------------------------
# records

_ANONYMOUS = ("مصدر", "مصادر", "ناشط", "ناشطون", "ناشطين", "وسائل", "مسؤول", "مسؤولون", "مسؤولين",
              "شهود", "سكان", "مراسل", "جهات", "اوساط", "أوساط", "تقارير", "مصادرنا")


def _kind(text: str, entities) -> str:
    """source.kind of a parse-found source: the rules' own classifier when it is there, so that
    both engines agree; a PER/ORG entity inside the span makes it named."""
    try:
        from ..extract import _source_kind
    except ImportError:  # pragma: no cover - the light engine always ships it today
        _source_kind = None
    if _source_kind is not None:
        kind = _source_kind(text)
    else:
        first = _plain(text).split()[0] if text.split() else ""
        first = first[2:] if first.startswith("ال") else first
        kind = "anonymous" if any(first == a or first == a[2:] for a in _ANONYMOUS) else "named"
    return "named" if entities else kind


def _span_dict(raw: str, sp: tuple[int, int] | None) -> dict | None:
    return None if sp is None else {"text": raw[sp[0]:sp[1]], "start": sp[0], "end": sp[1]}


def _same(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.get("start"), a.get("end")) == (b.get("start"), b.get("end"))


POLICIES = ("parse", "fill", "overlap")


def merge_finding(raw: str, record: dict, f: ParseFinding | None, previous_source: dict | None,
                  policy: str = "parse") -> dict:
    """A record refined by one parse finding; `evidence` keeps what rules and parse said.

    policy "parse": the parse wins where it saw structure (a subject, a complement, a لـ
    oblique); where it saw none, the rules' span stays; a cue with neither borrows the
    previous claim's source. policy "fill": the rules' spans stay and the parse only fills
    the ones the rules left empty. policy "overlap": where parse and rules point at
    overlapping text they agree on the phrase and the rules' extent stays; the parse wins
    only where it points elsewhere, and fills what the rules left empty. Either way
    `evidence.parse` has what the parse found.
    """
    rec = json.loads(json.dumps(record, ensure_ascii=False))  # a deep copy of plain JSON
    ev = dict(rec.get("evidence") or {})
    ev["engine"] = "stanza"
    if f is None:
        ev["parse"] = {"status": "cue-not-in-parse"}
        rec["evidence"] = ev
        return rec
    rules = {k: record.get(k) for k in ("source", "content", "recipient", "via")}
    parse: dict[str, Any] = {"cue_word": {k: v for k, v in f.cue_word.items() if k != "id"}}

    src = None
    rules_src = rules["source"] or {}
    # the rules decided there is no source (rumors: "وردت أنباء", kind none): that stays
    decided_none = rules_src.get("kind") == "none" or (record.get("cue") or {}).get("type") == "rumor"
    if decided_none:
        if f.source is not None:
            parse["source"] = _span_dict(raw, f.source)
            parse["source_rule"] = f.source_rule
    elif f.source is not None:
        src = dict(_span_dict(raw, f.source), kind=None, resolved=f.resolved, entity=None)
        parse["source"] = _span_dict(raw, f.source)
        parse["source_rule"] = f.source_rule
    elif not (rules["source"] and rules["source"].get("text")):
        if f.candidates and f.source_rule is None:
            s, e, _ = f.candidates[0]
            src = dict(_span_dict(raw, (s, e)), kind="named", resolved=False, entity=None)
            parse["source_rule"] = "ner"
        elif previous_source:
            src = {k: previous_source.get(k) for k in ("text", "start", "end", "kind", "entity")}
            src["resolved"] = True
            parse["source_rule"] = "previous-claim"
        if src is not None:
            parse["source"] = {k: src[k] for k in ("text", "start", "end")}
    if f.candidates:
        parse["source_candidates"] = [dict(_span_dict(raw, (s, e)), type=t) for s, e, t in f.candidates]
    if f.via is not None:
        parse["via"] = _span_dict(raw, f.via)

    found = {"source": f.source, "content": f.content, "recipient": f.recipient, "via": f.via}

    def keep_rules(key: str) -> bool:
        have = bool(rules[key] and rules[key].get("text"))
        if policy == "fill":
            return have
        if policy == "overlap" and have and rules[key].get("start") is not None:
            mine = found.get(key) or (src and key == "source" and (src["start"], src["end"]))
            return not mine or _inside(rules[key]["start"], rules[key]["end"], mine)
        return False

    if src is not None and not keep_rules("source"):
        old = rules["source"] or {}
        if _same(old, src):
            src = dict(old)
        else:
            src["kind"] = src.get("kind") or _kind(
                src["text"], [c for c in f.candidates if _inside(c[0], c[1], (src["start"], src["end"]))])
            src["entity"] = src.get("entity") if src.get("entity") else None
        rec["source"] = src

    if f.content is not None:
        parse["content"] = _span_dict(raw, f.content)
        parse["content_rule"] = f.content_rule
        if not keep_rules("content"):
            rec["content"] = parse["content"]
    if f.recipient is not None:
        parse["recipient"] = _span_dict(raw, f.recipient)
        if not keep_rules("recipient"):
            rec["recipient"] = parse["recipient"]
    if f.via is not None and not keep_rules("via"):
        rec["via"] = parse["via"]  # "نقلت سانا عن مصدر": the relaying agency
    ev["policy"] = policy

    differ = {k: v for k, v in rules.items() if not _same(v, rec.get(k))}
    if differ:
        ev["rules"] = differ
    ev["parse"] = parse
    rec["evidence"] = ev
    return rec


def refine_records(raw: str, records: list[dict], parsed: dict[tuple[int, int], Any],
                   policy: str = "parse") -> list[dict]:
    """Refine a document's records with parses of their sentences.

    `parsed` maps a record's raw sentence span (start, end) to the stanza Document of that
    sentence's raw text (offsets relative to `start`). Records are visited in order so
    pro-drop borrows the previous claim's (already refined) source.
    """
    out, previous = [], None
    for rec in records:
        sent = rec.get("sentence") or {}
        key = (sent.get("start"), sent.get("end"))
        cue = rec.get("cue") or {}
        finding = None
        sdoc = parsed.get(key)
        if sdoc is not None and cue.get("start") is not None:
            for s in sdoc.sentences:
                finding = analyse_cue(s, key[0], raw, cue["start"], cue["end"], cue.get("type"))
                if finding is not None:
                    break
        new = merge_finding(raw, rec, finding, previous, policy)
        if new.get("source") and new["source"].get("text"):
            previous = new["source"]
        out.append(new)
    return out


# ---------------------------------------------------------------------------
# the engine

class StanzaEngine:
    """Refines light-engine records with an offline stanza pipeline.

        engine = StanzaEngine(models_dir="models/stanza-ar-pud")
        records = engine.refine(doc.text, records)
    """

    name = "stanza"

    def __init__(self, models_dir: str | os.PathLike | None = None, pipeline=None, batch_size: int = 32,
                 policy: str = "parse"):
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}, not {policy!r}")
        self.policy = policy
        if pipeline is None:
            import_stanza()
            self.models = find_models(models_dir)
            t0 = time.perf_counter()
            pipeline = build_pipeline(self.models)
            self.load_seconds = time.perf_counter() - t0
        else:
            self.models, self.load_seconds = None, 0.0
        self.nlp = pipeline
        self.batch_size = batch_size

    @property
    def processors(self) -> tuple[str, ...]:
        return tuple(self.nlp.processors)

    def parse_many(self, texts: list[str]) -> list:
        """Parse raw texts in batches; each result's offsets are relative to its text."""
        stanza = import_stanza()
        out = []
        for i in range(0, len(texts), self.batch_size):
            docs = [stanza.Document([], text=t) for t in texts[i:i + self.batch_size]]
            out.extend(self.nlp.bulk_process(docs) if docs else [])
        return out

    def parse(self, text: str):
        return self.parse_many([text])[0]

    def refine(self, raw: str, records: list[dict]) -> list[dict]:
        """The records of one document, refined by parses of the sentences they sit in."""
        keys = []
        for rec in records:
            sent = rec.get("sentence") or {}
            key = (sent.get("start"), sent.get("end"))
            if None not in key and key not in keys and key[0] < key[1]:
                keys.append(key)
        parsed = dict(zip(keys, self.parse_many([raw[s:e] for s, e in keys])))
        return refine_records(raw, records, parsed, self.policy)

    def entities(self, raw: str) -> list[dict]:
        """Named entities of a whole text (needs an NER model), as raw spans."""
        if "ner" not in self.processors:
            return []
        doc = self.parse(raw)
        out = []
        for s in doc.sentences:
            for a, b, typ in entities_of(s, 0, raw):
                out.append({"text": raw[a:b], "start": a, "end": b, "type": typ, "engine": "stanza"})
        return out
