"""A small corpus made from seeds/ for the batch tests (parallel, cache, diff, dask).

Each seed is split into paragraphs; every paragraph and every whole seed becomes
one JSONL record with metadata, so the batch tests see many documents of mixed
sizes without ../shared.
"""
from __future__ import annotations

import json
from pathlib import Path

from conftest import SEEDS


def corpus_records() -> list[dict]:
    recs = []
    for p in sorted(SEEDS.glob("*.txt")):
        text = p.read_text("utf-8-sig")
        recs.append({"id": p.stem, "text": text, "url": f"https://example.org/{p.stem}"})
        for k, para in enumerate(t for t in text.split("\n") if len(t.strip()) > 40):
            recs.append({"id": f"{p.stem}#{k}", "text": para, "outlet": "seed", "n": k})
    return recs


def write_corpus(path: Path, records: list[dict] | None = None) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records if records is not None else corpus_records():
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path
