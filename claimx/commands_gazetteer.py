"""`claimx gazetteer stats|lookup|validate|import`: inspect, check and extend the gazetteer.

A click group registered in `claimx.cli`; library errors become one-line
messages with exit status 1, usage errors exit 2. Heavy modules are imported
inside the commands so that `claimx --help` stays instant.
"""
from __future__ import annotations

import json

import click

IMPORTERS = ("ocha-syria", "iraq-admin", "geonames")


def _extensions(f):
    return click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, dir_okay=False),
                        help="Extension gazetteer YAML loaded on top of the default (repeatable).")(f)


def _load(gazetteers=()):
    from .errors import ClaimxError
    from .gazetteer import load_gazetteer

    try:
        return load_gazetteer(gazetteers)
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None


@click.group("gazetteer")
def gazetteer_group():
    """Inspect, check and extend the gazetteer of places, actors and sources.

    \b
    claimx gazetteer stats
    claimx gazetteer lookup البوكمال
    claimx gazetteer validate extra.yaml
    claimx gazetteer import --from ocha-syria ../shared/geo/syria -o extra.yaml
    """


@gazetteer_group.command()
@_extensions
@click.option("--json", "as_json", is_flag=True, help="Machine-readable figures.")
def stats(gazetteers, as_json):
    """Count entries by type and subtype, surface forms, ambiguous forms and ids.

    \b
    claimx gazetteer stats
    claimx gazetteer stats --gazetteer extra.yaml --json
    """
    s = _load(gazetteers).stats()
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"files    {', '.join(s['files'])}")
    click.echo(f"hash     {s['hash']}")
    click.echo(f"entries  {s['entries']}  ({', '.join(f'{k} {v}' for k, v in s['by_type'].items())})")
    click.echo(f"forms    {s['forms']} names and aliases, {s['variant_forms']} article variants, "
               f"{s['ambiguous_forms']} shared by several entries")
    click.echo(f"ids      coordinates {s['with_coordinates']}, p-code {s['with_pcode']}, "
               f"wikidata {s['with_wikidata']}, geonames {s['with_geonames']}")
    for k, v in s["by_subtype"].items():
        click.echo(f"  {k:<28} {v}")


@gazetteer_group.command()
@click.argument("name")
@_extensions
@click.option("--no-fuzzy", "exact", is_flag=True, help="Exact forms only (clitics still allowed).")
@click.option("--json", "as_json", is_flag=True, help="One JSON entry a line, with every field.")
def lookup(name, gazetteers, exact, as_json):
    """Show the entries a name stands for (clitics allowed, then close spellings).

    Exit status 1 when nothing matches.

    \b
    claimx gazetteer lookup بالبوكمال
    claimx gazetteer lookup قسد --json | jq .id
    """
    gaz = _load(gazetteers)
    hits = gaz.lookup(name, fuzzy=not exact)
    if not hits:
        raise click.ClickException(f"no entry for {name!r}; try another spelling, or add it to an extension file "
                                   "(see gazetteer/README.md)")
    for h in hits:
        e = gaz.entry(h["id"])
        if as_json:
            rec = {"id": e.id, "match": h["match"], "form": h["form"]}
            if "score" in h:
                rec["score"] = h["score"]
            rec.update({k: v for k, v in _entry_dict(e).items() if k != "id"})
            click.echo(json.dumps(rec, ensure_ascii=False))
            continue
        how = h["match"] + (f" {h['score']}" if "score" in h else "") + (f", prefix {h['prefix']}" if h["prefix"] else "")
        click.echo(f"{e.id}\t{e.name}\t{e.name_en}\t{e.type}/{e.subtype}\t({how})")
        parent = e.parent
        chain = []
        while parent and parent in gaz.by_id and len(chain) < 6:
            chain.append(gaz.entry(parent).name)
            parent = gaz.entry(parent).parent
        if chain:
            click.echo(f"  in: {' < '.join(chain)}")
        if e.aliases:
            click.echo(f"  aliases: {'، '.join(e.aliases)}")
        click.echo(f"  defined at {e.file}:{e.line}")


