"""Compare claimx's engines on the development gold set: accuracy and speed.

The same scoring as `claimx eval` (claimx.evaluate.score_document) on the same documents;
for `--engine stanza` the light engine's records are refined by the parse exactly as
`Pipeline(engine="stanza")` does (`engine.refine(doc.text, records)`). Speed is articles
per second of extraction (model loading reported apart), on the gold documents and, with
`--speed-docs N`, on the first N Baly articles.

    .venv-extras/bin/python benchmarks/bench_engines.py --engine light
    .venv-extras/bin/python benchmarks/bench_engines.py --engine stanza --models models/stanza-ar-pud
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimx.engines import load_engine  # noqa: E402
from claimx.evaluate import Scores, default_inputs, doc_key_matches, load_gold, score_document  # noqa: E402
from claimx.io import iter_documents  # noqa: E402
from claimx.pipeline import Options, Pipeline  # noqa: E402

DEV = [ROOT / "tests/gold/dev-seeds.yaml", ROOT.parent / "shared/docs/examples/gold-000-001.yaml",
       ROOT / "tests/gold/dev-baly-a.yaml", ROOT / "tests/gold/dev-baly-b.yaml"]


def gold_documents(paths):
    for path in paths:
        gold = load_gold(str(path))
        wanted = set(map(str, gold["docs"]))
        inputs = default_inputs(gold, str(path))
        if str(path).endswith("gold-000-001.yaml"):
            inputs = [str(ROOT / "seeds")]
        seen = set()
        for doc in iter_documents(inputs, "*.txt", lambda e: None):
            key = doc_key_matches(doc.id, wanted)
            if key is None or key in seen:
                continue
            seen.add(key)
            yield path, key, gold["docs"][key], doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="light", choices=["light", "stanza"])
    ap.add_argument("--models", default=None)
    ap.add_argument("--policy", default="parse", choices=["parse", "fill", "overlap"],
                    help="stanza: parse spans win (parse) or only fill what the rules left empty (fill)")
    ap.add_argument("--gold", action="append", type=Path, help="gold files (default: the dev set)")
    ap.add_argument("--speed-docs", type=int, default=0, help="also time the first N Baly articles")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    pipe = Pipeline(Options())
    t0 = time.perf_counter()
    engine = load_engine(args.engine, models=args.models, **({"policy": args.policy} if args.engine == "stanza" else {}))
    load_s = time.perf_counter() - t0

    def run(doc):
        recs = pipe.extract(doc)
        return engine.refine(doc.text, recs) if recs else recs

    docs = list(gold_documents(args.gold or [p for p in DEV if p.is_file()]))
    scores = Scores()
    changed = {"source": 0, "content": 0, "recipient": 0}
    n_claims = 0
    t0 = time.perf_counter()
    for path, key, gold_doc, doc in docs:
        recs = run(doc)
        n_claims += len(recs)
        for r in recs:
            for k in changed:
                if k in (r.get("evidence") or {}).get("rules", {}):
                    changed[k] += 1
        score_document(doc.text, key, gold_doc, recs, str(path), scores)
    dev_s = time.perf_counter() - t0
    result = {"engine": args.engine, "models": args.models, "policy": args.policy if args.engine == "stanza" else None, "load_seconds": round(load_s, 2),
              "dev": {**scores.as_dict(), "seconds": round(dev_s, 2),
                      "articles_per_s": round(len(docs) / dev_s, 2) if dev_s else None,
                      "records": n_claims, "changed_vs_rules": changed}}
    if args.speed_docs:
        corpus = ROOT.parent / "shared/corpus/baly2018/articles.jsonl"
        sample = []
        for doc in iter_documents([str(corpus)], "*.txt", lambda e: None):
            sample.append(doc)
            if len(sample) >= args.speed_docs:
                break
        t0 = time.perf_counter()
        n = sum(len(run(doc)) for doc in sample)
        s = time.perf_counter() - t0
        result["speed"] = {"articles": len(sample), "claims": n, "seconds": round(s, 2),
                           "articles_per_s": round(len(sample) / s, 2),
                           "mb_per_s": round(sum(len(d.text.encode()) for d in sample) / s / 1e6, 3)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        d = result["dev"]
        c = d["claims"] if isinstance(d["claims"], dict) else {}
        print(f"{args.engine}: P {c.get('precision')} R {c.get('recall')} F1 {c.get('f1')} "
              f"source {d['source_accuracy']} content {d['content_accuracy']} polarity {d['polarity_accuracy']} "
              f"| {d['articles_per_s']} articles/s, load {result['load_seconds']} s")
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
