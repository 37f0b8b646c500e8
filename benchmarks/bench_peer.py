"""The peer: spaCy's blank Arabic pipeline + an EntityRuler with the gazetteer's names.

    .venv-bench/bin/python benchmarks/bench_peer.py CORPUS.jsonl PATTERNS.json [N_PROCESS]

Runs in the benchmark venv only (spaCy is not a claimx dependency):

    python -m venv .venv-bench && .venv-bench/bin/pip install 'spacy>=3.8,<3.9'

Tokenisation + phrase matching, documents streamed from the JSONL file
(`nlp.pipe`, batches of 64), in one process or N_PROCESS (spaCy's own
multiprocessing, the counterpart of `claimx --jobs N`). PATTERNS.json is written by bench_batch.py from
claimx's gazetteer loader: [{"label", "pattern", "id"}, …]. Prints one JSON line
on standard error: articles, entities found, seconds (excluding start-up).
"""
from __future__ import annotations

import json
import sys
import time


def texts(path: str):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)["text"]


def main() -> int:
    corpus, patterns_path = sys.argv[1], sys.argv[2]
    n_process = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.blank("ar")
    ruler = nlp.add_pipe("entity_ruler")
    with open(patterns_path, encoding="utf-8") as fh:
        ruler.add_patterns(json.load(fh))
    setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    docs = ents = tokens = 0
    for doc in nlp.pipe(texts(corpus), batch_size=64, n_process=n_process):
        docs += 1
        tokens += len(doc)
        ents += len(doc.ents)
    secs = time.perf_counter() - t1
    print(json.dumps({"spacy": spacy.__version__, "n_process": n_process, "articles": docs, "tokens": tokens, "entities": ents,
                      "setup_s": round(setup, 2), "process_s": round(secs, 2)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
