from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
BALY = SHARED / "corpus" / "baly2018" / "articles.jsonl"

needs_baly = pytest.mark.skipif(not BALY.exists(), reason=f"Baly corpus not found at {BALY} (../shared is absent)")


def assert_spans(record: dict, text: str) -> None:
    """Every span in a record slices the raw text to its own text."""
    from claimx.schema import spans_of

    for span in spans_of(record):
        if span.get("start") is None:
            continue
        assert text[span["start"]:span["end"]] == span["text"], span


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text("utf-8-sig") for p in sorted(SEEDS.glob("*.txt"))}
