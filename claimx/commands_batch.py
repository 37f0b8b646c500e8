"""`claimx cache info|prune` and `claimx diff`: the batch and CI commands (issue 5)."""
from __future__ import annotations

import json
import sys
import time

import click


@click.group()
def cache():
    """Inspect and prune a --cache folder.

    \b
    claimx cache info .claimx-cache
    claimx cache prune --unused .claimx-cache
    """


def _open(path):
    from .cache import Cache, CacheError

    try:
        return Cache(path, create=False)
    except CacheError as e:
        raise click.ClickException(str(e)) from None


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _when(t: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else "never"


@cache.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable figures.")
def info(folder, as_json):
    """Entries, size, the last run, and entries by stage and configuration.

    A configuration is everything besides the document that goes into the key
    (claimx version and code, lexicons, gazetteer, options); a lexicon change
    starts a new one, and the old one is what `prune --unused` removes.

    \b
    claimx cache info .claimx-cache --json | jq .entries
    """
    data = _open(folder).info()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"cache      {data['path']} (format {data['format']})")
    click.echo(f"entries    {data['entries']} ({_size(data['bytes'])})")
    if data["temporary_files"]:
        click.echo(f"temporary  {data['temporary_files']} files ({_size(data['temporary_bytes'])}) "
                   "from runs in progress or interrupted")
    run = data["last_run"]
    if run:
        click.echo(f"last run   {_when(run['started'])}: {run['stage']}, {run['documents']} documents, "
                   f"{run['hits']} hits, {run['misses']} misses")
    for g in data["configurations"]:
        click.echo(f"  {g['stage']:<10} config {g['config']}  {g['entries']:>7} entries  {_size(g['bytes']):>9}  "
                   f"last used {_when(g['last_used'])}")


@cache.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--unused", is_flag=True,
              help="Remove entries the last finished run did not read or write (old lexicons, deleted articles).")
@click.option("--older-than", "older_than", metavar="AGE",
              help="Remove entries not used for AGE (30d, 12h, 45m; a bare number is days).")
@click.option("--all", "everything", is_flag=True, help="Remove every entry.")
@click.option("-n", "--dry-run", is_flag=True, help="Only say what would be removed.")
def prune(folder, unused, older_than, everything, dry_run):
    """Remove cache entries; say which with --unused, --older-than or --all.

    An entry is "used" when a run reads or writes it. `--unused` keeps exactly
    what the last finished run used: run the full batch, then prune, and the
    cache holds the current corpus under the current lexicons and nothing else
    (the CI recipe). Temporary files left by interrupted runs (older than an
    hour) are always removed.

    \b
    claimx extract corpus/ --cache .claimx-cache -o claims.jsonl
    claimx cache prune --unused .claimx-cache
    claimx cache prune --older-than 30d .claimx-cache
    """
    from .cache import CacheError, parse_age

    if not (unused or older_than or everything):
        raise click.UsageError("say what to remove: --unused, --older-than AGE or --all")
    try:
        age = parse_age(older_than) if older_than else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--older-than") from None
    try:
        result = _open(folder).prune(unused=unused, older_than=age, everything=everything, dry_run=dry_run)
    except CacheError as e:
        raise click.ClickException(str(e)) from None
    verb = "would remove" if dry_run else "removed"
    click.echo(f"claimx: cache {folder}: {verb} {result['removed']} files ({_size(result['bytes_freed'])}), "
               f"kept {result['kept']}", err=True)


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: summary, added, removed, changed.")
@click.option("--markdown", is_flag=True, help="A Markdown summary for a pull-request comment.")
@click.option("--limit", type=click.IntRange(min=0), default=0,
              help="List at most this many changes (0 = all; the counts are always complete).")
def diff(old, new, as_json, markdown, limit):
    """Claims added, removed and changed between two claim files.

    Claims pair by stable id, then by overlapping cue span in the same
    document. Exit status 0 when they are the same, 1 when they differ,
    2 when a file cannot be read (like diff).

    \b
    claimx extract corpus/ -o old.jsonl
    claimx extract corpus/ -o new.jsonl      # after changing the lexicon
    claimx diff old.jsonl new.jsonl
    claimx diff old.jsonl new.jsonl --json | jq .summary
    """
    from .diff import DiffError, diff_files, render_json, render_markdown, render_text

    try:
        d = diff_files(old, new)
    except DiffError as e:
        click.echo(f"claimx: error: {e}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(render_json(d), ensure_ascii=False))
    elif markdown:
        click.echo(render_markdown(d, limit or 200), nl=False)
    else:
        click.echo(render_text(d, limit), nl=False)
    sys.exit(1 if d.differ else 0)
