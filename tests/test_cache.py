"""--cache: warm runs give the same bytes; exactly what changed is recomputed; safe writes."""
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import claimx.cache
from batch_corpus import corpus_records, write_corpus
from claimx.cache import Cache, CacheError, parse_age
from claimx.cli import main
from claimx.io import iter_documents
from claimx.model import Document
from claimx.parallel import Engine, Stage, _PIPELINES


def Options(**kw):
    # imported late: importing claimx.pipeline at collection time shadows the
    # function claimx.extract with the module of that name for later test modules
    from claimx.pipeline import Options

    return Options(**kw)
from conftest import SEEDS

N = len(corpus_records())
CUES = Path(claimx.cache.__file__).parent / "lexicons" / "cues.yaml"


@pytest.fixture(autouse=True)
def pinned_code(monkeypatch):
    """Other people edit the package while these tests run; pin the code fingerprint
    so that only what a test changes can change the key (fork carries it to workers)."""
    monkeypatch.setattr(claimx.cache, "code_fingerprint", lambda: "pinned-for-tests")
    monkeypatch.setenv("CLAIMX_START_METHOD", "fork")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def stats(result) -> tuple[int, int]:
    line = next(x for x in result.stderr.splitlines() if x.startswith("claimx: cache "))
    hits = int(line.split(": ")[2].split()[0])
    misses = int(line.split(", ")[1].split()[0])
    return hits, misses


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus.jsonl")


@pytest.mark.parametrize("stage", ["extract", "normalize"])
def test_cache_warm_run_byte_identical(stage, corpus, tmp_path):
    cache = tmp_path / "cache"
    plain = run(stage, str(corpus), "-q").stdout
    cold = run(stage, str(corpus), "--cache", str(cache))
    warm = run(stage, str(corpus), "--cache", str(cache))
    warm2 = run(stage, str(corpus), "--cache", str(cache), "-j", "2")
    assert cold.stdout == warm.stdout == warm2.stdout == plain
    assert stats(cold) == (0, N)
    assert stats(warm) == stats(warm2) == (N, 0)


def test_cache_cold_with_jobs_fills_the_cache(corpus, tmp_path):
    cache = tmp_path / "cache"
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    cold = run("extract", str(corpus), "--cache", str(cache), "-j", "2", "-o", str(out1))
    assert cold.exit_code == 0 and f"0 hits, {N} misses, {N} written" in cold.stderr  # written by the workers
    r = run("extract", str(corpus), "--cache", str(cache), "-o", str(out2))
    assert stats(r) == (N, 0)
    assert out1.read_bytes() == out2.read_bytes() == run("extract", str(corpus), "-q").stdout.encode()