def _entry_dict(e) -> dict:
    import dataclasses

    out = {}
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if v in (None, (), ""):
            continue
        out[f.name] = list(v) if isinstance(v, tuple) else v
    return out


@gazetteer_group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--standalone", is_flag=True, help="Check the files alone, without the default gazetteer under them.")
def validate(files, standalone):
    """Check extension gazetteer files: schema, ids, references, duplicates.

    Files are checked on top of the default gazetteer (so they may patch its
    entries and point at its places). Every problem is reported as
    FILE:LINE: entry 'ID': key 'K' … ; exit status 1 when there is one.

    \b
    claimx gazetteer validate extra.yaml
    """
    from .errors import ClaimxError
    from .gazetteer_data import load_entries

    try:
        entries = load_entries(list(files), include_default=not standalone)
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None
    for f in files:
        n = sum(1 for e in entries if e.file == f)
        click.echo(f"{f}: valid, {n} new entries")


@gazetteer_group.command("import")
@click.option("--from", "kind", type=click.Choice(IMPORTERS), required=True,
              help="ocha-syria: a folder or opensyria_*.json file; iraq-admin: iraq_geo_output.json; "
                   "geonames: cities15000.zip or .txt.")
@click.argument("source", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The extension gazetteer YAML to write.")
@click.option("--country", "countries", multiple=True, default=("SY", "IQ"), show_default=True,
              help="geonames: ISO country codes to keep (repeatable).")
@click.option("--keep-known", is_flag=True,
              help="Keep entries the default gazetteer already has (same p-code, GeoNames or Wikidata id).")
def import_(kind, source, output, countries, keep_known):
    """Build an extension gazetteer from official data you have.

    The output is validated on top of the default gazetteer before the command
    succeeds; load it with --gazetteer on tag, extract and eval.

    \b
    claimx gazetteer import --from ocha-syria ../shared/geo/syria -o sy.yaml
    claimx gazetteer import --from iraq-admin ../shared/geo/iraq/iraq_geo_output.json -o iq.yaml
    claimx gazetteer import --from geonames cities15000.zip --country SY -o towns.yaml
    claimx tag articles.jsonl --gazetteer sy.yaml --gazetteer iq.yaml
    """
    from . import gazetteer_import as gi
    from .errors import ClaimxError
    from .gazetteer_data import load_entries

    try:
        if kind == "ocha-syria":
            entries, credit = gi.import_ocha_syria(source), "Open-Syria data-geography (CC BY 4.0)"
        elif kind == "iraq-admin":
            entries, credit = gi.import_iraq_admin(source), "m7amad-t/iraq_geo_data (MIT)"
        else:
            entries, credit = gi.import_geonames(source, countries), "GeoNames, geonames.org (CC BY 4.0)"
    except (OSError, ValueError, KeyError) as e:
        raise click.ClickException(f"{source}: cannot import as {kind}: {e}") from None
    total = len(entries)
    try:
        known = load_entries()
    except ClaimxError as e:
        raise click.ClickException(str(e)) from None
    if not keep_known:
        entries = gi.drop_known(entries, known)
    entries = _fix_dangling_parents(entries, {e.id for e in known})
    header = (f"Extension gazetteer imported by `claimx gazetteer import --from {kind}` from {source}.\n"
              f"Data: {credit}; credit it when you share this file.")
    gi.write_yaml(entries, output, header=header)
    try:
        load_entries([output])
    except ClaimxError as e:
        raise click.ClickException(f"the imported file does not validate: {e}") from None
    click.echo(f"{output}: {len(entries)} entries written ({total - len(entries)} of {total} already in the "
               "default gazetteer)", err=True)


def _fix_dangling_parents(entries: list[dict], known_ids: set[str]) -> list[dict]:
    """Drop a `parent` that points nowhere (its entry was neither imported nor known)."""
    ids = {e["id"] for e in entries} | known_ids
    out = []
    for e in entries:
        if e.get("parent") and e["parent"] not in ids:
            e = {k: v for k, v in e.items() if k != "parent"}
        out.append(e)
    return out
