"""The `claimx` command line: a thin layer over the library.

It parses flags, opens streams and maps library errors to exit codes:
0 all inputs processed, 1 some inputs failed (or `diff` found differences),
2 usage errors. Heavy modules are imported inside the commands so that
`claimx --help` stays instant.
"""
from __future__ import annotations

import json
import sys

import click

from . import __version__


def batch_options(f):
    """Options shared by every command that reads documents."""
    decorators = [
        click.argument("inputs", nargs=-1, metavar="[INPUT]..."),
        click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
                     help="Write JSON Lines here (atomically) instead of standard output."),
        click.option("--glob", default="*.txt", show_default=True,
                     help="Files to read inside folders; several patterns with commas: '*.txt,*.html'."),
        click.option("--errors", "errors_path", type=click.Path(dir_okay=False), default=None,
                     help="Write one JSON line per failed input (path, line, reason)."),
        click.option("--fail-fast", is_flag=True, help="Stop at the first input that cannot be read."),
        click.option("-q", "--quiet", is_flag=True, help="No summary line on standard error."),
        click.option("--max-bytes", default="20MB", show_default=True, metavar="SIZE", expose_value=False,
                     callback=_max_bytes,
                     help="Skip (and report) any file or JSONL record larger than this: 500k, 20MB, 1GB; 0 for no limit."),
        # read by _config() from the context, so commands need no extra parameters
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
                     expose_value=False, callback=_batch_meta,
                     help="Worker processes (0 = all cores); the output is the same bytes whatever N is."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
                     expose_value=False, callback=_batch_meta,
                     help="Reuse each unchanged document's records from this folder and store new ones "
                          "(see `claimx cache info`)."),
        click.option("--dask", metavar="ADDRESS", default=None, expose_value=False, callback=_batch_meta,
                     help="Run on Dask: a scheduler address (tcp://host:8786), a scheduler file (.json), "
                          "or local:N for N local worker processes. Needs `pip install 'claimx[dask]'`."),
        click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_batch_meta,
                     help="Say how the work ran (workers, documents/s) on standard error."),
    ]
    for d in reversed(decorators):
        f = d(f)
    return f


def _batch_meta(ctx, param, value):
    ctx.meta[f"claimx.{param.name}"] = value
    return value


def _max_bytes(ctx, param, value):
    from .io import parse_size

    try:
        ctx.meta["claimx.max_bytes"] = parse_size(value) or None  # 0: no limit
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return value


from .commands_models import engine_options, engine_settings, models_group as _models_cmd  # noqa: E402  (issue 7)


def gazetteer_option(f):
    return click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, dir_okay=False),
                        help="Extension gazetteer YAML loaded on top of the default (repeatable).")(f)


def _config(inputs, output, glob, errors_path, fail_fast, quiet, noun):
    from .batch import BatchConfig

    if not inputs:
        raise click.UsageError("give at least one INPUT (a file, a folder, a .jsonl file, or - for standard input)")
    meta = click.get_current_context().meta
    jobs, dask = meta.get("claimx.jobs", 1), meta.get("claimx.dask")
    if dask:
        if jobs != 1:
            raise click.UsageError("--jobs and --dask do not mix: with --dask the cluster's workers do the work")
        from .dask_backend import DaskUnavailable, require_dask

        try:
            require_dask()
        except DaskUnavailable as e:
            raise click.ClickException(str(e)) from None
    return BatchConfig(tuple(inputs), output, glob, errors_path, fail_fast, quiet, noun, jobs=jobs,
                       cache_dir=meta.get("claimx.cache_dir"), dask=dask, verbose=meta.get("claimx.verbose", False))


def _stage(name, gazetteers=(), **extra):
    """A picklable stage for run_batch: worker processes rebuild the Pipeline from its Options."""
    from .parallel import Stage
    from .pipeline import Options

    stage = Stage(name, Options(gazetteers=tuple(gazetteers), **extra))
    if not click.get_current_context().meta.get("claimx.cache_dir"):
        # validate lexicons and gazetteer before reading any input; with a cache this
        # waits for the first miss so that a fully cached re-run loads nothing
        from .errors import ClaimxError

        try:
            stage.pipeline()
        except ClaimxError as e:
            raise click.ClickException(str(e)) from None
    return stage


