"""Arrows point down: the stages import no storage, orchestration, web or entry point.

Every `import` and `from ... import` of every module under marsad/ is read (those inside
functions and TYPE_CHECKING blocks too) and named by the package or module of marsad it
reaches: `marsad.enrich.stories` is `enrich`, `marsad.pipeline` is `pipeline`.
docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "marsad"

# Above the stages: storage, orchestration, the site, the entry points and their settings.
ABOVE_STAGES = frozenset(
    {
        "store",
        "pipeline",
        "enrichment_runner",
        "follow",
        "export",
        "web",
        "workers",
        "cli",
        "settings",
        "replay",
    }
)
# What each part may not import.
FORBIDDEN: dict[str, frozenset[str]] = {
    "arabic": ABOVE_STAGES | {"enrich", "ingest", "urls"},
    "enrich": ABOVE_STAGES | {"ingest", "urls"},
    "ingest": ABOVE_STAGES | {"enrich"},
    "models": ABOVE_STAGES | {"enrich", "ingest"},
    "store": ABOVE_STAGES - {"store"},
    "replay": ABOVE_STAGES - {"replay"},
    "web": frozenset({"cli", "workers", "follow", "replay"}),
}
# enrich/ is pure: besides itself, only these.
ENRICH_MAY_IMPORT = frozenset({"arabic", "models", "enrich"})


def _part(module: str) -> str | None:
    """The part of marsad a dotted module name reaches, or None outside marsad."""
    names = module.split(".")
    if names[0] != "marsad":
        return None
    return names[1] if len(names) > 1 else "marsad"


def _imports(path: Path) -> set[str]:
    """The parts of marsad one module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = here[: len(here) - node.level]
                base = ".".join(package + ((node.module,) if node.module else ()))
            else:
                base = node.module or ""
            # `from marsad import store` reaches marsad.store.
            modules = [f"{base}.{alias.name}" if base == "marsad" else base for alias in node.names]
        found.update(p for p in map(_part, modules) if p is not None)
    return found


def _graph() -> dict[Path, set[str]]:
    """Every module of marsad with the parts it imports."""
    return {path: _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _part_of(path: Path) -> str:
    """The part a module file belongs to: its folder under marsad/, or its own name."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def test_the_graph_is_read() -> None:
    graph = _graph()
    assert len(graph) > 100
    # The reader sees arrows that exist: the pipeline stores and the runner enriches.
    assert "store" in graph[PACKAGE / "pipeline.py"]
    assert {"enrich", "store"} <= graph[PACKAGE / "enrichment_runner.py"]
    assert "arabic" in graph[PACKAGE / "enrich" / "keyphrases.py"]


def test_no_arrow_points_up() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)} imports marsad.{target}"
        for path, targets in _graph().items()
        for target in sorted(targets & FORBIDDEN.get(_part_of(path), frozenset()))
    ]
    assert wrong == []


def test_enrich_is_pure() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)} imports marsad.{target}"
        for path, targets in _graph().items()
        if _part_of(path) == "enrich"
        for target in sorted(targets - ENRICH_MAY_IMPORT)
    ]
    assert wrong == []


def _storage_reach(path: Path) -> list[str]:
    """What of storage one module outside store/ touches: `.engine`, or SQLAlchemy beyond its
    exceptions (which the workers catch to tell a lost database from a bad message)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "engine":
            found.append(f"line {node.lineno}: .engine")
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module or ""]
        found += [
            f"line {node.lineno}: imports {m}"
            for m in modules
            if m.split(".")[0] == "sqlalchemy" and m != "sqlalchemy.exc"
        ]
    return found


def test_only_the_store_touches_the_database() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)} {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if _part_of(path) != "store"
        for what in _storage_reach(path)
    ]
    assert wrong == []
    # The reader sees what the store itself does.
    assert _storage_reach(PACKAGE / "store" / "queries.py")


def _private_reach(path: Path) -> list[str]:
    """Private names one module takes from another module of marsad, or hands on in __all__."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("marsad")
        ):
            found += [f"imports {a.name}" for a in node.names if a.name.startswith("_")]
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names = [e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant)]
            found += [f"exports {n}" for n in names if isinstance(n, str) and n.startswith("_")]
    return found


def test_no_private_name_crosses_a_module() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)} {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for what in _private_reach(path)
    ]
    assert wrong == []


def _store_submodules(path: Path) -> set[str]:
    """The submodules of marsad.store one module imports (not the package `marsad.store`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            # `from marsad.store import schema` reaches a submodule, `import Store` does not.
            modules = [base] + [
                f"{base}.{alias.name}" for alias in node.names if base == "marsad.store"
            ]
        found.update(m for m in modules if m.startswith("marsad.store.") and _is_module(m))
    return found


def _is_module(name: str) -> bool:
    """Whether a dotted name under marsad is a module or package file (not a class in one)."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_outside_the_store_only_the_package_is_imported() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)} imports {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if _part_of(path) != "store"
        for module in sorted(_store_submodules(path))
    ]
    assert found == []
    # The reader sees submodules: the store's own modules import them.
    assert "marsad.store.queries" in _store_submodules(PACKAGE / "store" / "store.py")
    assert "marsad.store.writer" in _store_submodules(PACKAGE / "store" / "queries.py")


# How code outside store/ reaches a store: a name `store`, an attribute `.store` (`web.store`),
# or what a call named so returns (`_store(request)`, `store_of(request)`, `ctx.store()`).
STORE_NAMES = frozenset({"store", "_store", "store_of", "open_store"})


def _is_store(node: ast.expr) -> bool:
    """Whether an expression is a store as code outside store/ names one."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id in STORE_NAMES
    return isinstance(node, ast.Attribute) and node.attr in STORE_NAMES


def _verbs_called(path: Path) -> set[str]:
    """The public attributes one module takes of a store (`store.latest_articles(...)`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and _is_store(node.value)
        and not node.attr.startswith("_")
    }


def _surface() -> set[str]:
    """The verbs the `Storage` Protocol lists (its methods and properties)."""
    tree = ast.parse((PACKAGE / "store" / "storage.py").read_text(encoding="utf-8"))
    protocol = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Storage")
    return {n.name for n in protocol.body if isinstance(n, ast.FunctionDef)}


def test_outside_the_store_only_the_surface_is_called() -> None:
    called = {
        verb
        for path in sorted(PACKAGE.rglob("*.py"))
        if _part_of(path) != "store"
        for verb in _verbs_called(path)
    }
    # The reader sees the calls: the pages read, the pipeline stores, the desk acts.
    assert {"latest_articles", "add_articles", "hide_article", "url"} <= called
    assert len(called) > 90
    # Every verb called is on the surface, and the surface lists nothing else.
    assert sorted(called - _surface()) == []
    assert sorted(_surface() - called) == []


def test_benchmarks_import_only_the_store_package() -> None:
    bench = PACKAGE.parent / "bench"
    found = [
        f"{path.relative_to(PACKAGE.parent)} imports {module}"
        for path in sorted(bench.rglob("*.py"))
        for module in sorted(_store_submodules(path))
    ]
    assert found == []
