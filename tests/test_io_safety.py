"""Safety guards over the whole package: YAML is only ever read with safe loaders."""
import importlib
import re
from pathlib import Path

import pytest
import yaml

PACKAGE = Path(__file__).resolve().parents[1] / "claimx"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py"))
SAFE = tuple(c for c in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", None)) if c is not None)


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_io_safety_yaml_loaders_are_safe(path):
    src = path.read_text("utf-8")
    assert not re.search(r"\byaml\.(unsafe_load|full_load|load_all|unsafe_load_all|full_load_all)\b", src)
    assert not re.search(r"\b(Unsafe|Full|C(?:Unsafe|Full)?)?Loader\b\s*=\s*yaml\.(Loader|FullLoader|UnsafeLoader|CLoader)", src)
    for m in re.finditer(r"\byaml\.load\((?P<args>[^)]*)\)", src):
        loader = re.search(r"Loader\s*=\s*([\w.]+)", m.group("args"))
        assert loader, f"{path}: yaml.load without a Loader"
        name = loader.group(1)
        if name.startswith("yaml."):
            cls = getattr(yaml, name[5:])
        else:
            cls = getattr(importlib.import_module(_module(path)), name)
        assert isinstance(cls, type) and issubclass(cls, SAFE), f"{path}: {name} is not a SafeLoader"
