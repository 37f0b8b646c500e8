"""Train a stanza Arabic pipeline with no network, from data in ../shared.

- tokenize, pos, lemma, depparse: UD Arabic-PUD (../shared/ud/ar_pud-ud-test.conllu,
  1,000 sentences, CC BY-SA 3.0), split 900 train / 100 dev (every tenth sentence).
  PUD writes clitics as separate tokens (no multi-word tokens), so there is no MWT model:
  the tokenizer itself learns to split و/ب/ل off.
- ner: ANERcorp (../shared/ner/anercorp/ANERCorp, PER/ORG/LOC/MISC, research use),
  every tenth sentence held out.

No pretrained word vectors or character LMs (they would have to be downloaded), so these
models are far weaker than stanza's official ones (`claimx models download --engine
stanza` where a network exists). The output is not committed: it goes to models/ (git-ignored).

    .venv-extras/bin/python scripts/train_stanza_pud.py [--out models/stanza-ar-pud] [--scale 1.0]

`--scale` multiplies every step count (0.2 for a quick smoke run).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stanza_training import Trainer, anercorp_to_ner_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(ROOT.parent / "shared") if (ROOT.parent / "shared").is_dir() else ROOT / ".." / "shared"
PUD = SHARED / "ud" / "ar_pud-ud-test.conllu"
ANER = SHARED / "ner" / "anercorp" / "ANERCorp"

# Medium sizes: 2 CPU cores, tens of minutes in all. Defaults would be 13.7 MB (POS) and 77 MB (depparse).
# The tagger's --batch_size counts sentences (500 made one step take minutes on CPU); the parser's counts words.
POS = ["--hidden_dim", "128", "--char_hidden_dim", "128", "--deep_biaff_hidden_dim", "128",
       "--composite_deep_biaff_hidden_dim", "64", "--word_emb_dim", "64", "--num_layers", "2", "--batch_size", "32"]
DEP = ["--hidden_dim", "200", "--char_hidden_dim", "128", "--deep_biaff_hidden_dim", "200",
       "--word_emb_dim", "64", "--num_layers", "2", "--batch_size", "2000"]
NER = ["--hidden_dim", "128", "--char_hidden_dim", "128", "--word_emb_dim", "64", "--num_layers", "1",
       "--batch_size", "32"]


def split_pud(src: Path, train: Path, dev: Path) -> tuple[int, int]:
    blocks = [b for b in src.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    tr = [b for i, b in enumerate(blocks) if i % 10 != 9]
    dv = [b for i, b in enumerate(blocks) if i % 10 == 9]
    train.write_text("\n\n".join(tr) + "\n\n", encoding="utf-8")
    dev.write_text("\n\n".join(dv) + "\n\n", encoding="utf-8")
    return len(tr), len(dv)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "stanza-ar-pud")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default="tokenize,pos,lemma,depparse,ner", help="processors to train")
    args = ap.parse_args(argv)
    if not PUD.is_file():
        print(f"missing {PUD}", file=sys.stderr)
        return 2
    only = set(args.only.split(","))

    def n(steps: int) -> int:
        return max(20, int(steps * args.scale))

    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "_data"
    work.mkdir(exist_ok=True)
    ntr, ndv = split_pud(PUD, work / "train.conllu", work / "dev.conllu")
    print(f"PUD split: {ntr} train, {ndv} dev sentences")
    t0 = time.perf_counter()
    tr = Trainer(work / "train.conllu", work / "dev.conllu", args.out, short="ar_pud", treebank="UD_Arabic-PUD")
    try:
        if "tokenize" in only:
            tr.tokenize(n(1500))
        if "pos" in only:
            tr.pos(n(2000), POS)
        if "lemma" in only:
            tr.lemma(n(20))
        if "depparse" in only:
            tr.depparse(n(1500), DEP)
        if "ner" in only and ANER.is_file():
            ntrain, ndev = anercorp_to_ner_json(ANER, work / "ner-train.json", work / "ner-dev.json")
            print(f"ANERcorp: {ntrain} train, {ndev} dev sentences")
            tr.ner(work / "ner-train.json", work / "ner-dev.json", n(2000), NER)
        log = (tr.work / "train.log").read_text(encoding="utf-8")
        (args.out / "train.log").write_text(log, encoding="utf-8")
    finally:
        tr.cleanup()
    info_path = args.out / "README.json"
    info = json.loads(info_path.read_text()) if info_path.is_file() else {}
    info.update({"trained_from": {"ud": str(PUD.name), "ner": str(ANER.name)}, "scale": args.scale,
                 "seconds": {**info.get("seconds", {}), **tr.timings},
                 "bytes": {p.name: p.stat().st_size for p in sorted(args.out.glob("*.pt"))}})
    info_path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(info, indent=1))
    print(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
