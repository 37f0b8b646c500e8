"""Train stanza models with no network: the shared part of the two training scripts.

Follows the measured recipe in ../shared/docs/stanza-offline.md: stanza's own
`stanza.utils.datasets.prepare_*` and `stanza.utils.training.run_*` entry points,
with `--no_charlm` wherever a charlm exists (not MWT) and `--no_pretrain` for POS, depparse and NER (without
those flags they try to download and fail). Each model lands in OUT as
`<processor>.pt`, the flat layout `claimx.engines.stanza_engine` reads with `--models`.

Used by scripts/train_tiny_stanza.py and scripts/train_stanza_pud.py; run it from
a venv that has the `stanza` extra (torch first: see docs/engines.md).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")


def has_mwt(conllu: Path) -> bool:
    with open(conllu, encoding="utf-8") as f:
        return any(line.split("\t", 1)[0].count("-") == 1 and line[0].isdigit() for line in f)


def conllu_to_ner_json(conllu: Path, out: Path) -> int:
    """Stanza's NER training format from `ner=` tags in the token MISC column."""
    sents, cur = [], []
    skip_until = 0
    with open(conllu, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                cur, skip_until = [], 0
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            ident = cols[0]
            if "-" in ident:
                a, b = map(int, ident.split("-"))
                skip_until = b
            elif "." in ident or int(ident) <= skip_until:
                continue
            misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
            cur.append({"text": cols[1], "ner": misc.get("ner", "O")})
    if cur:
        sents.append(cur)
    out.write_text(json.dumps(sents, ensure_ascii=False), encoding="utf-8")
    return len(sents)


def anercorp_to_ner_json(path: Path, out_train: Path, out_dev: Path, dev_every: int = 10) -> tuple[int, int]:
    """ANERcorp ("word TAG" lines, sentences end with '.') to stanza's BIO json."""
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split()
        if len(parts) != 2:
            continue
        word, tag = parts
        tag = tag.replace("MISC", "MISC")
        cur.append({"text": word, "ner": tag})
        if word in (".", "!", "?", "؟") and len(cur) > 1:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    train = [s for i, s in enumerate(sents) if i % dev_every]
    dev = [s for i, s in enumerate(sents) if not i % dev_every]
    out_train.write_text(json.dumps(train, ensure_ascii=False), encoding="utf-8")
    out_dev.write_text(json.dumps(dev, ensure_ascii=False), encoding="utf-8")
    return len(train), len(dev)


class Trainer:
    """One temporary UD layout, one stanza run per processor, models copied to `out`."""

    def __init__(self, train: Path, dev: Path, out: Path, short: str = "ar_tiny", python: str = sys.executable,
                 log=print, treebank: str | None = None):
        self.train, self.dev, self.out = Path(train), Path(dev), Path(out)
        self.short = short
        lang, name = short.split("_", 1)
        # stanza maps the folder name to the short name; known treebanks keep UD's spelling (UD_Arabic-PUD)
        self.treebank = treebank or f"UD_Arabic-{name.capitalize()}"
        self.python = python
        self.log = log
        self.work = Path(tempfile.mkdtemp(prefix="claimx-stanza-train-"))
        self.saved = self.work / "saved_models"
        tb = self.work / "ud" / self.treebank
        tb.mkdir(parents=True)
        for split, src in (("train", self.train), ("dev", self.dev), ("test", self.dev)):
            shutil.copy(src, tb / f"{short}-ud-{split}.conllu")
        self.env = dict(os.environ, UDBASE=str(self.work / "ud"), DATA_ROOT=str(self.work / "data"),
                        STANZA_RESOURCES_DIR=str(self.work / "stanza_resources"))
        # one BLAS/OpenMP thread per process: on a shared 2-core machine, more threads only thrash
        self.env.setdefault("OMP_NUM_THREADS", "1")
        self.env.setdefault("MKL_NUM_THREADS", "1")
        self.out.mkdir(parents=True, exist_ok=True)
        self.timings: dict[str, float] = {}

    def _run(self, *args: str) -> None:
        cmd = [self.python, "-m", *args]
        self.log("$ " + " ".join(cmd))
        logf = self.work / "train.log"
        with open(logf, "a", encoding="utf-8") as fh:
            proc = subprocess.run(cmd, env=self.env, cwd=self.work, stdout=fh, stderr=subprocess.STDOUT)
        if proc.returncode:
            tail = logf.read_text(encoding="utf-8").splitlines()[-30:]
            raise RuntimeError(f"{' '.join(args[:2])} failed (exit {proc.returncode}):\n" + "\n".join(tail))

    def _collect(self, processor: str, pattern: str) -> Path:
        found = sorted(self.saved.rglob(pattern), key=lambda p: p.stat().st_mtime)
        if not found:
            raise RuntimeError(f"no {pattern} under {self.saved}")
        dest = self.out / f"{processor}.pt"
        shutil.copy(found[-1], dest)
        return dest

    def step(self, processor: str, fn) -> None:
        t0 = time.perf_counter()
        fn()
        self.timings[processor] = round(time.perf_counter() - t0, 1)
        self.log(f"{processor}: {self.timings[processor]} s, {(self.out / (processor + '.pt')).stat().st_size // 1024} KB")

    def tokenize(self, steps: int, extra=()):
        def fn():
            self._run("stanza.utils.datasets.prepare_tokenizer_treebank", self.treebank)
            self._run("stanza.utils.training.run_tokenizer", self.treebank, "--no_charlm",
                      "--save_dir", str(self.saved / "tokenize"), "--steps", str(steps),
                      "--eval_steps", str(max(50, steps // 4)), *extra)
            self._collect("tokenize", "*tokenizer*.pt")
        self.step("tokenize", fn)

    def mwt(self, epochs: int, extra=()):
        def fn():
            self._run("stanza.utils.datasets.prepare_mwt_treebank", self.treebank)
            # run_mwt has no charlm and rejects --no_charlm
            self._run("stanza.utils.training.run_mwt", self.treebank,
                      "--save_dir", str(self.saved / "mwt"), "--num_epoch", str(epochs), *extra)
            self._collect("mwt", "*mwt*.pt")
        self.step("mwt", fn)

    def pos(self, steps: int, extra=()):
        def fn():
            self._run("stanza.utils.datasets.prepare_pos_treebank", self.treebank)
            self._run("stanza.utils.training.run_pos", self.treebank, "--no_charlm", "--no_pretrain",
                      "--save_dir", str(self.saved / "pos"), "--max_steps", str(steps),
                      "--eval_interval", str(max(50, steps // 4)), *extra)
            self._collect("pos", "*tagger*.pt")
        self.step("pos", fn)

    def lemma(self, epochs: int, extra=()):
        def fn():
            self._run("stanza.utils.datasets.prepare_lemma_treebank", self.treebank, "--gold")
            self._run("stanza.utils.training.run_lemma", self.treebank, "--no_charlm",
                      "--save_dir", str(self.saved / "lemma"), "--num_epoch", str(epochs), *extra)
            self._collect("lemma", "*lemma*.pt")
        self.step("lemma", fn)

    def depparse(self, steps: int, extra=()):
        def fn():
            self._run("stanza.utils.datasets.prepare_depparse_treebank", self.treebank, "--gold")
            self._run("stanza.utils.training.run_depparse", self.treebank, "--no_charlm", "--no_pretrain",
                      "--save_dir", str(self.saved / "depparse"), "--max_steps", str(steps),
                      "--eval_interval", str(max(50, steps // 4)), *extra)
            self._collect("depparse", "*parser*.pt")
        self.step("depparse", fn)

    def ner(self, train_json: Path, dev_json: Path, steps: int, extra=()):
        def fn():
            self._run("stanza.models.ner_tagger", "--mode", "train", "--shorthand", self.short,
                      "--train_file", str(train_json), "--eval_file", str(dev_json),
                      "--no_pretrain", "--max_steps", str(steps), "--eval_interval", str(max(50, steps // 4)),
                      "--save_dir", str(self.saved / "ner"), "--save_name", f"{self.short}_nertagger.pt", *extra)
            self._collect("ner", "*nertagger*.pt")
        self.step("ner", fn)

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
