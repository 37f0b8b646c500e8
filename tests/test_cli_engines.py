"""CLI of the optional engines: --engine/--models and `claimx models`; runs without the extras."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "seeds")


@pytest.fixture
def no_stanza(monkeypatch):
    monkeypatch.setitem(sys.modules, "stanza", None)  # `import stanza` now raises ImportError


@pytest.mark.parametrize("command", ["extract", "tag", "eval"])
def test_cli_engines_option_listed_in_help(command):
    if command not in main.commands:
        pytest.skip(f"no `claimx {command}` in this tree yet")
    res = CliRunner().invoke(main, [command, "--help"])
    assert res.exit_code == 0
    assert "--engine [light|stanza|camel]" in res.output and "--models" in res.output


@pytest.mark.parametrize("command", ["extract", "tag"])
def test_cli_engines_missing_stanza_names_install_command(no_stanza, command):
    if command not in main.commands:
        pytest.skip(f"no `claimx {command}` in this tree yet")
    res = CliRunner().invoke(main, [command, SEEDS, "--engine", "stanza"])
    assert res.exit_code == 1
    assert "pip install torch==2.13.0 && pip install 'claimx[stanza]'" in res.output


def test_cli_engines_missing_models_say_how_to_get_them(tmp_path):
    pytest.importorskip("stanza", reason="needs the stanza extra to get past the package check")
    res = CliRunner().invoke(main, ["extract", SEEDS, "--engine", "stanza", "--models", str(tmp_path)])
    assert res.exit_code == 1
    assert "claimx models download" in res.output and "--models DIR" in res.output


def test_cli_engines_models_without_stanza_is_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["extract", SEEDS, "--models", str(tmp_path)])
    assert res.exit_code == 2
    assert "--models is for --engine stanza" in res.output


def test_cli_engines_unknown_engine_is_usage_error():
    res = CliRunner().invoke(main, ["extract", SEEDS, "--engine", "spacy"])
    assert res.exit_code == 2


def test_cli_engines_light_is_default_and_unchanged():
    a = CliRunner().invoke(main, ["extract", SEEDS, "-q"])
    b = CliRunner().invoke(main, ["extract", SEEDS, "-q", "--engine", "light"])
    assert a.exit_code == b.exit_code == 0
    assert a.output == b.output


def test_cli_engines_models_list_reports_every_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMX_MODELS", str(tmp_path))
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "camel"))
    res = CliRunner().invoke(main, ["models", "list"])
    assert res.exit_code == 0, res.output
    assert f"models folder: {tmp_path}" in res.output
    assert "light     built in" in res.output
    assert "stanza" in res.output and "camel" in res.output
    res = CliRunner().invoke(main, ["models", "list", "--json"])
    data = json.loads(res.output)
    assert [e["engine"] for e in data["engines"]] == ["stanza", "camel"]
    assert data["engines"][0]["models"] is None and "claimx models download" in data["engines"][0]["problem"]


def test_cli_engines_models_list_shows_model_files(tmp_path):
    (tmp_path / "tokenize.pt").write_bytes(b"x" * 10)
    (tmp_path / "depparse.pt").write_bytes(b"x" * 10)
    res = CliRunner().invoke(main, ["models", "list", "--dir", str(tmp_path), "--json"])
    st = json.loads(res.output)["engines"][0]
    assert st["models"]["layout"] == "files"
    assert set(st["models"]["processors"]) == {"tokenize", "depparse"}


def test_cli_engines_download_without_package_fails_cleanly(no_stanza, tmp_path):
    res = CliRunner().invoke(main, ["models", "download", "--engine", "stanza", "--dir", str(tmp_path)])
    assert res.exit_code == 1
    assert "pip install" in res.output


def test_cli_engines_models_help_has_examples():
    for args in (["models", "--help"], ["models", "list", "--help"], ["models", "download", "--help"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0 and "claimx models" in res.output


def test_cli_engines_stanza_policy_needs_stanza():
    res = CliRunner().invoke(main, ["extract", SEEDS, "--stanza-policy", "fill"])
    assert res.exit_code == 2
    assert "--stanza-policy is for --engine stanza" in res.output


def test_cli_engines_settings_carry_models_and_policy(tmp_path, monkeypatch):
    import click

    from claimx import commands_models as cm

    monkeypatch.setattr("claimx.engines.check_engine", lambda engine, models=None: None)
    ctx = click.Context(main)
    ctx.meta["claimx.stanza_policy"] = "fill"
    with ctx:
        got = cm.engine_settings("stanza", str(tmp_path))
    assert got == {"engine": "stanza", "extra": {"models": str(tmp_path.resolve()), "policy": "fill"}}
