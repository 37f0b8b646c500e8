"""Train the tiny stanza models the loading-path tests use (committed, < 3 MB in all).

They learn from tests/fixtures/stanza/tiny-train.conllu (our own sentences, written
by scripts/make_tiny_conllu.py) and prove the plumbing — offline pipeline build,
tokenize → mwt → pos → lemma → depparse → ner, offsets — not accuracy.

    .venv-extras/bin/python scripts/train_tiny_stanza.py [--out tests/fixtures/stanza/models]

Takes a few minutes on 2 cores. Needs the `stanza` extra (install torch==2.13.0 first).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stanza_training import Trainer, conllu_to_ner_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "stanza"

# Small dimensions keep the five models well under 3 MB together.
SMALL_TOK = ["--hidden_dim", "32", "--emb_dim", "16"]
SMALL_MWT = ["--hidden_dim", "32", "--emb_dim", "16"]
SMALL_POS = ["--hidden_dim", "32", "--char_hidden_dim", "32", "--deep_biaff_hidden_dim", "32",
             "--composite_deep_biaff_hidden_dim", "16", "--word_emb_dim", "16", "--char_emb_dim", "16",
             "--tag_emb_dim", "8", "--transformed_dim", "16", "--num_layers", "1", "--batch_size", "100"]
SMALL_DEP = ["--hidden_dim", "32", "--char_hidden_dim", "32", "--deep_biaff_hidden_dim", "32",
             "--word_emb_dim", "16", "--char_emb_dim", "16", "--tag_emb_dim", "8", "--transformed_dim", "16",
             "--num_layers", "1", "--batch_size", "500"]
SMALL_LEMMA = ["--hidden_dim", "32"]  # emb_dim must match the POS embedding (50)
SMALL_NER = ["--hidden_dim", "32", "--char_hidden_dim", "32", "--word_emb_dim", "16", "--char_emb_dim", "16",
             "--num_layers", "1", "--batch_size", "16"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=FIX / "models")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--force", action="store_true", help="retrain models that already exist in --out")
    args = ap.parse_args(argv)

    def todo(proc: str) -> bool:
        return args.force or not (args.out / f"{proc}.pt").is_file()

    t0 = time.perf_counter()
    tr = Trainer(FIX / "tiny-train.conllu", FIX / "tiny-dev.conllu", args.out, short="ar_tiny")
    try:
        if todo("tokenize"):
            tr.tokenize(args.steps, SMALL_TOK)
        if todo("mwt"):
            tr.mwt(30, SMALL_MWT)
        if todo("pos"):
            tr.pos(args.steps, SMALL_POS)
        if todo("lemma"):
            tr.lemma(30, SMALL_LEMMA)
        if todo("depparse"):
            tr.depparse(args.steps, SMALL_DEP)
        if todo("ner"):
            ner_train, ner_dev = tr.work / "ner-train.json", tr.work / "ner-dev.json"
            conllu_to_ner_json(FIX / "tiny-train.conllu", ner_train)
            conllu_to_ner_json(FIX / "tiny-dev.conllu", ner_dev)
            tr.ner(ner_train, ner_dev, args.steps, SMALL_NER)
    finally:
        tr.cleanup()
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.glob("*.pt"))}
    info = {"trained_from": "tests/fixtures/stanza/tiny-train.conllu", "seconds_this_run": tr.timings,
            "bytes": sizes, "total_bytes": sum(sizes.values())}
    (args.out / "README.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(info, indent=1))
    print(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
