"""Where the gazetteer's files are and their content hash, without importing YAML.

A load that finds the compiled matcher in the disk cache needs only `gazetteer_hash`
and the `Entry` class (the pickle holds entries); keeping them here spares it the YAML
parser and the validator (`gazetteer_data`, which re-exports both), loaded only when the
cache misses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from claimx.errors import GazetteerError

# claimx/gazetteer_compose.py reads these; listed here so that hashing needs no import of it
COMPOSE_FILES = ("countries.yaml", "institutions.yaml")

# Bump when the loader's interpretation of the files changes, so that caches
# keyed by gazetteer_hash() are invalidated even if the files did not change.
LOADER_VERSION = "2"  # 2: the compositional layer (gazetteer_compose) runs inside load_entries

DEFAULT_FILES = ("places.yaml", "actors.yaml", "sources.yaml")
_PACKAGE = "claimx._gazetteer"
# In a source checkout that has not been installed, the data sits next to the package.
_CHECKOUT_DIR = Path(__file__).resolve().parents[1] / "gazetteer"


@dataclass(frozen=True)
class _Source:
    """A file to read: a display name for messages and a way to get its bytes."""

    display: str
    resource: Any  # pathlib.Path or importlib.resources Traversable

    def read_bytes(self) -> bytes:
        return self.resource.read_bytes()


def _data_root() -> Any:
    try:
        root = resources.files(_PACKAGE)
        if not root.joinpath(DEFAULT_FILES[0]).is_file():
            raise FileNotFoundError
    except (ModuleNotFoundError, FileNotFoundError):
        root = _CHECKOUT_DIR
    return root


def _default_sources() -> list[_Source]:
    root = _data_root()
    return [_Source(f"gazetteer/{name}", root.joinpath(name)) for name in DEFAULT_FILES]


def _compose_sources() -> list[_Source]:
    """The two data files of the compositional layer (claimx/gazetteer_compose.py)."""
    root = _data_root()
    return [_Source(f"gazetteer/{name}", root.joinpath(name)) for name in COMPOSE_FILES]


def default_paths() -> list[Any]:
    """The default gazetteer files (paths or importlib.resources Traversables)."""
    return [s.resource for s in _default_sources()]


def _sources(paths: Iterable[Path | str] | None, include_default: bool) -> list[_Source]:
    out = _default_sources() if include_default else []
    for p in paths or ():
        out.append(_Source(str(p), Path(p)))
    return out


def gazetteer_hash(paths: Iterable[Path | str] | None = None, *, include_default: bool = True) -> str:
    """SHA-256 over the bytes of the files ``load_entries`` would read with the same arguments.

    Use it as a cache key for anything compiled from the gazetteer.
    Example: ``gazetteer_hash()`` -> ``'3f1c…'`` (64 hex digits).
    """
    digest = hashlib.sha256(f"claimx-gazetteer/{LOADER_VERSION}\n".encode())
    if include_default:  # the generator's code shapes the default entries as much as its data
        digest.update(Path(__file__).with_name("gazetteer_compose.py").read_bytes())
    for src in (_compose_sources() if include_default else []) + _sources(paths, include_default):
        try:
            data = src.read_bytes()
        except FileNotFoundError as exc:
            raise GazetteerError(src.display, "file not found; check the path") from exc
        except OSError as exc:
            raise GazetteerError(src.display, f"cannot read the file ({exc.strerror or exc})") from exc
        digest.update(f"{src.display}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry: a place, an actor or a source, with where it was defined."""

    id: str
    name: str
    name_en: str
    type: str
    subtype: str
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    lat: float | None = None
    lon: float | None = None
    pcode: str | None = None
    geonames: int | None = None
    wikidata: str | None = None
    affiliation: tuple[str, ...] = ()
    alignment: str | None = None
    url: str | None = None
    note: str | None = None
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every surface form: the name, the aliases, then the weak aliases (no repeats)."""
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.weak_aliases)))

    @property
    def strong_names(self) -> tuple[str, ...]:
        """Forms that identify the entry on their own: name (unless weak) and aliases."""
        return tuple(n for n in (self.name, *self.aliases) if n not in self.weak_aliases)
