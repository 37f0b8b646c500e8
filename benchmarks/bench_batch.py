"""Batch throughput, scaling, cache and memory of the claimx CLI, with the spaCy peer in the same run.

    python benchmarks/bench_batch.py                       # everything (about 30 min on 2 idle cores)
    python benchmarks/bench_batch.py --scales 1 --stages extract --no-peer   # one slice

What it runs, each command as its own process, output to /dev/null:

* the Baly corpus (../shared/corpus/baly2018/articles.jsonl, 3,042 articles) ×1,
  and the same corpus ×10 (a 389 MB JSONL written to --workdir; every copy gets
  new ids, so nothing is shared between copies);
* for `normalize`, `tag` (when the command exists) and `extract`:
  `--jobs 1` and `--jobs 2` without a cache; with an empty `--cache` (cold) and
  again with the filled cache (warm), for each --jobs;
* the peer: `benchmarks/bench_peer.py` in the benchmark venv (.venv-bench, spaCy
  installed only there): spaCy `blank("ar")` + EntityRuler with the gazetteer's
  names (from `claimx.gazetteer_data.load_entries`), tokenisation + phrase
  matching, one process;
* start-up: `claimx --help` and `claimx extract` on one short article (median of 15).

Per run: wall seconds, articles/s, MB/s (bytes of the input file / wall), CPU
seconds (user+sys of the whole process tree), peak RSS of the largest single
process (wait4 ru_maxrss) and peak RSS of the whole tree (parent + workers,
sampled every 20 ms from /proc), and the 1-minute load average before the run.
The code runs from a snapshot (--snapshot head: `git archive HEAD`; worktree: a
copy of the working tree's claimx/ and gazetteer/) put first on PYTHONPATH, so
that edits made during the run neither change the timings nor the cache key.
The machine is shared: runs wait (up to --idle-wait s) for the load to drop
under --idle-load, and cpu/wall of a one-process run shows whether it had a
core to itself (≈1.0) or not.

Writes a JSON file (--json) and prints Markdown tables for BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "baly2018" / "articles.jsonl"
PEER_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
CLAIMX = [sys.executable, "-m", "claimx"]


# ------------------------------------------------------------------ measuring


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_idle(max_load: float, max_wait: float) -> float:
    t0 = time.monotonic()
    while os.getloadavg()[0] > max_load and time.monotonic() - t0 < max_wait:
        time.sleep(5)
    return os.getloadavg()[0]


ENV: dict | None = None  # set by main(): PYTHONPATH=the snapshot
CWD: str = str(ROOT)  # set by main(): the snapshot


def snapshot(kind: str, workdir: Path) -> tuple[Path, str]:
    """A frozen copy of the code to benchmark; returns (folder, description)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=str(ROOT)).stdout.strip()
    dst = workdir / f"src-{kind}-{commit}"
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    if kind == "head":
        archive = subprocess.run(["git", "archive", "HEAD", "claimx", "gazetteer"], capture_output=True,
                                 cwd=str(ROOT), check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dst)], input=archive, check=True)
        desc = f"commit {commit}"
    else:
        for name in ("claimx", "gazetteer"):
            shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
        desc = f"working tree on top of {commit}"
    # the package installs gazetteer/ as claimx._gazetteer; mirror that in the snapshot
    if not (dst / "claimx" / "_gazetteer").exists():
        shutil.copytree(dst / "gazetteer", dst / "claimx" / "_gazetteer")
    return dst, desc


def measure(cmd: list[str], *, stdin_path: str | None = None, env: dict | None = None,
            idle: tuple[float, float] = (99.0, 0.0)) -> dict:
    """Run cmd; wall, CPU, peak RSS (largest process and whole tree), exit status."""
    load = wait_idle(*idle)
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    # cwd: the snapshot, because `python -m` puts the current folder first on sys.path
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env if env is not None else ENV, cwd=CWD)
    peak_tree = 0
    done = threading.Event()

    def sample():
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, sum(_rss_kb(p) for p in _tree(proc.pid)))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024,
            "tree_rss_mb": peak_tree / 1024, "exit": proc.returncode, "load1": round(load, 2),
            "stderr": stderr.decode("utf-8", "replace")[-2000:]}


