"""CPU of one claimx command, split between the main process and its workers.

    python benchmarks/cpu_split.py [--cache-scale K] -- extract CORPUS.jsonl -o OUT --jobs 2

Runs the command in this process (`claimx.cli.main`) and prints one JSON line: wall
seconds, CPU (user + sys) of this process and of its finished children
(`resource.getrusage`), and this process's peak RSS. `--cache-scale K` multiplies the
gazetteer's per-process cache caps (`claimx.gazetteer.*_CACHE_MAX`) before the run, to
measure what the caps cost; with `--jobs N` the forked workers inherit the scaled caps.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time

CAPS = ("INFO_CACHE_MAX", "NEAR_CACHE_MAX", "WINDOW_CACHE_MAX", "FUZZY_CACHE_MAX", "SHARED_CACHE_MAX")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-scale", type=int, default=1)
    ap.add_argument("command", nargs=argparse.REMAINDER, help="claimx arguments, after --")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("give the claimx command after --")
    import claimx.gazetteer as gazetteer

    for name in CAPS:
        setattr(gazetteer, name, getattr(gazetteer, name) * args.cache_scale)
    from claimx.cli import main as claimx_main

    t = time.perf_counter()
    try:
        claimx_main(command)
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    wall = time.perf_counter() - t
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"command": command, "cache_scale": args.cache_scale, "exit": code, "wall_s": round(wall, 2),
                      "cpu_main_s": round(own.ru_utime + own.ru_stime, 2),
                      "cpu_children_s": round(kids.ru_utime + kids.ru_stime, 2),
                      "max_rss_mb": own.ru_maxrss // 1024}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