def _run(config, process) -> None:
    from .batch import run_batch
    from .errors import ClaimxError

    meta = click.get_current_context().meta
    if "claimx.max_bytes" in meta:
        config.max_bytes = meta["claimx.max_bytes"]
    try:
        report = run_batch(config, process)
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None
    except BrokenPipeError:
        _quiet_broken_pipe()
    sys.exit(report.exit_code)


def _quiet_broken_pipe() -> None:
    """`claimx … | head`: the reader left; end quietly like other Unix tools."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    sys.exit(0)


def _pipeline(gazetteers=(), **extra):
    from .errors import ClaimxError
    from .pipeline import Options, Pipeline

    try:
        return Pipeline(Options(gazetteers=tuple(gazetteers), **extra))
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimx")
def main():
    """Extract attributed claims from Arabic news, with exact offsets.

    \b
    claimx extract seeds/ -o claims.jsonl
    claimx extract seeds/ | jq -r '[.cue.type, .source.text] | @tsv'
    """


@main.command()
@batch_options
@click.option("--tokens", is_flag=True, help="Include word tokens as [start, end] pairs.")
def normalize(inputs, output, glob, errors_path, fail_fast, quiet, tokens):
    """Write one document record a line: raw text, normalised view, sentences.

    The records are valid input of `claimx extract -`:

    \b
    claimx normalize seeds/ | claimx extract -
    """
    config = _config(inputs, output, glob, errors_path, fail_fast, quiet, "documents")
    _run(config, _stage("normalize", tokens=tokens))


@main.command()
@batch_options
@gazetteer_option
@engine_options
def extract(inputs, output, glob, errors_path, fail_fast, quiet, gazetteers, engine, models):
    """Write one claim record a line (schema: `claimx schema claim`).

    \b
    claimx extract seeds/ -o claims.jsonl
    claimx extract articles.jsonl --errors failed.jsonl
    cat article.txt | claimx extract -
    """
    config = _config(inputs, output, glob, errors_path, fail_fast, quiet, "claims")
    _run(config, _stage("extract", gazetteers, **engine_settings(engine, models)))


@main.command()
@batch_options
@gazetteer_option
@engine_options
def tag(inputs, output, glob, errors_path, fail_fast, quiet, gazetteers, engine, models):
    """Write one document record a line with its places, actors and sources.

    Each mention has exact offsets, the entry's id, name, type and subtype
    (`id` is null for an unknown "قرية X" or an ambiguous name, which then
    lists its `candidates`). Schema: `claimx schema doc`.

    \b
    claimx tag seeds/ | jq -c '.mentions[] | [.text, .type, .id]'
    claimx tag articles.jsonl --gazetteer extra.yaml -o tagged.jsonl
    """
    from .errors import ClaimxError

    config = _config(inputs, output, glob, errors_path, fail_fast, quiet, "documents")
    stage = _stage("tag", gazetteers, **engine_settings(engine, models))
    if not config.cache_dir:
        try:  # a broken extension file is reported before any input is read
            stage.pipeline().gazetteer
        except ClaimxError as e:
            raise click.ClickException(str(e)) from None
    _run(config, stage)


@main.command("eval")
@click.option("--gold", "gold_paths", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold YAML file (repeatable).")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--glob", default="*.txt", show_default=True, help="Files to read inside folders.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable figures.")
@click.option("--details", is_flag=True, help="List every missed, spurious and wrong claim.")
@click.option("--entities", "with_entities", is_flag=True,
              help="Also score gazetteer mentions against the gold `entities` (typed recall, id consistency).")
@gazetteer_option
@engine_options
def eval_(gold_paths, inputs, glob, as_json, details, gazetteers, with_entities, engine, models):
    """Score claims against gold annotations: P/R/F1 and attribute accuracy.

    Documents are matched to gold by id (the file stem for text files, the
    record id for JSONL). With no INPUT, a gold file's `corpus` says where its
    documents are (seeds/ or ../shared/corpus/baly2018/articles.jsonl).

    \b
    claimx eval --gold tests/gold/dev-seeds.yaml seeds/
    claimx eval --gold tests/gold/dev-baly-a.yaml ../shared/corpus/baly2018/articles.jsonl --json
    """
    from .errors import ClaimxError, InputError
    from .evaluate import Scores, default_inputs, doc_key_matches, load_gold, score_document
    from .io import iter_documents

    pipe = _pipeline(gazetteers, **engine_settings(engine, models))
    scores = Scores()
    ent_scores = None
    try:
        for gold_path in gold_paths:
            gold = load_gold(gold_path)
            wanted = set(map(str, gold["docs"]))
            found = set()
            errors = []
            for doc in iter_documents(list(inputs) or default_inputs(gold, gold_path), glob, errors.append):
                key = doc_key_matches(doc.id, wanted)
                if key is None or key in found:
                    continue
                found.add(key)
                if "claims" in gold["docs"][key]:  # a doc with no `claims` key annotates entities only
                    score_document(doc.text, key, gold["docs"][key], pipe.extract(doc), gold_path, scores)
                if with_entities:
                    ent_scores = _score_entities(pipe, doc, key, gold["docs"][key], ent_scores)
            for e in errors:
                click.echo(f"claimx: error: {e.message}", err=True)
            missing = sorted(wanted - found)
            if missing:
                raise InputError(gold_path, f"{len(missing)} gold documents not found in the inputs: {', '.join(missing[:5])}",
                                 "pass the folder or JSONL file that holds them")
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None
    result = scores.as_dict()
    if details:
        result["errors"] = scores.errors
    if ent_scores is not None:
        result["entities"] = ent_scores.as_dict()
        if details:
            result["entity_errors"] = ent_scores.errors
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    c = result["claims"]
    click.echo(f"documents {result['documents']}  gold-matched {result['matched']}")
    if not result["documents"]:
        click.echo("claims    not annotated in these gold files (entities only)")
    else:
        click.echo(f"claims    P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
        for k in ("source_accuracy", "content_accuracy", "polarity_accuracy", "type_accuracy", "hedge_recall", "hedge_false_rate"):
            v = result[k]
            click.echo(f"{k:<18} {'n/a' if v is None else f'{v:.3f}'}")
    if ent_scores is not None:
        _echo_entities(result["entities"])
    if details:
        for e in scores.errors + (ent_scores.errors if ent_scores is not None else []):
            click.echo(json.dumps(e, ensure_ascii=False))


def _score_entities(pipe, doc, key, gold_doc, ent_scores):
    from .entity_eval import EntityScores, score_entities

    ent_scores = ent_scores or EntityScores()
    gaz = pipe.gazetteer
    score_entities(doc.text, key, gold_doc, gaz.tag(doc) if gaz is not None else [], ent_scores,
                   related=gaz.related if gaz is not None else None)
    return ent_scores


def _echo_entities(e: dict) -> None:
    def fmt(v):
        return "n/a" if v is None else f"{v:.3f}"

    click.echo(f"entities  typed recall {fmt(e['typed_recall'])}  tagged {fmt(e['tagged_recall'])}  "
               f"with id {fmt(e['resolved'])}  (occurrences {e['occurrences']})  "
               f"consistency {fmt(e['consistency'])}  related {fmt(e['consistency_related'])}  "
               f"(entities {e['entities']})")
    for t, f in e["by_type"].items():
        click.echo(f"  {t:<10} typed recall {fmt(f['typed_recall'])}  consistency {fmt(f['consistency'])}  "
                   f"(occurrences {f['occurrences']}, entities {f['entities']})")


@main.command()
@click.argument("name", type=click.Choice(["claim", "doc"]))
def schema(name):
    """Print the JSON Schema of a record type.

    \b
    claimx schema claim > claim.schema.json
    """
    from .schema import SCHEMAS

    click.echo(json.dumps(SCHEMAS[name], ensure_ascii=False, indent=2))


from .commands_ledger import ledger as _ledger_cmd, report as _report_cmd  # noqa: E402  (issue 6)
main.add_command(_ledger_cmd), main.add_command(_report_cmd)
main.add_command(_models_cmd)  # claimx models download|list (issue 7)

from .commands_batch import cache as _cache_cmd, diff as _diff_cmd  # noqa: E402  (issue 5)
main.add_command(_cache_cmd), main.add_command(_diff_cmd)


def _register_gazetteer_commands() -> None:
    from .commands_gazetteer import gazetteer_group

    main.add_command(gazetteer_group)


_register_gazetteer_commands()
