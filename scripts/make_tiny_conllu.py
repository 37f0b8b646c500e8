"""Write tests/fixtures/stanza/tiny-{train,dev}.conllu: small Arabic treebanks of our own.

The sentences are composed from hand-annotated parts (sources, reporting cues,
recipients, contents) in the attribution patterns claimx cares about: VSO and SVO
reporting verbs with an أن/إن clause or a masdar object, pro-drop continuations
(وأضاف), "according to" phrases (بحسب)، relays (نقلت … عن …) and participle cues
(مشيرا إلى أن). Clitics are written as multi-word tokens (وقال = و + قال,
للجزيرة = ل + الجزيرة) so that the tokenizer and the MWT expander have something to
learn, and entities carry BIOES `ner=` tags in MISC for the NER model.

The output is deterministic (fixed seed). It only has to teach tiny models the
plumbing, not Arabic: `scripts/train_tiny_stanza.py` trains on it.

    python scripts/make_tiny_conllu.py
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stanza"

# A word: (form, lemma, upos, head, deprel, ner). `head` names another word's key
# ("S" source head, "C" content head, "V" cue verb, "R" recipient head, ...), or
# "." for a relative reference inside the same part, or an int offset inside the part.
# A part is a list of tokens; a token is a list of words (more than one = MWT) and
# its surface form is the concatenation unless given.


def w(form, upos, head, deprel, lemma=None, ner="O", key=None):
    return {"form": form, "lemma": lemma or form, "upos": upos, "head": head,
            "deprel": deprel, "ner": ner, "key": key}


# --- sources: (tokens, gender, kind) ---------------------------------------
SOURCES = [
    ([[w("مصدر", "NOUN", None, None, key="S")], [w("محلي", "ADJ", "S", "amod")]], "m"),
    ([[w("مصادر", "NOUN", None, None, key="S")], [w("ميدانية", "ADJ", "S", "amod")]], "f"),
    ([[w("المرصد", "NOUN", None, None, key="S", ner="B-ORG")], [w("السوري", "ADJ", "S", "amod", ner="E-ORG")]], "m"),
    ([[w("وزارة", "NOUN", None, None, key="S", ner="B-ORG")], [w("الدفاع", "NOUN", "S", "nmod", ner="I-ORG")],
      [w("الروسية", "ADJ", "S", "amod", ner="E-ORG")]], "f"),
    ([[w("الناشط", "NOUN", None, None, key="S")], [w("عامر", "PROPN", "S", "appos", ner="B-PER", key="S2")],
      [w("هويدي", "PROPN", "S2", "flat", ner="E-PER")]], "m"),
    ([[w("وكالة", "NOUN", None, None, key="S", ner="B-ORG")], [w("سانا", "PROPN", "S", "nmod", ner="E-ORG")]], "f"),
    ([[w("قائد", "NOUN", None, None, key="S")], [w("ميداني", "ADJ", "S", "amod")]], "m"),
    ([[w("الأمم", "NOUN", None, None, key="S", ner="B-ORG")], [w("المتحدة", "ADJ", "S", "amod", ner="E-ORG")]], "f"),
    ([[w("ناشطون", "NOUN", None, None, key="S")]], "m"),
]

# --- cues: lemma, masculine form, feminine form, complement kind --------------
CUES = [
    ("قال", "قال", "قالت", "inna"),
    ("أكد", "أكد", "أكدت", "anna"),
    ("ذكر", "ذكر", "ذكرت", "anna"),
    ("أفاد", "أفاد", "أفادت", "anna"),
    ("أعلن", "أعلن", "أعلنت", "anna"),
    ("رجح", "رجح", "رجحت", "anna"),
    ("نفى", "نفى", "نفت", "masdar"),
    ("أعلن", "أعلن", "أعلنت", "masdar"),
]

# --- recipients --------------------------------------------------------------
RECIPIENTS = [
    [[w("ل", "ADP", "R", "case"), w("وكالة", "NOUN", None, None, key="R", ner="B-ORG")],
     [w("ستيب", "PROPN", "R", "nmod", ner="E-ORG")]],
    [[w("ل", "ADP", "R", "case"), w("الجزيرة", "PROPN", None, None, key="R", ner="S-ORG")]],
    [[w("ل", "ADP", "R", "case"), w("قناة", "NOUN", None, None, key="R", ner="B-ORG")],
     [w("الجزيرة", "PROPN", "R", "nmod", ner="E-ORG")]],
]

# --- clause contents (root key C) --------------------------------------------
CLAUSES = [
    [[w("قوات", "NOUN", "C", "nsubj", key="a")], [w("النظام", "NOUN", "a", "nmod")],
     [w("سيطرت", "VERB", None, None, lemma="سيطر", key="C")], [w("على", "ADP", "b", "case")],
     [w("المدينة", "NOUN", "C", "obl", key="b")]],
    [[w("الطيران", "NOUN", "C", "nsubj", key="a")], [w("الروسي", "ADJ", "a", "amod")],
     [w("قصف", "VERB", None, None, key="C")], [w("بلدة", "NOUN", "C", "obj", key="b")],
     [w("الباغوز", "PROPN", "b", "nmod", ner="S-LOC")]],
    [[w("التنظيم", "NOUN", "C", "nsubj")], [w("انسحب", "VERB", None, None, key="C")],
     [w("من", "ADP", "b", "case")], [w("البوكمال", "PROPN", "C", "obl", key="b", ner="S-LOC")]],
    [[w("الاشتباكات", "NOUN", "C", "nsubj")], [w("مستمرة", "ADJ", None, None, key="C")],
     [w("في", "ADP", "b", "case")], [w("ريف", "NOUN", "C", "obl", key="b")],
     [w("دير", "PROPN", "b", "nmod", ner="B-LOC", key="d")], [w("الزور", "PROPN", "d", "flat", ner="E-LOC")]],
    [[w("القوات", "NOUN", "C", "nsubj")], [w("دخلت", "VERB", None, None, lemma="دخل", key="C")],
     [w("و", "CCONJ", "e", "cc"), w("سيطرت", "VERB", "C", "conj", lemma="سيطر", key="e")],
     [w("على", "ADP", "b", "case")], [w("الحي", "NOUN", "e", "obl", key="b")]],
    [[w("المدنيين", "NOUN", "C", "nsubj")], [w("قتلوا", "VERB", None, None, lemma="قتل", key="C")],
     [w("في", "ADP", "b", "case")], [w("القصف", "NOUN", "C", "obl", key="b")]],
]
MASDARS = [
    [[w("سيطرة", "NOUN", None, None, key="C")], [w("القوات", "NOUN", "C", "nmod")],
     [w("على", "ADP", "b", "case")], [w("المدينة", "NOUN", "C", "nmod", key="b")]],
    [[w("وقوع", "NOUN", None, None, key="C")], [w("هجمات", "NOUN", "C", "nmod", key="h")],
     [w("على", "ADP", "b", "case")], [w("القافلة", "NOUN", "h", "nmod", key="b")]],
    [[w("مقتل", "NOUN", None, None, key="C")], [w("عشرة", "NUM", "C", "nmod", key="n")],
     [w("مدنيين", "NOUN", "n", "nmod")]],
]

PUNCT_END = [[w(".", "PUNCT", "ROOT", "punct")]]


def tag(part, suffix):
    """Give a part's keys a unique suffix so that two parts can share a sentence."""
    out = []
    for tok in part:
        new = []
        for word in tok:
            word = dict(word)
            if word["key"]:
                word["key"] += suffix
            if isinstance(word["head"], str) and word["head"] not in ("ROOT",):
                word["head"] += suffix
            new.append(word)
        out.append(new)
    return out


