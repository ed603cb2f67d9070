"""The package layering of DESIGN.md holds: a package imports only from layers below it.

cli → plugins → controllers | scheduler | kubelet → informers | workqueue → client → apiserver →
store → api. `cri` is used only by kubelet; `clock` is a leaf every layer may use; nothing outside
tests imports `kubelite.testing`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "kubelite"

RANK = {
    "clock": -1,
    "api": 0,
    "store": 1,
    "apiserver": 2,
    "client": 3,
    "informers": 4,
    "workqueue": 4,
    "cri": 4,
    "controllers": 5,
    "scheduler": 5,
    "kubelet": 5,
    "plugins": 6,
    "cli": 7,
    "testing": 8,
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("kubelite.")}


def _package(module: str) -> str:
    return module.split(".")[1]


def _violations() -> list[str]:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) == 1:
            continue  # kubelite/__init__.py and __main__.py sit above every layer
        own = parts[0].removesuffix(".py")
        for target in _imports(path):
            other = _package(target)
            if other == own:
                continue
            allowed = RANK[other] < RANK[own] and other != "testing"
            if other == "cri":
                allowed = own in ("kubelet", "testing")
            if not allowed:
                problems.append(f"{path.relative_to(ROOT.parent)} imports {target}")
    return problems


def test_every_package_is_ranked() -> None:
    packages = {p.name.removesuffix(".py") for p in ROOT.iterdir() if not p.name.startswith("_")}
    packages.discard("py.typed")
    assert packages <= set(RANK), packages - set(RANK)


def test_layering_holds() -> None:
    assert _violations() == []


@pytest.mark.parametrize("package", ["api"])
def test_api_imports_nothing_else(package: str) -> None:
    """DESIGN.md: kubelite/api imports nothing else from kubelite."""
    for path in (ROOT / package).rglob("*.py"):
        assert {_package(m) for m in _imports(path)} <= {package}, path
