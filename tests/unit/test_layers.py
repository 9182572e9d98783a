"""The layer rules of docs/ARCHITECTURE.md, checked on every run rather than by review.

- ``lint-imports`` runs the contracts of pyproject.toml: the interfaces (web app, API, CLI) import
  no SQLAlchemy or SQLModel, and access/org and the events package have no import cycle.
- The wing rules, from the list of wings (``domain.verticals.WINGS``) with import-linter's graph
  (grimp): no shared package imports a wing, even through another module; a wing imports another
  wing only for its published event contracts (``domain.<other>.events``).
- What an import contract cannot see: an interface reaching for the unit of work's ``.session``,
  or importing a table class to query it (enums from a models module are fine).
"""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INTERFACES = [
    *sorted((ROOT / "rxapp").rglob("*.py")),
    ROOT / "domain" / "cli.py",
    ROOT / "domain" / "incentives" / "cli.py",  # `vcc payouts`
]


def _lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a dev dependency (pip install -e '.[dev]')"
    done = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_import_contracts_hold() -> None:
    out = _lint_imports()
    for contract in (
        "Interfaces (web app, API, CLI) reach the database only through the domain",
        "access and org: one way, no cycle",
        "events: dispatcher above outbox, no cycle",
    ):
        assert f"{contract} KEPT" in out, out


def _wings_and_shared() -> tuple[list[str], list[str], object]:
    import grimp

    from domain.verticals import WINGS

    graph = grimp.build_graph("domain")
    wings = sorted({w.rsplit(".", 1)[0] for w in WINGS})
    top = sorted({m for m in graph.modules if m.count(".") == 1})
    shared = [m for m in top if m not in wings and m != "domain.cli"]
    return wings, shared, graph


def test_no_shared_package_imports_a_wing() -> None:
    wings, shared, graph = _wings_and_shared()
    assert "domain.freight" in wings and "domain.jobs" in shared
    found = [
        (s, w, graph.find_shortest_chain(importer=s, imported=w, as_packages=True))  # type: ignore[attr-defined]
        for s in shared
        for w in wings
        if graph.chain_exists(importer=s, imported=w, as_packages=True)  # type: ignore[attr-defined]
    ]
    assert not found, f"shared packages reach a wing (iterate the manifests instead): {found}"


def test_wings_import_no_other_wing_but_its_events() -> None:
    wings, _, graph = _wings_and_shared()
    found = []
    for a in wings:
        for b in wings:
            if a == b:
                continue
            for mod in graph.find_modules_that_directly_import(b, as_package=True):  # type: ignore[attr-defined]
                if mod == a or mod.startswith(a + "."):
                    for imported in graph.find_modules_directly_imported_by(mod):  # type: ignore[attr-defined]
                        if imported.startswith(b + ".") and imported != f"{b}.events":
                            found.append((mod, imported))
    assert not found, f"a wing imports another wing beyond its events: {found}"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_interfaces_never_touch_the_database_session() -> None:
    found = []
    for path in INTERFACES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Attribute) and node.attr == "session":
                base = node.value
                # Reflex's own sessions: the state's (``self.session``) and the router's
                # (``self.router.session``: the browser's), not the database's.
                reflex = (isinstance(base, ast.Name) and base.id == "self") or (
                    isinstance(base, ast.Attribute) and base.attr == "router"
                )
                if not reflex:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"the interfaces read the database session directly: {found}"


def test_interfaces_import_no_table_to_query() -> None:
    found = []
    for path in INTERFACES:
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not (node.module.startswith("domain.") and node.module.endswith(".models")):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if hasattr(value, "__table__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert not found, f"the interfaces import tables (query through the domain): {found}"
