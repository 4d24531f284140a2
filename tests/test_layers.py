"""The package's layers point one way, and no module of ``src/claimledger`` is in an import cycle.

Layers, lowest first (``docs/architecture.md``):

    vocabulary   records, errors, integrity, budget, wordlists
    stages       ingest, nlp, attribution, sources, claims, stance, timex, evidence, ledger,
                 evaluation, models, pipeline, spacy_component
    store        persistence and queries: it never runs the analysis
    services     ingest a batch, store one document, register a claim: what the faces call
    faces        cli, api, web, __init__, __main__

A module may import from its own layer and the layers below it. Every import counts, at module
level or inside a function (a deferred import is still a dependency); only imports under
``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "claimledger"

LAYERS = {
    "vocabulary": 0, "stages": 1, "store": 2, "services": 3, "faces": 4,
}
LAYER_OF_TOP = {
    "records": "vocabulary", "errors": "vocabulary", "integrity": "vocabulary", "budget": "vocabulary",
    "wordlists": "vocabulary",
    "ingest": "stages", "nlp": "stages", "attribution": "stages", "sources": "stages", "claims": "stages",
    "stance": "stages", "timex": "stages", "evidence": "stages", "ledger": "stages", "evaluation": "stages",
    "models": "stages", "pipeline": "stages", "spacy_component": "stages",
    "store": "store",
    "services": "services",
    "cli": "faces", "api": "faces", "web": "faces", "__init__": "faces", "__main__": "faces",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The claimledger modules ``path`` imports (a package import names the package's __init__)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_block(node):
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    resolved = set()
    for target in found:
        while target and target not in modules:  # "claimledger.store.schema.claims" -> the module
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def layer(module: str) -> str:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in LAYER_OF_TOP:
        raise AssertionError(f"{module}: no layer is named for '{top}' in tests/test_layers.py")
    return LAYER_OF_TOP[top]


GRAPH = import_graph()


def test_the_graph_is_read():
    assert len(GRAPH) > 60
    assert "claimledger.records" in GRAPH["claimledger.pipeline"]
    assert "claimledger.store.schema" in GRAPH["claimledger.store.writer"]


def test_no_import_cycle_in_src():
    try:
        tuple(graphlib.TopologicalSorter(GRAPH).static_order())
    except graphlib.CycleError as error:
        pytest.fail("import cycle: " + " -> ".join(error.args[1]))


def test_every_import_points_to_the_same_or_a_lower_layer():
    upward = [
        f"{module} ({layer(module)}) imports {target} ({layer(target)})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if target != "claimledger" and LAYERS[layer(target)] > LAYERS[layer(module)]
    ]
    assert not upward, "\n".join(upward)


def test_the_store_never_runs_the_analysis():
    analysis = ("claimledger.pipeline", "claimledger.attribution", "claimledger.nlp.pipeline", "claimledger.claims.builder")
    calls = [
        f"{module} imports {target}"
        for module, targets in sorted(GRAPH.items()) if module.startswith("claimledger.store")
        for target in sorted(targets) if target.startswith(analysis)
    ]
    assert not calls, "\n".join(calls)


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The checks above can fail: a made-up pair of modules that import each other is caught."""
    graph = {"a": {"b"}, "b": {"a"}}
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter(graph).static_order())
    assert LAYERS[layer("claimledger.store.writer")] > LAYERS[layer("claimledger.claims.builder")]
    source = tmp_path / "probe.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import claimledger.cli\n"
                      "def f():\n    from claimledger.store import writer\n", encoding="utf-8")
    probe = ast.parse(source.read_text(encoding="utf-8"))
    assert any(_type_checking_block(node) for node in probe.body)
