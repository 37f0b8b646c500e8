"""A/B of `extract` (claims, tagging, records and JSON lines): the code of a git revision
against the working tree's, in alternating fresh processes, CPU time.

    python benchmarks/ab_extract.py --rev REV [--limit N] [--pairs P]

The revision is exported with `git archive` into a temporary folder; each run loads the
first N Baly articles (all by default), builds a `Pipeline` (gazetteer from the disk cache
under a temporary `CLAIMX_CACHE`), extracts one article to warm the lexicons, then times
`json_lines(pipe.extract(doc))` over the articles with `time.process_time`. The order of
the two runs alternates by pair. Prints each pair and the ratio branch/rev; on a shared
machine the ratio of a pair is steadier than either time. Exits 0 with a message when the
corpus is absent.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"

_RUN = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import claimx
assert claimx.__file__.startswith(sys.argv[1]), claimx.__file__
from claimx.io import record_to_document
from claimx.parallel import json_lines
from claimx.pipeline import Pipeline
docs = []
with open(sys.argv[2], "rb") as fh:
    for i, line in enumerate(fh):
        if int(sys.argv[3]) and i >= int(sys.argv[3]):
            break
        docs.append(record_to_document(json.loads(line), sys.argv[2], i + 1))
pipe = Pipeline()
pipe.extract(docs[0])
t = time.process_time()
for d in docs:
    json_lines(pipe.extract(d))
print(time.process_time() - t)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--pairs", type=int, default=3)
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS}")
        return 0
    with tempfile.TemporaryDirectory(prefix="claimx-ab-") as tmp:
        old = Path(tmp) / "rev"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev, "claimx"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old)
        env = dict(os.environ, CLAIMX_CACHE=str(Path(tmp) / "cache"))

        def run(root: Path) -> float:
            out = subprocess.run([sys.executable, "-c", _RUN, str(root), str(CORPUS), str(args.limit)],
                                 capture_output=True, text=True, check=True, env=env).stdout
            return float(out.split()[-1])

        run(old), run(ROOT)  # fill the gazetteer disk cache of each code (its key hashes the code)
        ratios = []
        for p in range(args.pairs):
            if p % 2 == 0:
                a = run(old)
                b = run(ROOT)
            else:
                b = run(ROOT)
                a = run(old)
            ratios.append(b / a)
            print(json.dumps({"pair": p + 1, "rev_s": round(a, 2), "branch_s": round(b, 2), "ratio": round(b / a, 3)}))
    print(json.dumps({"rev": args.rev, "limit": args.limit, "pairs": args.pairs,
                      "ratios": sorted(round(r, 3) for r in ratios)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