def test_cache_one_changed_article_recomputes_one(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    recs = corpus_records()
    recs[4]["text"] = recs[4]["text"].replace("قال", "قالت", 1) + " "
    changed = write_corpus(tmp_path / "changed.jsonl", recs)
    r = run("extract", str(changed), "--cache", str(cache))
    assert stats(r) == (N - 1, 1)
    assert r.stdout == run("extract", str(changed), "-q").stdout


def test_cache_metadata_and_id_are_part_of_the_key(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    recs = corpus_records()
    recs[0]["url"] = "https://example.org/moved"  # doc.meta is in every claim of the document
    recs[1]["id"] = "renamed"  # claim ids hash the document id
    recs[2] = {"text": recs[2]["text"], "id": recs[2]["id"], "outlet": recs[2]["outlet"], "n": recs[2]["n"]}
    r = run("extract", str(write_corpus(tmp_path / "m.jsonl", recs)), "--cache", str(cache))
    assert stats(r) == (N - 2, 2)  # recs[2] only reordered keys it already had in that order


def test_cache_meta_key_order_matters():
    config = claimx.cache.CacheConfig("extract", "f" * 64)
    a = Document("x", "نص", {"a": 1, "b": 2})
    b = Document("x", "نص", {"b": 2, "a": 1})
    assert claimx.cache.document_key(config, a) != claimx.cache.document_key(config, b)


def _drop_form(path: Path, form: str) -> Path:
    data = yaml.safe_load(CUES.read_text("utf-8"))
    for entry in data["cues"]:
        if form in entry["forms"]:
            entry["forms"].remove(form)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_cache_lexicon_change_recomputes_everything(corpus, tmp_path):
    cache = Cache(tmp_path / "cache")
    docs = list(iter_documents([str(corpus)]))
    lexicon = tmp_path / "cues.yaml"
    lexicon.write_bytes(CUES.read_bytes())
    stage = Stage("extract", Options(cues=str(lexicon)))
    first = "".join(lines for _, lines in Engine(stage, cache=cache).run(docs))
    assert (cache.stats.hits, cache.stats.misses) == (0, N)
    cache.stats = claimx.cache.CacheStats()
    "".join(lines for _, lines in Engine(stage, cache=cache).run(docs))
    assert (cache.stats.hits, cache.stats.misses) == (N, 0)
    # the same path, new content: every document again
    _drop_form(lexicon, "قالت")
    _PIPELINES.clear()
    cache.stats = claimx.cache.CacheStats()
    second = "".join(lines for _, lines in Engine(stage, cache=cache).run(docs))
    assert (cache.stats.hits, cache.stats.misses) == (0, N)
    assert first != second
    # and the default lexicon is yet another configuration
    cache.stats = claimx.cache.CacheStats()
    "".join(lines for _, lines in Engine(Stage("extract", Options()), cache=cache).run(docs))
    assert cache.stats.misses == N


def test_cache_options_and_stage_are_part_of_the_key(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("normalize", str(corpus), "--cache", str(cache))
    assert stats(run("normalize", str(corpus), "--cache", str(cache), "--tokens")) == (0, N)
    assert stats(run("extract", str(corpus), "--cache", str(cache))) == (0, N)
    assert stats(run("normalize", str(corpus), "--cache", str(cache), "--tokens")) == (N, 0)


def test_cache_code_change_invalidates(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    monkeypatch.setattr(claimx.cache, "code_fingerprint", lambda: "edited")
    assert stats(run("extract", str(corpus), "--cache", str(cache))) == (0, N)


def test_cache_gazetteer_extension_file_is_part_of_the_key(tmp_path):
    options = Options(gazetteers=(str(tmp_path / "extra.yaml"),))
    (tmp_path / "extra.yaml").write_text("entries: []\n", encoding="utf-8")
    a = claimx.cache.options_fingerprint("extract", options)
    (tmp_path / "extra.yaml").write_text("entries: [] # edited\n", encoding="utf-8")
    assert claimx.cache.options_fingerprint("extract", options) != a


def test_cache_corrupt_entry_is_a_miss_and_is_rewritten(corpus, tmp_path):
    cache = tmp_path / "cache"
    expected = run("extract", str(corpus), "--cache", str(cache)).stdout
    entries = sorted((cache / "v1").glob("*/*.jsonl"), key=lambda p: -p.stat().st_size)
    entries[0].write_bytes(entries[0].read_bytes()[:-40])  # truncated (a crash without fsync)
    entries[1].write_bytes(b"")
    r = run("extract", str(corpus), "--cache", str(cache))
    assert r.stdout == expected
    assert stats(r) == (N - 2, 2)
    assert "2 corrupt entries replaced" in r.stderr
    assert stats(run("extract", str(corpus), "--cache", str(cache))) == (N, 0)


def _cache_run(args):
    corpus, cache, jobs, out = args
    engine = Engine(Stage("extract", Options()), jobs=jobs, cache=Cache(cache))
    Path(out).write_text("".join(lines for _, lines in engine.run(iter_documents([corpus]))), encoding="utf-8")


def test_cache_concurrent_runs_share_one_folder(corpus, tmp_path):
    cache = tmp_path / "cache"
    outs = [str(tmp_path / f"out{i}.jsonl") for i in range(3)]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_cache_run, args=((str(corpus), str(cache), 1, o),)) for o in outs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    expected = run("extract", str(corpus), "-q").stdout
    assert all(Path(o).read_text("utf-8") == expected for o in outs)
    info = Cache(cache, create=False).info()
    assert info["entries"] == N and info["temporary_files"] == 0
    r = run("extract", str(corpus), "--cache", str(cache))
    assert stats(r) == (N, 0) and r.stdout == expected


def test_cache_interrupted_write_leaves_no_entry(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    config = cache.config("extract", Options())
    doc = Document("d", "قال المرصد إن الاشتباكات مستمرة.")

    def dies(src, dst):
        raise KeyboardInterrupt  # the run is killed between writing and renaming

    with monkeypatch.context() as m:
        m.setattr(claimx.cache.os, "replace", dies)
        with pytest.raises(KeyboardInterrupt):
            cache.put(config, doc, '{"x": 1}\n')
    assert cache.get(config, doc) is None
    assert not list((tmp_path / "cache" / "v1").rglob("*.jsonl"))
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    cache.put(config, doc, '{"x": 1}\n')
    assert cache.get(config, doc) == '{"x": 1}\n'


def test_cache_stale_temporary_files_are_pruned(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    shard = next((cache / "v1").iterdir())
    stale, fresh = shard / ".tmp-dead.tmp", shard / ".tmp-live.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"writing")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    info = json.loads(run("cache", "info", str(cache), "--json").stdout)
    assert info["temporary_files"] == 2 and info["entries"] == N
    r = run("cache", "prune", "--older-than", "3650d", str(cache))
    assert r.exit_code == 0
    assert not stale.exists() and fresh.exists()
    assert json.loads(run("cache", "info", str(cache), "--json").stdout)["entries"] == N


def test_cache_prune_unused_keeps_exactly_the_last_run(corpus, tmp_path):
    cache = tmp_path / "cache"
    lexicon = _drop_form(tmp_path / "cues.yaml", "قالت")
    half = write_corpus(tmp_path / "half.jsonl", corpus_records()[: N // 2])
    run("extract", str(corpus), "--cache", str(cache))
    # an old lexicon's entries and the documents no longer in the corpus must go
    engine = Engine(Stage("extract", Options(cues=str(lexicon))), cache=Cache(cache))
    "".join(lines for _, lines in engine.run(iter_documents([str(half)])))
    old = time.time() - 3600
    for p in (cache / "v1").glob("*/*.jsonl"):
        os.utime(p, (old, old))
    last = run("extract", str(half), "--cache", str(cache))
    assert stats(last) == (N // 2, 0)
    assert run("cache", "prune", "--unused", "--dry-run", str(cache)).exit_code == 0
    assert json.loads(run("cache", "info", str(cache), "--json").stdout)["entries"] == N + N // 2
    r = run("cache", "prune", "--unused", str(cache))
    assert r.exit_code == 0 and f"removed {N} files" in r.stderr
    assert json.loads(run("cache", "info", str(cache), "--json").stdout)["entries"] == N // 2
    assert stats(run("extract", str(half), "--cache", str(cache))) == (N // 2, 0)


def test_cache_prune_all_and_usage(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    assert run("cache", "prune", str(cache)).exit_code == 2
    assert run("cache", "prune", "--older-than", "soon", str(cache)).exit_code == 2
    assert run("cache", "prune", "--older-than", "1d", str(cache)).stderr.count(f"kept {N}") == 1
    assert run("cache", "prune", "--all", str(cache)).exit_code == 0
    assert json.loads(run("cache", "info", str(cache), "--json").stdout)["entries"] == 0


def test_cache_prune_unused_needs_a_finished_run(tmp_path):
    Cache(tmp_path / "c")
    r = run("cache", "prune", "--unused", str(tmp_path / "c"))
    assert r.exit_code == 1 and "no finished run" in r.output


def test_cache_info_lists_configurations(corpus, tmp_path):
    cache = tmp_path / "cache"
    run("extract", str(corpus), "--cache", str(cache))
    run("normalize", str(corpus), "--cache", str(cache))
    r = run("cache", "info", str(cache))
    assert r.exit_code == 0
    assert f"entries    {2 * N}" in r.stdout and "extract" in r.stdout and "normalize" in r.stdout
    assert "last run" in r.stdout
    data = json.loads(run("cache", "info", str(cache), "--json").stdout)
    assert {g["stage"] for g in data["configurations"]} == {"extract", "normalize"}
    assert data["last_run"]["stage"] == "normalize" and data["last_run"]["misses"] == N


def test_cache_refuses_a_folder_that_is_not_a_cache(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    r = run("extract", str(SEEDS), "--cache", str(tmp_path))
    assert r.exit_code == 1 and "not a claimx cache" in r.output
    assert run("cache", "info", str(tmp_path)).exit_code == 1
    with pytest.raises(CacheError):
        Cache(tmp_path)


def test_cache_parse_age():
    assert parse_age("30d") == 30 * 86400 and parse_age("12h") == 43200 and parse_age("2") == 2 * 86400
    with pytest.raises(ValueError):
        parse_age("soon")
