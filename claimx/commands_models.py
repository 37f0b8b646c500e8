"""`claimx models download|list`: models of the optional engines (stanza, camel).

Nothing downloads implicitly: `extract --engine stanza` only reads models that
`claimx models download` fetched, or a folder given with `--models DIR`.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import click

STANZA_PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
CAMEL_PACKAGE = "morphology-db-msa-r13"


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def stanza_status(folder: Path | None) -> dict:
    from .engines.stanza_engine import find_models
    from .errors import EngineUnavailable

    out: dict = {"engine": "stanza", "package": _installed("stanza")}
    try:
        models = find_models(folder)
    except EngineUnavailable as e:
        out.update(models=None, problem=str(e))
        return out
    info = models.describe()
    if info["layout"] == "files":
        info["processors"] = {p: {"path": path, "bytes": _size(Path(path))} for p, path in info["processors"].items()}
    else:
        info["bytes"] = _size(models.root)
    out["models"] = info
    return out


def camel_status(folder: Path | None) -> dict:
    from .engines.camel_engine import find_db
    from .errors import EngineUnavailable

    out: dict = {"engine": "camel", "package": _installed("camel_tools")}
    try:
        db = find_db(data_dir=folder / "camel" if folder else None)
    except EngineUnavailable as e:
        out.update(db=None, problem=str(e))
        return out
    out["db"] = {"path": str(db), "bytes": _size(db)}
    return out


# --- shared by extract, tag and eval (cli.py) ------------------------------------------

def _policy_meta(ctx, param, value):
    ctx.meta["claimx.stanza_policy"] = value
    return value


def engine_options(f):
    """`--engine light|stanza`, `--models DIR` and `--stanza-policy` for a command.

    The policy is read from the context (no extra parameter for the command).
    """
    from .engines import ENGINES

    f = click.option("--stanza-policy", type=click.Choice(["parse", "fill", "overlap"]), default=None,
                     expose_value=False, callback=_policy_meta,
                     help="With --engine stanza: parse spans win (parse, the default), the rules' spans stay "
                          "and the parse fills gaps (fill), or the parse wins only where it points at "
                          "another phrase (overlap). See BENCHMARKS.md, Engines.")(f)
    f = click.option("--models", "models", type=click.Path(exists=True, file_okay=False), default=None,
                     help="Local models folder for --engine stanza; no network is used "
                          "(default: the folder `claimx models download` fills).")(f)
    f = click.option("--engine", type=click.Choice(ENGINES), default="light", show_default=True,
                     help="light: lexicon and rules. stanza: a dependency parse refines each claim "
                          "(needs pip install 'claimx[stanza]' and models, see `claimx models`). "
                          "camel: CAMeL morphology adds cue words the lexicon does not list "
                          "(needs pip install 'claimx[camel]' and its morphology database; --models names "
                          "the database file or folder).")(f)
    return f


def engine_settings(engine: str, models: str | None) -> dict:
    """Options keywords for the chosen engine, checked cheaply before any input is read.

    Light gives {} so that its Options (and cache keys) stay what they were. The engine's
    own options go in `extra`, so the pipeline loads it with
    `load_engine(options.engine, **options.extra)`.
    """
    from .engines import check_engine
    from .errors import EngineUnavailable

    ctx = click.get_current_context(silent=True)
    policy = ctx.meta.get("claimx.stanza_policy") if ctx is not None else None
    if engine == "light":
        if models:
            raise click.UsageError("--models is for --engine stanza")
        if policy:
            raise click.UsageError("--stanza-policy is for --engine stanza")
        return {}
    try:
        check_engine(engine, models)
    except EngineUnavailable as e:
        raise click.ClickException(str(e)) from None
    extra = {"models": str(Path(models).resolve())} if models else {}
    if policy:
        extra["policy"] = policy
    return {"engine": engine, "extra": extra}


@click.group("models")
def models_group():
    """Models of the optional engines: what is installed, and how to get more.

    \b
    claimx models list
    claimx models download --engine stanza
    claimx extract seeds/ --engine stanza --models ~/stanza-ar
    """


@models_group.command("list")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Models folder to inspect (default: $CLAIMX_MODELS or the claimx data folder).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_models(folder, as_json):
    """Show which engines and models are installed; downloads nothing.

    \b
    claimx models list
    claimx models list --dir tests/fixtures/stanza/models --json
    """
    from .engines import default_models_dir, install_hint

    root = folder or default_models_dir()
    status = [stanza_status(root), camel_status(folder)]
    if as_json:
        click.echo(json.dumps({"models_dir": str(root), "engines": status}, ensure_ascii=False, indent=2))
        return
    click.echo(f"models folder: {root}")
    click.echo("light     built in (always available)")
    for st in status:
        pkg = "package installed" if st["package"] else f"package missing; {install_hint(st['engine'])}"
        click.echo(f"{st['engine']:<9} {pkg}")
        if st.get("models"):
            m = st["models"]
            click.echo(f"          models: {m['root']} ({m['layout']})")
            procs = m["processors"]
            if isinstance(procs, dict):
                for p, info in procs.items():
                    click.echo(f"            {p:<9} {_mb(info['bytes']):>9}  {info['path']}")
            else:
                click.echo(f"            {', '.join(procs)} ({_mb(m['bytes'])})")
        elif st.get("db"):
            click.echo(f"          morphology DB: {st['db']['path']} ({_mb(st['db']['bytes'])})")
        else:
            click.echo(f"          {st['problem']}")


@models_group.command("download")
@click.option("--engine", type=click.Choice(["stanza", "camel"]), default="stanza", show_default=True)
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to put the models (default: $CLAIMX_MODELS or the claimx data folder).")
def download(engine, folder):
    """Fetch an engine's official models with its own downloader (needs a network).

    stanza: `stanza.download('ar')` into DIR/stanza; camel: `camel_data -i
    morphology-db-msa-r13` with CAMELTOOLS_DATA=DIR/camel. With no network, train or
    copy models yourself and pass `--models DIR` (see docs/engines.md).

    \b
    claimx models download --engine stanza
    claimx models download --engine camel --dir /data/claimx-models
    """
    from .engines import default_models_dir, install_hint

    root = folder or default_models_dir()
    if engine == "stanza":
        if not _installed("stanza"):
            raise click.ClickException(f"the stanza package is missing; {install_hint('stanza')}")
        import stanza

        target = root / "stanza"
        target.mkdir(parents=True, exist_ok=True)
        click.echo(f"downloading stanza Arabic models ({STANZA_PROCESSORS}) into {target}", err=True)
        try:
            stanza.download("ar", model_dir=str(target), processors=STANZA_PROCESSORS, verbose=False)
        except Exception as e:  # requests/urllib errors vary by version: report them all the same way
            raise click.ClickException(
                f"stanza could not download into {target}: {type(e).__name__}: {e}. "
                "With no network, pass a local folder with --models DIR (docs/engines.md)") from None
        click.echo(str(target))
        return
    if not _installed("camel_tools"):
        raise click.ClickException(f"the camel-tools package is missing; {install_hint('camel')}")
    target = root / "camel"
    target.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CAMELTOOLS_DATA=str(target))
    cmd = [sys.executable, "-m", "camel_tools.cli.camel_data", "-i", CAMEL_PACKAGE]
    click.echo(f"$ CAMELTOOLS_DATA={target} camel_data -i {CAMEL_PACKAGE}", err=True)
    proc = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        last = (proc.stderr or "").strip().splitlines()[-1:] or [""]
        raise click.ClickException(
            f"camel_data failed (exit {proc.returncode}: {last[0]}); with no network, copy an installed camel "
            f"data folder to {target} (it must hold data/morphology_db/calima-msa-r13/morphology.db)")
    click.echo(str(target))