def attach(part, key, head, deprel):
    """Attach a part's head word (the one with no head) to `head` with `deprel`."""
    for tok in part:
        for word in tok:
            if word["head"] is None:
                word["head"], word["deprel"] = head, deprel
    return part


def verb(lemma, form, conj=None, key="V"):
    words = [w(form, "VERB", "ROOT", "root", lemma=lemma, key=key)]
    if conj:
        words.insert(0, w(conj, "CCONJ", key, "cc"))
    return [words]


def complement(kind, content_key):
    if kind == "inna":
        return [[w("إن", "SCONJ", content_key, "mark", lemma="إن")]]
    return [[w("أن", "SCONJ", content_key, "mark", lemma="أن")]]


def sentence(rng: random.Random):
    """One sentence as a list of tokens, plus the name of its pattern."""
    pattern = rng.choice(["vso", "vso", "vso", "svo", "prodrop", "bihasab", "relay", "participle", "narration"])
    conj = rng.choice([None, None, "و", "و", "ف"])
    src, gender = rng.choice(SOURCES)
    src = tag([list(map(dict, t)) for t in src], "s")
    lemma, m, f, kind = rng.choice(CUES)
    form = f if gender == "f" else m
    content = tag([list(map(dict, t)) for t in rng.choice(MASDARS if kind == "masdar" else CLAUSES)], "c")
    ckey = "Cc"
    rel = "obj" if kind == "masdar" else "ccomp"
    toks = []
    if pattern in ("vso", "svo"):
        v = verb(lemma, form, conj if pattern == "vso" else None)
        attach(src, "S", "V", "nsubj")
        attach(content, ckey, "V", rel)
        comp = [] if kind == "masdar" else complement(kind, ckey)
        rec = []
        if pattern == "vso" and rng.random() < 0.5:
            rec = attach(tag([list(map(dict, t)) for t in rng.choice(RECIPIENTS)], "r"), "R", "V", "obl")
        toks = (v + src + rec if pattern == "vso" else src + v) + comp + content
    elif pattern == "prodrop":
        v = verb("أضاف", "أضافت" if gender == "f" else "أضاف", "و")
        content = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "c")
        attach(content, ckey, "V", "ccomp")
        toks = v + complement("anna", ckey) + content
    elif pattern == "bihasab":
        content = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "c")
        attach(content, ckey, "V", "root")  # the content clause is the root here
        for tok in content:
            for word in tok:
                if word["key"] == ckey:
                    word["key"] = "V"
                if word["head"] == ckey:
                    word["head"] = "V"
        comma = [[w("،", "PUNCT", "Ss", "punct")]]
        attach(src, "S", "V", "obl")
        cue = [[w("بحسب", "ADP", "Ss", "case", lemma="حسب")]]
        toks = content + comma + cue + src
    elif pattern == "relay":
        agency = tag([[w("وكالة", "NOUN", None, None, key="A", ner="B-ORG")], [w("سانا", "PROPN", "A", "nmod", ner="E-ORG")]], "")
        v = verb("نقل", "نقلت", conj)
        attach(agency, "A", "V", "nsubj")
        an = [[w("عن", "ADP", "Ss", "case")]]
        attach(src, "S", "V", "obl")
        content = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "c")
        attach(content, ckey, "V", "ccomp")
        toks = v + agency + an + src + complement("anna", ckey) + content
    elif pattern == "participle":
        v = verb(lemma, form, conj)
        if kind == "masdar":
            content = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "c")
            kind = "anna"
        attach(src, "S", "V", "nsubj")
        attach(content, ckey, "V", "ccomp")
        second = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "d")
        attach(second, "Cd", "P", "ccomp")
        part = [[w("،", "PUNCT", "P", "punct")],
                [w("مشيرة" if gender == "f" else "مشيرا", "VERB", "V", "advcl", lemma="أشار", key="P")],
                [w("إلى", "ADP", "Cd", "case")], [w("أن", "SCONJ", "Cd", "mark")]]
        toks = v + src + complement(kind, ckey) + content + part + second
    else:  # narration: no claim at all
        content = tag([list(map(dict, t)) for t in rng.choice(CLAUSES)], "c")
        attach(content, ckey, "V", "root")
        for tok in content:
            for word in tok:
                if word["key"] == ckey:
                    word["key"] = "V"
                if word["head"] == ckey:
                    word["head"] = "V"
        toks = content
    toks = toks + [[dict(PUNCT_END[0][0], head="V")]]
    return pattern, toks


