"""`claimx eval`: score predicted claims against gold annotations.

Gold format: ../shared/docs/examples/gold-000-001.yaml (documented in
tests/gold/README.md). Matching and scores:

- a prediction matches a gold claim when their cue spans overlap (one to one,
  in text order); a prediction matching an `optional` gold claim neither helps
  nor hurts;
- claim precision = matched / (predictions − those matched to optional gold),
  recall = matched / non-optional gold;
- over matched claims: source, content accuracy (token F1 ≥ 0.5 between the
  normalised spans; a gold `source_alt` is accepted too; a null gold source
  wants a prediction of kind `none`), polarity and type accuracy, and hedge
  recall (gold `hedged: true` claims whose prediction carries a hedge).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import GoldError
from .normalize import fold

F1_THRESHOLD = 0.5


@dataclass
class GoldClaim:
    doc: str
    start: int
    end: int
    data: dict


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    counts: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def ratio(self, key: str, total: str) -> float | None:
        return self.counts[key] / self.counts[total] if self.counts[total] else None

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "claims": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                       "tp": self.tp, "fp": self.fp, "fn": self.fn},
            "source_accuracy": _round(self.ratio("source_ok", "matched")),
            "content_accuracy": _round(self.ratio("content_ok", "matched")),
            "polarity_accuracy": _round(self.ratio("polarity_ok", "matched")),
            "type_accuracy": _round(self.ratio("type_ok", "matched")),
            "hedge_recall": _round(self.ratio("hedge_found", "hedged")),
            "hedge_false_rate": _round(self.ratio("hedge_spurious", "unhedged")),
            "matched": self.counts["matched"],
            "documents": self.counts["documents"],
        }


def _round(x):
    return None if x is None else round(x, 4)


def _flex(s: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(p) for p in s.split()))


def load_gold(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except OSError as e:
        raise GoldError(path, f"cannot read: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise GoldError(path, f"not valid YAML: {getattr(e, 'problem', e)}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("docs"), dict):
        raise GoldError(path, "a gold file is a mapping with a 'docs' mapping", key="docs")
    for doc_id, doc in data["docs"].items():
        if not isinstance(doc, dict) or not isinstance(doc.get("claims", []), list):
            raise GoldError(path, f"doc {doc_id!r} must be a mapping with a 'claims' list", key="claims")
        for i, c in enumerate(doc.get("claims") or []):
            for k in ("anchor", "cue", "type", "polarity"):
                if not isinstance(c, dict) or k not in c:
                    raise GoldError(path, f"doc {doc_id!r} claim {i + 1}: missing '{k}'", key=k)
    return data


def locate(text: str, doc_id: str, claim: dict, path: str) -> tuple[int, int]:
    """The gold cue's raw span: the cue inside the document's unique anchor."""
    hits = list(_flex(claim["anchor"]).finditer(text))
    if len(hits) != 1:
        raise GoldError(path, f"doc {doc_id!r}: anchor {claim['anchor']!r} occurs {len(hits)} times (must be once)", key="anchor")
    a = hits[0]
    c = _flex(claim["cue"]).search(text, a.start(), a.end())
    if c is None:
        raise GoldError(path, f"doc {doc_id!r}: cue {claim['cue']!r} is not inside anchor {claim['anchor']!r}", key="cue")
    return c.start(), c.end()


def _tokens(s: str | None) -> list[str]:
    out = []
    for w in re.findall(r"[^\W_]+", fold(s or "")):
        # compare words without their clitics and article: للمرصد, المرصد, مرصد
        if w.startswith("لل") and len(w) > 4:
            w = w[2:]
        elif len(w) > 3 and w[0] in "وفبل" and not w.startswith("ال"):
            w = w[1:]
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        out.append(w)
    return out


def token_f1(a: str | None, b: str | None) -> float:
    ta, tb = Counter(_tokens(a)), Counter(_tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def _source_ok(pred: dict, gold: dict) -> bool:
    src = pred.get("source") or {}
    if gold.get("source") is None:
        return src.get("kind") == "none" or not src.get("text")
    alts = [gold["source"]] + list(gold.get("source_alt") or []) if isinstance(gold.get("source_alt"), list) \
        else [gold["source"], gold.get("source_alt")]
    return any(a and token_f1(src.get("text"), a) >= F1_THRESHOLD for a in alts)


def score_document(text: str, doc_id: str, gold_doc: dict, preds: list[dict], path: str, scores: Scores) -> None:
    golds = [GoldClaim(doc_id, *locate(text, doc_id, c, path), c) for c in gold_doc.get("claims") or []]
    preds = sorted(preds, key=lambda r: r["cue"]["start"])
    used: set[int] = set()
    scores.counts["documents"] += 1
    for g in sorted(golds, key=lambda g: g.start):
        match = None
        for i, p in enumerate(preds):
            if i not in used and p["cue"]["start"] < g.end and g.start < p["cue"]["end"]:
                match = i
                break
        optional = bool(g.data.get("optional"))
        if match is None:
            if not optional:
                scores.fn += 1
                scores.errors.append({"doc": doc_id, "kind": "missed", "anchor": g.data["anchor"], "gold": g.data})
            continue
        used.add(match)
        if optional:
            continue
        p = preds[match]
        scores.tp += 1
        c = scores.counts
        c["matched"] += 1
        ok = {
            "source_ok": _source_ok(p, g.data),
            "content_ok": token_f1(p["content"]["text"], g.data.get("content")) >= F1_THRESHOLD,
            "polarity_ok": p["polarity"] == g.data["polarity"],
            "type_ok": p["cue"]["type"] == g.data["type"],
        }
        for k, v in ok.items():
            c[k] += v
        hedged = bool(p.get("hedges"))
        if g.data.get("hedged"):
            c["hedged"] += 1
            c["hedge_found"] += hedged
        else:
            c["unhedged"] += 1
            c["hedge_spurious"] += hedged
        bad = [k for k, v in ok.items() if not v]
        if bad:
            scores.errors.append({"doc": doc_id, "kind": "wrong " + ",".join(k[:-3] for k in bad),
                                  "anchor": g.data["anchor"], "gold": g.data,
                                  "pred": {k: p[k] for k in ("cue", "source", "content", "polarity")}})
    for i, p in enumerate(preds):
        if i not in used:
            scores.fp += 1
            scores.errors.append({"doc": doc_id, "kind": "spurious", "pred": {k: p[k] for k in ("cue", "source", "content")}})


def doc_key_matches(doc_id: str, gold_ids: set[str]) -> str | None:
    if doc_id in gold_ids:
        return doc_id
    stem = Path(doc_id).stem if "/" in doc_id or doc_id.endswith(".txt") else doc_id
    return stem if stem in gold_ids else None


def default_inputs(gold: dict, gold_path: str) -> list[str]:
    """Where a gold file's documents live when no INPUT is given."""
    corpus = gold.get("corpus", "seeds")
    root = Path(__file__).resolve().parents[1]
    if corpus == "seeds":
        return [str(root / "seeds")]
    if corpus == "baly2018":
        return [str(root.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl")]
    raise GoldError(gold_path, f"unknown corpus {corpus!r}: pass the documents as INPUT", key="corpus")
