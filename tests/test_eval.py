"""`claimx eval` and the gold files themselves."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.errors import GoldError
from claimx.evaluate import load_gold, locate, token_f1
from conftest import BALY, ROOT, SEEDS, SHARED, needs_baly

GOLD = ROOT / "tests" / "gold"
EXAMPLE = SHARED / "docs" / "examples" / "gold-000-001.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_eval_dev_seeds_json_figures():
    result = run("eval", "--gold", str(GOLD / "dev-seeds.yaml"), str(SEEDS), "--json")
    assert result.exit_code == 0
    fig = json.loads(result.stdout)
    assert fig["documents"] == 3
    # a regression guard on the development set, not a quality claim (see BENCHMARKS.md)
    assert fig["claims"]["f1"] >= 0.85
    assert fig["polarity_accuracy"] >= 0.95


@pytest.mark.skipif(not EXAMPLE.exists(), reason="../shared/docs/examples is absent")
def test_eval_reads_the_shared_gold_example():
    result = run("eval", "--gold", str(EXAMPLE), str(SEEDS))
    assert result.exit_code == 0
    assert "claims    P" in result.stdout


def test_eval_entity_only_docs_stay_out_of_the_claim_figures(tmp_path):
    # a doc with no `claims` key annotates entities only; `claims: []` says "no claims here"
    only = tmp_path / "only.yaml"
    only.write_text("corpus: seeds\ndocs:\n  002_ee38cd340660eb9a:\n    entities:\n"
                    "      place: {abu_kamal: [البوكمال]}\n", "utf-8")
    result = run("eval", "--gold", str(only), str(SEEDS), "--entities", "--json")
    assert result.exit_code == 0, result.output
    fig = json.loads(result.stdout)
    assert fig["documents"] == 0 and fig["claims"]["fp"] == 0
    assert fig["entities"]["documents"] == 1 and fig["entities"]["occurrences"] >= 1
    assert "not annotated" in run("eval", "--gold", str(only), str(SEEDS), "--entities").stdout
    none = tmp_path / "none.yaml"
    none.write_text(only.read_text("utf-8").replace("    entities:", "    claims: []\n    entities:"), "utf-8")
    fig = json.loads(run("eval", "--gold", str(none), str(SEEDS), "--json").stdout)
    assert fig["documents"] == 1 and fig["claims"]["fp"] > 0


def test_eval_missing_documents_is_an_error(tmp_path):
    result = run("eval", "--gold", str(GOLD / "dev-seeds.yaml"), str(tmp_path))
    assert result.exit_code == 1
    assert "gold documents not found" in result.output


def test_eval_bad_gold_file(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("docs:\n  a:\n    claims:\n      - {anchor: x}\n", "utf-8")
    with pytest.raises(GoldError, match="missing 'cue'"):
        load_gold(str(bad))


def test_eval_anchor_must_be_unique():
    with pytest.raises(GoldError, match="occurs 2 times"):
        locate("قال وقال", "d", {"anchor": "قال", "cue": "قال"}, "g.yaml")
    assert locate("قال\u00a0 المرصد", "d", {"anchor": "قال المرصد", "cue": "قال"}, "g.yaml") == (0, 3)


def test_eval_token_f1_ignores_marks_and_clitics():
    assert token_f1("المرصدُ السوري", "المرصد السوري") == 1.0
    assert token_f1("وزارة الدفاع", "وكالة سانا") == 0.0


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.yaml")), ids=lambda p: p.name)
def test_gold_files_fit_their_documents(path):
    gold = load_gold(str(path))
    if gold.get("corpus") == "baly2018":
        if not BALY.exists():
            pytest.skip(f"Baly corpus not found at {BALY} (../shared is absent)")
        texts = {}
        with BALY.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["id"] in gold["docs"]:
                    texts[r["id"]] = r["text"]
    else:
        texts = {k: (SEEDS / f"{k}.txt").read_text("utf-8-sig") for k in gold["docs"]}
    for doc_id, doc in gold["docs"].items():
        for c in doc.get("claims") or []:
            locate(texts[doc_id], doc_id, c, str(path))


@needs_baly
def test_eval_baly_dev_runs():
    result = run("eval", "--gold", str(GOLD / "dev-baly-a.yaml"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"] == 8


def _fold_of_claims() -> dict[str, str]:
    folds = {}
    for line in (BALY.parent / "train_test_splits.txt").read_text("utf-8").splitlines():
        if ":" in line:
            fold, ids = line.split(":", 1)
            folds.update(dict.fromkeys(ids.split(), fold.strip()))
    return folds


@pytest.mark.parametrize("path", sorted(GOLD.glob("dev-baly-*.yaml")), ids=lambda p: p.name)
def test_baly_dev_gold_stays_off_the_test_fold(path):
    """Dev articles come from Folds 1-4 only, each in one dev file, and every span of the
    gold (source, source_alt, recipient, content, entity forms) occurs in its article."""
    if not BALY.exists():
        pytest.skip(f"Baly corpus not found at {BALY} (../shared is absent)")
    folds = _fold_of_claims()
    gold = load_gold(str(path))
    others = set()
    for other in GOLD.glob("dev-baly-*.yaml"):
        if other != path:
            others |= set(load_gold(str(other))["docs"])
    texts = {}
    with BALY.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] in gold["docs"]:
                texts[r["id"]] = r["text"]
    flat = lambda s: " ".join(s.split())  # noqa: E731
    for doc_id, doc in gold["docs"].items():
        assert folds.get(doc_id.split("#")[0]) in {"Fold_1", "Fold_2", "Fold_3", "Fold_4"}, doc_id
        assert doc_id not in others, f"{doc_id} is in two dev files"
        text = flat(texts[doc_id])
        for c in doc.get("claims") or []:
            for key in ("source", "recipient", "content"):
                if c.get(key):
                    assert flat(c[key]) in text, (doc_id, key, c[key])
            alts = c.get("source_alt")
            for alt in alts if isinstance(alts, list) else [alts]:
                assert not alt or flat(alt) in text, (doc_id, "source_alt", alt)
        for kind in (doc.get("entities") or {}).values():
            for forms in kind.values():
                for form in forms:
                    assert flat(form) in text, (doc_id, "entity", form)
