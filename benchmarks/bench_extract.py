"""Single-core throughput of the claim stage on the Baly corpus.

    python benchmarks/bench_extract.py [--limit N]

Reads ../shared/corpus/baly2018/articles.jsonl (3,042 scraped articles), runs
`Pipeline.extract` on each in this one process, and prints articles/s, MB/s
(UTF-8 bytes of the article texts) and the number of claims. Exits 0 with a
message when the corpus is absent.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-gazetteer", action="store_true", help="claim stage only, without entity tagging")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0
    sys.path.insert(0, str(ROOT))
    from claimx.model import Document
    from claimx.pipeline import Pipeline

    docs = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs.append(Document(r["id"], r["text"]))
            if args.limit and len(docs) >= args.limit:
                break
    pipe = Pipeline()
    if args.no_gazetteer:
        pipe._gazetteer = False
    pipe.extract(docs[0])  # load lexicons (and the gazetteer) before timing
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    t0 = time.perf_counter()
    claims = sum(len(pipe.extract(d)) for d in docs)
    secs = time.perf_counter() - t0
    print(json.dumps({"articles": len(docs), "mb": round(nbytes / 1e6, 1), "seconds": round(secs, 2),
                      "articles_per_s": round(len(docs) / secs, 1), "mb_per_s": round(nbytes / 1e6 / secs, 2),
                      "claims": claims, "gazetteer": not args.no_gazetteer}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
