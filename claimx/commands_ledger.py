"""`claimx ledger` and `claimx report`: the claim ledger on the command line.

Registered in cli.py; heavy imports stay inside the commands so that
`claimx --help` stays instant.
"""
from __future__ import annotations

import json
import sys

import click


def _read_claims(path: str) -> tuple[list[dict], int]:
    """Claim records from a JSONL file or `-`; bad lines are reported on stderr and skipped."""
    stream = sys.stdin if path == "-" else None
    try:
        f = stream or open(path, encoding="utf-8-sig")
    except OSError as e:
        raise click.ClickException(f"{path}: cannot read: {e.strerror or e} (check the path)") from None
    records, bad = [], 0
    with f if stream is None else _nullctx(f):
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                click.echo(f"{path}:{n}: not JSON ({e.msg}); line skipped", err=True)
                bad += 1
                continue
            if not isinstance(rec, dict) or "content" not in rec:
                click.echo(f"{path}:{n}: not a claim record (no 'content'); line skipped "
                           "(give the output of `claimx extract`)", err=True)
                bad += 1
                continue
            records.append(rec)
    return records, bad


def _read_texts(docs: tuple[str, ...], glob: str) -> dict[str, str]:
    """Article texts by document id, read the way `claimx extract` reads them."""
    if not docs:
        return {}
    from .io import iter_documents

    texts: dict[str, str] = {}
    for doc in iter_documents(docs, glob, on_error=lambda e: click.echo(f"claimx: {e.message}", err=True)):
        texts[doc.id] = doc.text
    return texts


def _docs_options(f):
    f = click.option("--glob", default="*.txt", show_default=True, help="Files to read inside --docs folders.")(f)
    return click.option("--docs", multiple=True, type=click.Path(exists=True),
                        help="The articles the claims came from (as given to `claimx extract`): "
                             "sentences in the report, datelines for relative times. Repeatable.")(f)


class _nullctx:
    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self.f

    def __exit__(self, *a):
        return False


def _table(props: list[dict]) -> str:
    rows = [("status", "event", "place", "sides", "assert a/s", "deny a/s", "id")]
    for p in props:
        a, d = p["sides"]["asserting"], p["sides"]["denying"]
        rows.append((p["status"], p["event"] + ("?" if p["modality"] != "asserted" else ""),
                     (p["place"] or {}).get("name_en") or (p["place"] or {}).get("name") or "-",
                     ",".join(p["actors"]["sides"]) or "-",
                     f"{a['articles']}/{a['independent_sources']}", f"{d['articles']}/{d['independent_sources']}", p["id"]))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("a/s = articles / independent sources; ? = intended or hypothetical")
    return "\n".join(lines)


@click.command()
@click.argument("claims", metavar="CLAIMS.jsonl|-")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="One JSON line per proposition, or a table for the terminal.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here (atomically).")
@click.option("--window-days", type=int, default=7, show_default=True,
              help="How far apart two claims' times may be and still be one event (doubled for control and siege).")
@_docs_options
def ledger(claims, fmt, output, window_days, docs, glob):
    """Group claims from many articles into propositions: who asserts, who denies.

    \b
    claimx extract seeds | claimx ledger -
    claimx ledger claims.jsonl --format table
    claimx ledger claims.jsonl | jq -r 'select(.status=="contested") | .label.en'
    """
    from .io import JsonlWriter
    from .ledger import attach_documents, build_ledger

    records, bad = _read_claims(claims)
    attach_documents(records, _read_texts(docs, glob))
    props = build_ledger(records, window_days=window_days)
    if fmt == "table":
        text = _table(props)
        if output:
            from .report import write_report

            write_report(text + "\n", output)
        else:
            click.echo(text)
    else:
        with JsonlWriter(output) as w:
            for p in props:
                w.write(p)
    click.echo(f"claimx ledger: {len(records)} claims, {len(props)} propositions, {bad} bad lines", err=True)
    sys.exit(1 if bad else 0)


@click.command()
@click.argument("claims", metavar="CLAIMS.jsonl|-")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The HTML file to write.")
@click.option("--title", default="سجل الادعاءات", show_default=True)
@click.option("--window-days", type=int, default=7, show_default=True)
@_docs_options
def report(claims, output, title, window_days, docs, glob):
    """Write the ledger as one self-contained HTML page (right-to-left, no network).

    \b
    claimx extract seeds -o claims.jsonl && claimx report claims.jsonl -o report.html --docs seeds
    """
    from .ledger import attach_documents, build_ledger
    from .report import render_report, write_report

    records, bad = _read_claims(claims)
    attach_documents(records, _read_texts(docs, glob))
    props = build_ledger(records, window_days=window_days)
    try:
        write_report(render_report(props, title=title), output)
    except OSError as e:
        raise click.ClickException(f"{output}: cannot write: {e.strerror or e}") from None
    click.echo(f"claimx report: {len(props)} propositions from {len(records)} claims -> {output}", err=True)
    sys.exit(1 if bad else 0)