# ------------------------------------------------------------------ corpora


def replicate(src: Path, dst: Path, times: int) -> Path:
    if dst.exists() and dst.stat().st_size > src.stat().st_size * times * 0.99:
        return dst
    tmp = dst.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for k in range(times):
            with open(src, encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    if k:
                        rec["id"] = f"{rec['id']}@{k}"
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(dst)
    return dst


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def gazetteer_names(dst: Path) -> dict:
    """The gazetteer's names for the peer, from claimx's own loader (in the snapshot)."""
    try:
        from claimx.gazetteer_data import load_entries
    except ImportError:
        return {"names": 0, "note": "claimx.gazetteer_data not available"}
    entries = load_entries()
    patterns = [{"label": e.type.upper(), "pattern": n, "id": e.id} for e in entries for n in e.names]
    dst.write_text(json.dumps(patterns, ensure_ascii=False), encoding="utf-8")
    return {"names": len(patterns), "entries": len(entries)}


# ------------------------------------------------------------------ the runs


def has_command(name: str) -> bool:
    return subprocess.run(CLAIMX + [name, "--help"], capture_output=True, cwd=CWD, env=ENV).returncode == 0


def run_stage(stage: str, corpus: Path, scale: int, jobs_list: list[int], workdir: Path, idle, modes,
              repeat: int = 1) -> list[dict]:
    rows = []
    size = corpus.stat().st_size
    docs = count_lines(corpus)

    def row(mode: str, jobs: int, m: dict) -> dict:
        r = {"stage": stage, "scale": scale, "jobs": jobs, "mode": mode, "articles": docs,
             "mb": round(size / 1e6, 1), "articles_per_s": round(docs / m["wall"], 1),
             "mb_per_s": round(size / 1e6 / m["wall"], 2), **{k: (round(v, 3) if isinstance(v, float) else v)
                                                              for k, v in m.items()}}
        print(f"  {stage:<9} x{scale:<3} jobs {jobs} {mode:<9} {m['wall']:8.2f} s  {r['mb_per_s']:6.2f} MB/s  "
              f"cpu {m['cpu']:7.1f} s  rss {m['max_rss_mb']:6.0f}/{m['tree_rss_mb']:6.0f} MB  "
              f"load {m['load1']}  exit {m['exit']}", flush=True)
        if m["exit"] not in (0, 1):
            print(m["stderr"], file=sys.stderr)
        return r

    for jobs in jobs_list:
        base = CLAIMX + [stage, str(corpus), "-o", "/dev/null", "-q", "--jobs", str(jobs)]
        cache = workdir / f"cache-{stage}-x{scale}-j{jobs}"
        if "plain" in modes:
            rows.append(row("plain", jobs, best(lambda: measure(base, idle=idle), repeat)))
        if "cache" in modes:
            def cold():
                shutil.rmtree(cache, ignore_errors=True)
                return measure(base + ["--cache", str(cache)], idle=idle)

            rows.append(row("cold", jobs, best(cold, repeat)))
            rows.append(row("warm", jobs, best(lambda: measure(base + ["--cache", str(cache)], idle=idle), repeat)))
            shutil.rmtree(cache, ignore_errors=True)
    return rows


def best(run, repeat: int) -> dict:
    """The fastest of `repeat` runs (the one least disturbed by other work), with all walls kept."""
    runs = [run() for _ in range(repeat)]
    out = dict(min(runs, key=lambda m: m["wall"]))
    out["walls"] = [round(m["wall"], 2) for m in runs]
    out["max_rss_mb"] = max(m["max_rss_mb"] for m in runs)
    out["tree_rss_mb"] = max(m["tree_rss_mb"] for m in runs)
    return out


def run_peer(corpus: Path, scale: int, patterns: Path, idle, processes: int = 1, repeat: int = 1) -> dict | None:
    if not PEER_PYTHON.exists():
        print(f"  peer skipped: {PEER_PYTHON} missing (python -m venv .venv-bench && "
              ".venv-bench/bin/pip install 'spacy>=3.8,<3.9')")
        return None
    m = best(lambda: measure([str(PEER_PYTHON), str(ROOT / "benchmarks" / "bench_peer.py"), str(corpus),
                              str(patterns), str(processes)], idle=idle), repeat)
    size, docs = corpus.stat().st_size, count_lines(corpus)
    info = {}
    for line in m["stderr"].splitlines():
        if line.startswith("{"):
            info = json.loads(line)
    r = {"stage": "spacy-peer", "scale": scale, "jobs": processes, "mode": "plain", "articles": docs,
         "mb": round(size / 1e6, 1), "articles_per_s": round(docs / m["wall"], 1),
         "mb_per_s": round(size / 1e6 / m["wall"], 2), **{k: (round(v, 3) if isinstance(v, float) else v)
                                                          for k, v in m.items()}, "peer": info}
    print(f"  spacy-peer x{scale:<3} jobs {processes}          {m['wall']:8.2f} s  {r['mb_per_s']:6.2f} MB/s  "
          f"cpu {m['cpu']:7.1f} s  rss {m['max_rss_mb']:6.0f} MB  load {m['load1']}  {info}", flush=True)
    return r


def startup(short: Path, repeat: int, idle) -> dict:
    out = {}
    for name, cmd in (("help", [str(Path(sys.executable).parent / "claimx"), "--help"]),
                      ("extract_one_article", [str(Path(sys.executable).parent / "claimx"), "extract",
                                               str(short), "-q"])):
        wait_idle(*idle)
        walls = [measure(cmd)["wall"] for _ in range(repeat)]
        out[name] = {"median": round(statistics.median(walls), 3), "min": round(min(walls), 3),
                     "max": round(max(walls), 3), "runs": repeat}
        print(f"  start-up {name:<20} median {out[name]['median']:.3f} s  (min {out[name]['min']:.3f}, "
              f"max {out[name]['max']:.3f}, n={repeat})", flush=True)
    return out


# ------------------------------------------------------------------ report


def ratios(rows: list[dict]) -> dict:
    def get(stage, scale, jobs, mode):
        for r in rows:
            if (r["stage"], r["scale"], r["jobs"], r["mode"]) == (stage, scale, jobs, mode):
                return r
        return None

    out = {}
    for scale in sorted({r["scale"] for r in rows}):
        for jobs in (1, 2):
            peer, ex = get("spacy-peer", scale, jobs, "plain"), get("extract", scale, jobs, "plain")
            if peer and ex:
                out[f"x{scale} extract / spaCy peer, {jobs} process(es) each (speed)"] = round(peer["wall"] / ex["wall"], 2)
        for stage in ("normalize", "tag", "extract"):
            j1, j2 = get(stage, scale, 1, "plain"), get(stage, scale, 2, "plain")
            if j1 and j2:
                out[f"x{scale} {stage} jobs2 / jobs1 (speed)"] = round(j1["wall"] / j2["wall"], 2)
            for jobs in (1, 2):
                cold, warm = get(stage, scale, jobs, "cold"), get(stage, scale, jobs, "warm")
                if cold and warm:
                    out[f"x{scale} {stage} jobs{jobs} warm / cold (speed)"] = round(cold["wall"] / warm["wall"], 1)
    for stage in ("normalize", "tag", "extract"):
        for jobs in (1, 2):
            for mode in ("plain", "cold", "warm"):
                a, b = get(stage, 1, jobs, mode), get(stage, 10, jobs, mode)
                if a and b:
                    out[f"{stage} jobs{jobs} {mode}: peak RSS x10 / x1"] = round(b["max_rss_mb"] / a["max_rss_mb"], 3)
    return out


def markdown(rows: list[dict]) -> str:
    lines = ["| stage | corpus | jobs | cache | s (best) | all runs, s | articles/s | MB/s | CPU s | peak RSS MB (largest process / all) | load |",
             "|---|---|---|---|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        walls = ", ".join(f"{w:.2f}" for w in r.get("walls", [r["wall"]]))
        lines.append(f"| {r['stage']} | ×{r['scale']} | {r['jobs']} | {r['mode'] if r['mode'] != 'plain' else '–'} "
                     f"| {r['wall']:.2f} | {walls} | {r['articles_per_s']:.0f} | {r['mb_per_s']:.2f} | {r['cpu']:.1f} "
                     f"| {r['max_rss_mb']:.0f} / {r['tree_rss_mb']:.0f} | {r['load1']} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--stages", default="normalize,tag,extract")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--modes", default="plain,cache", help="plain (no cache) and/or cache (cold + warm)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per configuration on the x1 corpus; the fastest is reported (x10: always 1)")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-startup", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/claimx-bench"))
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "bench_batch.json")
    ap.add_argument("--snapshot", choices=("head", "worktree"), default="head",
                    help="benchmark the last commit (default) or a copy of the working tree")
    ap.add_argument("--idle-load", type=float, default=1.0, help="wait for the 1-min load average to drop under this")
    ap.add_argument("--idle-wait", type=float, default=120.0, help="... for at most this many seconds per run")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    idle = (args.idle_load, args.idle_wait)
    global ENV, CWD
    src, code = snapshot(args.snapshot, args.workdir)
    ENV = {**os.environ, "PYTHONPATH": str(src), "CLAIMX_PROGRESS": "0"}
    CWD = str(src)
    sys.path.insert(0, str(src))
    stages = [s for s in args.stages.split(",") if s != "tag" or has_command("tag")]
    if "tag" in args.stages and "tag" not in stages:
        print("  tag: no `claimx tag` command in this checkout; skipped")
    jobs_list = [int(j) for j in args.jobs.split(",")]
    result = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
              "code": code, "rows": []}
    where = subprocess.run(CLAIMX[:1] + ["-c", "import claimx; print(claimx.__file__)"], capture_output=True,
                           text=True, cwd=CWD, env=ENV).stdout.strip()
    assert where.startswith(str(src)), f"the benchmark would not run the snapshot: {where}"
    print(f"code: {code} ({where})", flush=True)
    patterns = args.workdir / "peer-patterns.json"
    result["gazetteer"] = gazetteer_names(patterns)
    print(f"gazetteer for the peer: {result['gazetteer']}", flush=True)
    if not args.no_startup:
        result["startup"] = startup(ROOT / "seeds" / "000_f8c17ac62d247ec4.txt", 15, idle)
    for scale in (int(s) for s in args.scales.split(",")):
        corpus = args.corpus if scale == 1 else replicate(args.corpus, args.workdir / f"baly-x{scale}.jsonl", scale)
        print(f"corpus x{scale}: {corpus} ({corpus.stat().st_size / 1e6:.1f} MB)", flush=True)
        if not args.no_peer and result["gazetteer"].get("names"):
            for processes in jobs_list:
                peer = run_peer(corpus, scale, patterns, idle, processes, args.repeat if scale == 1 else 1)
                if peer:
                    result["rows"].append(peer)
        for stage in stages:
            result["rows"].extend(run_stage(stage, corpus, scale, jobs_list, args.workdir, idle,
                                            args.modes.split(","), args.repeat if scale == 1 else 1))
    result["ratios"] = ratios(result["rows"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    print(markdown(result["rows"]))
    print()
    for k, v in result["ratios"].items():
        print(f"- {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
