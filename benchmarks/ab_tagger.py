"""A/B of the gazetteer tagger: the `claimx/gazetteer.py` of a git revision against the
working tree's, on the stretches `extract` tags, interleaved, CPU time.

    python benchmarks/ab_tagger.py [seeds|N] [--rounds R] [--rev REV]

seeds: the five seeds (default, 200 rounds); N: the first N Baly articles (3 rounds).
Both taggers are compiled from the same entries, so only the tagging code differs; each
document is tagged by both (the order alternates by round) and their mentions must be
equal, on the extract spans and on the whole document. Prints microseconds per document
and the ratio new/old. On a shared machine the ratio is steadier than either figure.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"


def _old_module(rev: str):
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:claimx/gazetteer.py"],
                         capture_output=True, text=True, check=True).stdout
    mod = types.ModuleType("claimx._gazetteer_ab")
    mod.__package__ = "claimx"
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(src, f"{rev}:claimx/gazetteer.py", "exec"), mod.__dict__)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="?", default="seeds")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--rev", default="HEAD")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    import claimx.gazetteer as new_mod
    from claimx.extract import find_claims
    from claimx.gazetteer_data import load_entries
    from claimx.model import Document
    from claimx.pipeline import Pipeline
    from claimx.segment import split_sentences

    old_mod = _old_module(args.rev)
    entries = load_entries(())
    old, new = old_mod.Gazetteer(entries, "ab", ()), new_mod.Gazetteer(entries, "ab", ())
    if args.docs == "seeds":
        docs = [(p.name, p.read_text("utf-8-sig")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
        rounds = args.rounds or 200
    else:
        docs = []
        with CORPUS.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                docs.append((r["id"], r["text"]))
                if len(docs) >= int(args.docs):
                    break
        rounds = args.rounds or 3
    pipe = Pipeline()
    work = []
    for i, t in docs:
        d = Document(i, t)
        drafts = find_claims(d, pipe.lexicons, split_sentences(d), None)
        if drafts:
            work.append((i, t, pipe._tagged_spans(d, drafts)))
    for i, t, spans in work:  # warms the per-word caches, and checks the output
        assert old.tag(Document(i, t), spans) == new.tag(Document(i, t), spans), i
        assert old.tag(Document(i, t)) == new.tag(Document(i, t)), i
    a = b = 0.0
    clock = time.process_time
    for r in range(rounds):
        for i, t, spans in work:
            d1, d2 = Document(i, t), Document(i, t)
            d1.normalized, d2.normalized  # noqa: B018 - the view is the normaliser's cost
            if r % 2:
                t0 = clock(); old.tag(d1, spans); t1 = clock(); new.tag(d2, spans); t2 = clock()  # noqa: E702
                a += t1 - t0
                b += t2 - t1
            else:
                t0 = clock(); new.tag(d2, spans); t1 = clock(); old.tag(d1, spans); t2 = clock()  # noqa: E702
                b += t1 - t0
                a += t2 - t1
    n = rounds * len(work)
    print(json.dumps({"documents": len(work), "rounds": rounds, "rev": args.rev, "old_us": round(a * 1e6 / n),
                      "new_us": round(b * 1e6 / n), "new_over_old": round(b / a, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
