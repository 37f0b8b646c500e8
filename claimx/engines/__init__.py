"""Optional engines: the heavy toolkits claimx can use when they are installed.

The light engine (lexicon + rules, `claimx.extract`) is the default and needs
nothing here. The others are extras with lazy imports, so that `import claimx`
never imports stanza, torch or camel-tools:

- ``stanza``: a dependency parse refines the claims the rules found (source =
  the cue's nsubj, content = its clausal complement, recipient = the لـ oblique,
  PER/ORG entities as source candidates). ``pip install 'claimx[stanza]'``.
- ``camel``: CAMeL Tools' morphological analyser lemmatises cue candidates and
  segments clitics of words the lexicon does not know. ``pip install 'claimx[camel]'``.

    >>> from claimx.engines import load_engine
    >>> load_engine("light").name
    'light'
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import EngineUnavailable

ENGINES = ("light", "stanza", "camel")

TORCH_FIRST = "pip install torch==2.13.0"  # a CPU wheel; without it pip may pull a multi-GB CUDA build


def install_hint(extra: str) -> str:
    return f"install it with: {TORCH_FIRST} && pip install 'claimx[{extra}]'"


def default_models_dir() -> Path:
    """Where `claimx models download` puts models: $CLAIMX_MODELS, else the XDG data folder."""
    env = os.environ.get("CLAIMX_MODELS")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "claimx" / "models"


class LightEngine:
    """The default: records pass through unchanged (the rules already made them)."""

    name = "light"

    def refine(self, text: str, records: list[dict]) -> list[dict]:
        return records

    def entities(self, text: str) -> list[dict]:
        return []


def check_engine(name: str = "light", models: str | os.PathLike | None = None) -> None:
    """Fail early and cheaply (no model is loaded) when an engine cannot run."""
    if name == "light":
        return
    if name == "stanza":
        from .stanza_engine import find_models, import_stanza

        import_stanza()
        find_models(models)
        return
    if name == "camel":
        from .camel_engine import find_db, import_camel

        import_camel(find_db(db_path=models) if models else find_db())
        return
    raise EngineUnavailable(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


def load_engine(name: str = "light", models: str | os.PathLike | None = None, **options):
    """The engine called `name`; raises EngineUnavailable (with the install command) when it is missing.

    `models` is a folder of models (`--models DIR`); None means the claimx-managed
    folder (`claimx models download`). Nothing is downloaded here.
    """
    if name == "light":
        return LightEngine()
    if name == "stanza":
        from .stanza_engine import StanzaEngine

        return StanzaEngine(models_dir=models, **options)
    if name == "camel":
        from .camel_engine import CamelEngine

        return CamelEngine(db_path=models)
    raise EngineUnavailable(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "EngineUnavailable", "LightEngine", "check_engine", "default_models_dir", "install_hint",
           "load_engine"]
