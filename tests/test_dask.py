"""Dask: a local cluster of two worker processes gives the single-process output."""
import json

import pytest
from click.testing import CliRunner

from batch_corpus import corpus_records, write_corpus
from claimx.cli import main
from claimx.io import iter_documents

pytest.importorskip("dask.bag", reason="Dask is an extra: pip install 'claimx[dask]'")
distributed = pytest.importorskip("distributed", reason="Dask is an extra: pip install 'claimx[dask]'")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c, distributed.Client(c) as client:
        yield c, client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("dask") / "corpus.jsonl")


def test_dask_cli_output_identical_to_single_process(cluster, corpus, tmp_path):
    c, _ = cluster
    single, on_dask = tmp_path / "single.jsonl", tmp_path / "dask.jsonl"
    assert run("extract", str(corpus), "-o", str(single), "-q").exit_code == 0
    r = run("extract", str(corpus), "-o", str(on_dask), "--dask", c.scheduler_address, "-v")
    assert r.exit_code == 0, r.output
    assert "Dask, 2 worker threads" in r.stderr
    assert on_dask.read_bytes() == single.read_bytes()


def test_dask_cli_with_cache(cluster, corpus, tmp_path):
    c, _ = cluster
    cache = tmp_path / "cache"
    single = run("extract", str(corpus), "-q").stdout
    first = run("extract", str(corpus), "--dask", c.scheduler_address, "--cache", str(cache))
    second = run("extract", str(corpus), "--dask", c.scheduler_address, "--cache", str(cache))
    assert first.stdout == second.stdout == single
    assert f"{len(corpus_records())} hits, 0 misses" in second.stderr


def test_dask_bag_api_identical_to_pipeline(cluster, corpus):
    from claimx.dask_backend import lines_bag, read_jsonl, records_bag
    from claimx.pipeline import Pipeline

    _, client = cluster
    docs = list(iter_documents([str(corpus)]))
    pipe = Pipeline()
    expected = [r for d in docs for r in pipe.extract(d)]
    assert records_bag(docs, "extract", npartitions=4).compute(scheduler=client) == expected
    # the workers read the files themselves: same ids, same records, same lines
    bag = read_jsonl(str(corpus))
    assert records_bag(bag, "extract").compute(scheduler=client) == expected
    assert lines_bag(docs, "normalize").compute(scheduler=client) == \
        [json.dumps(pipe.normalize(d), ensure_ascii=False) for d in docs]


def test_dask_bag_from_plain_dicts(cluster):
    from claimx.dask_backend import records_bag
    from claimx.pipeline import Options

    _, client = cluster
    recs = corpus_records()[:6]
    got = records_bag(recs, "extract", Options()).compute(scheduler=client)
    assert got and {r["doc"]["id"] for r in got} <= {x["id"] for x in recs}
    assert got[0]["doc"]["meta"]["url"] == recs[0]["url"]


def test_dask_local_cluster_address(corpus, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("normalize", str(corpus), "--dask", "local:2", "-o", str(out), "-q")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == run("normalize", str(corpus), "-q").stdout.encode()


def test_dask_and_jobs_do_not_mix(corpus):
    r = run("extract", str(corpus), "--dask", "local:2", "--jobs", "2")
    assert r.exit_code == 2 and "do not mix" in r.output


def test_dask_missing_says_how_to_install(corpus, monkeypatch):
    import claimx.dask_backend

    def missing():
        raise claimx.dask_backend.DaskUnavailable(f"--dask needs Dask; install it with: {claimx.dask_backend.INSTALL}")

    monkeypatch.setattr(claimx.dask_backend, "require_dask", missing)
    r = run("extract", str(corpus), "--dask", "local:2")
    assert r.exit_code == 1 and "pip install 'claimx[dask]'" in r.output