def to_conllu(sent_id: str, pattern: str, toks) -> str:
    words = [word for tok in toks for word in tok]
    index = {word["key"]: i + 1 for i, word in enumerate(words) if word["key"]}
    lines, text, n = [], [], 0
    for ti, tok in enumerate(toks):
        surface = "".join(word["form"] for word in tok)
        if [x["form"] for x in tok][:2] == ["ل", tok[-1]["form"]] and tok[-1]["form"].startswith("ال"):
            surface = "ل" + tok[-1]["form"][1:]  # ل + الجزيرة is written للجزيرة
        nxt = toks[ti + 1][0]["form"] if ti + 1 < len(toks) else None
        no_space = nxt in (".", "،") or nxt is None
        misc = []
        if no_space and nxt is not None:
            misc.append("SpaceAfter=No")
        text.append(surface + ("" if no_space else " "))
        if len(tok) > 1:
            lines.append(f"{n + 1}-{n + len(tok)}\t{surface}\t_\t_\t_\t_\t_\t_\t_\t{'|'.join(misc) or '_'}")
        for word in tok:
            n += 1
            head = 0 if word["deprel"] == "root" else index[word["head"]]
            # stanza reads NER from the token: a word line for one-word tokens, the range line for MWTs
            wmisc = [] if len(tok) > 1 else misc + [f"ner={word['ner']}"]
            lines.append("\t".join([str(n), word["form"], word["lemma"], word["upos"], "_", "_",
                                    str(head), word["deprel"], "_", "|".join(wmisc) or "_"]))
        if len(tok) > 1:
            first = len(lines) - len(tok) - 1
            tag_ = tok[-1]["ner"]
            parts = lines[first].split("\t")
            parts[9] = "|".join([m for m in parts[9].split("|") if m != "_"] + [f"ner={tag_}"])
            lines[first] = "\t".join(parts)
    header = [f"# sent_id = {sent_id}", f"# pattern = {pattern}", f"# text = {''.join(text)}"]
    return "\n".join(header + lines) + "\n\n"


def main(argv=None) -> int:
    rng = random.Random(20171110)
    for name, count in (("tiny-train", 90), ("tiny-dev", 20)):
        out = []
        for i in range(count):
            pattern, toks = sentence(rng)
            out.append(to_conllu(f"{name}-{i + 1:03d}", pattern, toks))
        (OUT / f"{name}.conllu").write_text("".join(out), encoding="utf-8")
        print(f"wrote {OUT / (name + '.conllu')}: {count} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
