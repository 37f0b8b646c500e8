"""Ledger agreement with the Baly et al. (2018) stance labels.

    python benchmarks/eval_ledger_baly.py [--json] [--limit N] [--rationale-only]

For every Baly claim with at least one article labelled `agree` or `disagree`:
1. the Baly claim sentence is framed like a claim's content (event type, place,
   agent side, negation) — this is the proposition the articles are about;
2. `Pipeline.extract` runs on every labelled article of that claim (with
   `--rationale-only`, only claims whose sentence lies on a rationale line are kept);
3. `build_ledger` groups all those claims; the proposition matching the Baly claim is
   the one with the same event type and place (and a shared side when both are known)
   holding the most articles;
4. an article is *placed* when it has claims in that proposition; its side is the
   majority of its claims there (asserting or denying/doubting; a tie is no side).
   Expected: agree → asserting, disagree → denying (swapped when the Baly claim is
   itself negated). A `disagree` article whose claims assert a proposition that
   contradicts the matched one (`conflicts_with`, e.g. ISIS holding the city the regime
   claims) is also reported, as "with contradictions".

Prints the figures (or one JSON object with --json). Exits 0 with a message when
../shared/corpus/baly2018/articles.jsonl is absent.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"


def _claim_frame(text: str, pipe=None) -> tuple[dict, bool]:
    """The frame of a Baly claim sentence, and whether it reports a denial.

    A claim that is itself reported speech ("الجيش السوري ينفي سيطرة المسلحين على خان
    طومان") is framed on its content, and a negative cue swaps the expected sides.
    """
    from claimx.frames import frame
    from claimx.model import Document

    if pipe is not None:
        for rec in pipe.extract(Document("baly-claim", text)):
            fr = frame(rec, text)
            if fr.get("event"):
                return fr, rec.get("polarity") == "negative"
    rec = {"id": "baly", "doc": {"id": "baly"}, "content": {"text": text, "start": 0, "end": len(text)},
           "cue": {"type": "say"}, "polarity": "positive", "entities": []}
    return frame(rec, text), False


def _sides_of(fr: dict, sides, gaz) -> set[str]:
    out: set[str] = set()
    for a in fr.get("actors") or []:
        if a.get("role") == "agent":
            if a.get("id"):
                out |= sides.of(a["id"], gaz)
            if a.get("side"):
                out.add(a["side"])
    ag = fr.get("agent") or {}
    if ag.get("id"):
        out |= sides.of(ag["id"], gaz)
    if ag.get("side"):
        out.add(ag["side"])
    return out


def _rationale_lines(row: dict) -> set[int]:
    r = row.get("rationale")
    if isinstance(r, str):
        try:
            r = json.loads(r)
        except json.JSONDecodeError:
            return set()
    return {int(x) for x in (r or []) if isinstance(x, (int, str)) and str(x).isdigit()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="only the first N Baly claims")
    ap.add_argument("--rationale-only", action="store_true", help="keep only claims on rationale lines")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: Baly corpus not found at {CORPUS} (../shared is absent)")
        return 0
    sys.path.insert(0, str(ROOT))
    from claimx.ledger import build_ledger, gazetteer_index, load_sides
    from claimx.model import Document
    from claimx.pipeline import Pipeline

    by_claim: dict[str, list[dict]] = defaultdict(list)
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["stance"] in ("agree", "disagree"):
                by_claim[row["claim_id"]].append(row)
    claim_ids = sorted(by_claim, key=lambda k: (len(k), k))
    if args.limit:
        claim_ids = claim_ids[: args.limit]
    pipe = Pipeline()
    gaz = gazetteer_index()
    sides = load_sides()
    t0 = time.perf_counter()
    tally = Counter()
    per_stance = defaultdict(Counter)
    for cid in claim_ids:
        rows = by_claim[cid]
        cf, reported_denial = _claim_frame(rows[0]["claim"], pipe)
        ev = cf.get("event")
        n = len(rows)
        tally["articles"] += n
        tally["claims"] += 1
        for row in rows:
            per_stance[row["stance"]]["articles"] += 1
        if not ev or ev.get("modality") != "asserted":
            tally["unframed_claims"] += 1
            tally["unframed_articles"] += n
            continue
        tally["framed_claims"] += 1
        place = (cf.get("place") or {}).get("id")
        csides = _sides_of(cf, sides, gaz)
        records = []
        for row in rows:
            doc = Document(row["id"], row["text"], {"url": row.get("url"), "stance": row["stance"]})
            recs = pipe.extract(doc)
            if args.rationale_only:
                lines = _rationale_lines(row)
                starts, pos = [], 0
                for ln in row["text"].split("\n"):
                    starts.append((pos, pos + len(ln)))
                    pos += len(ln) + 1
                spans = [starts[i] for i in lines if i < len(starts)]
                recs = [r for r in recs if any(a <= r["content"]["start"] < b for a, b in spans)]
            records += recs
        props = build_ledger(records, gazetteer=gaz)
        cands = [p for p in props if p["event"] == ev["type"] and p["modality"] == "asserted"
                 and (place is None or (p["place"] or {}).get("id") == place)
                 and (not csides or not p["actors"]["sides"] or csides & set(p["actors"]["sides"]))]
        if not cands:
            tally["unmatched_claims"] += 1
            for row in rows:
                per_stance[row["stance"]]["unplaced"] += 1
            continue
        prop = max(cands, key=lambda p: (len(p["articles"]), len(p["asserting"]) + len(p["denying"]), p["id"]))
        conflicting = {q["id"]: q for q in props if q["id"] in (prop.get("conflicts_with") or [])}
        negated = bool(ev.get("negated")) != reported_denial
        for row in rows:
            st = per_stance[row["stance"]]
            a = sum(1 for c in prop["asserting"] if c["doc"] == row["id"])
            d = sum(1 for c in prop["denying"] if c["doc"] == row["id"])
            expected = "assert" if (row["stance"] == "agree") != negated else "deny"
            if a == d == 0:
                contra = any(c["doc"] == row["id"] for q in conflicting.values() for c in q["asserting"])
                st["unplaced"] += 1
                if contra and expected == "deny":
                    st["contradiction_correct"] += 1
                continue
            st["placed"] += 1
            side = "assert" if a > d else "deny" if d > a else None
            if side == expected:
                st["correct"] += 1
            elif side is None:
                st["tie"] += 1
    secs = time.perf_counter() - t0
    placed = sum(s["placed"] for s in per_stance.values())
    correct = sum(s["correct"] for s in per_stance.values())
    contra = sum(s["contradiction_correct"] for s in per_stance.values())
    result = {
        "baly_claims": tally["claims"], "framed_claims": tally["framed_claims"],
        "unmatched_claims": tally["unmatched_claims"], "labelled_articles": tally["articles"],
        "placed_articles": placed, "coverage": round(placed / max(1, tally["articles"]), 3),
        "agreement_placed": round(correct / max(1, placed), 3),
        # what putting every placed article on the asserting side would score
        "baseline_all_asserting_placed": round(per_stance["agree"]["placed"] / max(1, placed), 3),
        "agreement_all": round(correct / max(1, tally["articles"]), 3),
        "agreement_all_with_contradictions": round((correct + contra) / max(1, tally["articles"]), 3),
        "per_stance": {k: dict(v) | {"agreement_placed": round(v["correct"] / max(1, v["placed"]), 3)}
                       for k, v in sorted(per_stance.items())},
        "rationale_only": args.rationale_only, "seconds": round(secs, 1),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:36} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
