"""Gazetteer speed: load time, and what tagging adds to `extract`.

    python benchmarks/bench_gazetteer.py [--limit N] [--repeat R]

1. Loading the default gazetteer in a fresh process (import claimx.gazetteer
   excluded), three ways: from the YAML files with no disk cache (cold), the
   first run that writes the disk cache, and a run that reads it (warm). Target:
   under 0.2 s for a normal (warm) run.
2. `Pipeline.extract` with and without the gazetteer stage, interleaved
   document by document, CPU time: on the five seeds (R x 20 rounds) and on the
   first N articles of ../shared/corpus/baly2018 (default 400, R rounds,
   default 3); the overhead in percent. Target: at most 30 %. (extract tags only
   the claims' spans and the outlet candidates; see `Pipeline._tagged_spans`.)
3. `Gazetteer.tag` on whole articles, as `claimx tag` does (articles/s).

Prints one JSON object. Exits 0 with a message when the corpus is absent
(the load figures are still measured).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"

_LOAD = ("import time, claimx.gazetteer as g; t = time.perf_counter(); gz = g.load_gazetteer(); "
         "print(time.perf_counter() - t, len(gz))")


def _load_seconds(env: dict) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", _LOAD], env=env, capture_output=True, text=True, check=True,
                         cwd=str(ROOT))
    secs, n = out.stdout.split()
    return float(secs), int(n)


def load_times() -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CLAIMX_CACHE": cache, "PYTHONPATH": str(ROOT)}
        cold = min(_load_seconds({**env, "CLAIMX_NO_CACHE": "1"})[0] for _ in range(3))
        first, n = _load_seconds(env)
        warm = min(_load_seconds(env)[0] for _ in range(3))
    return {"entries": n, "load_cold_s": round(cold, 3), "load_first_s": round(first, 3), "load_warm_s": round(warm, 3)}


def overhead(docs: list[tuple[str, str]], repeat: int) -> dict:
    """`Pipeline.extract` with and without the gazetteer, interleaved document by
    document (so that a busy machine slows both alike), CPU time, fresh documents."""
    from claimx.model import Document
    from claimx.pipeline import Pipeline

    plain, with_gaz = Pipeline(), Pipeline()
    plain._gazetteer = False
    for p in (plain, with_gaz):  # load lexicons and the gazetteer, warm the caches
        for i, t in docs:
            p.extract(Document(i, t))
    a = b = 0.0
    claims = 0
    clock = time.process_time
    for _ in range(repeat):
        for i, t in docs:
            d1, d2 = Document(i, t), Document(i, t)
            t0 = clock()
            claims += len(plain.extract(d1))
            t1 = clock()
            with_gaz.extract(d2)
            t2 = clock()
            a += t1 - t0
            b += t2 - t1
    n = len(docs) * repeat
    return {"documents": len(docs), "claims": claims // repeat, "extract_ms": round(a * 1000 / n, 2),
            "extract_with_gazetteer_ms": round(b * 1000 / n, 2), "overhead_pct": round(100 * (b - a) / a, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    result = load_times()
    seeds = [(p.name, p.read_text("utf-8-sig")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    result["seeds"] = overhead(seeds, args.repeat * 20)
    if not CORPUS.exists():
        print(json.dumps(result))
        print(f"skipped the Baly comparison: corpus not found at {CORPUS}")
        return 0
    from claimx.gazetteer import load_gazetteer
    from claimx.model import Document

    docs = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs.append((r["id"], r["text"]))
            if len(docs) >= args.limit:
                break
    result["baly"] = overhead(docs, args.repeat)
    gaz = load_gazetteer()
    best, mentions = float("inf"), 0
    for _ in range(args.repeat):
        fresh = [Document(i, t) for i, t in docs]
        for d in fresh:
            d.normalized  # noqa: B018 - tagging alone; the view is the normaliser's cost
        t0 = time.process_time()
        mentions = sum(len(gaz.tag(d)) for d in fresh)
        best = min(best, time.process_time() - t0)
    result["tag_whole_documents"] = {"articles_per_s": round(len(docs) / best, 1), "mentions": mentions}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
