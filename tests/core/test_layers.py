"""The layers of pdsa, enforced: no import goes up a layer, none goes round in a circle.

An AST walk of ``pdsa_core``, ``pdsa_cli``, ``tui`` and each plugin package under
``plugins/`` collects every import, also those inside functions (a lazy import is still a
dependency); only imports under ``if TYPE_CHECKING:`` are left out, as they never run.

Bottom up (``docs/architecture``, issue 16)::

    domain -> storage -> services/workspace -> analysis (spc), importing, reports,
    meetings, assessments -> plugins -> cli, tui

A module may import its own layer and the layers below it. ``pdsa_core`` never imports
textual, the CLI or the TUI; the TUI never imports the CLI (the CLI may start the TUI).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DOMAIN, STORAGE, SERVICES, ANALYSIS, PLUGINS, FACES = range(6)
LAYER_NAMES = ["domain", "storage", "services/workspace", "analysis", "plugins", "cli/tui"]

#: module (or package) -> layer; a module takes the layer of its longest listed prefix, but
#: ``pdsa_core`` stands only for its own ``__init__`` (a new top-level module of the core is
#: placed here by hand: test_every_module_has_a_layer says which)
LAYERS: dict[str, int] = {
    # plain types, validation, texts and formatting: no I/O, nothing above them
    "pdsa_core.domain": DOMAIN,
    "pdsa_core.errors": DOMAIN,
    "pdsa_core.i18n": DOMAIN,
    "pdsa_core.literal": DOMAIN,
    "pdsa_core.formatting": DOMAIN,
    "pdsa_core.version": DOMAIN,
    "pdsa_core.redaction": DOMAIN,
    # runs a plugin's code so that nothing it does ends a command; imports nothing of pdsa
    "pdsa_core.plugin_guard": DOMAIN,
    # the lazily imported names of a package (PEP 562), importing nothing of pdsa
    "pdsa_core.lazy_imports": DOMAIN,
    # the types of what a plugin receives (Register, WorkspaceView, the events): records only
    "pdsa_core.plugin_api": DOMAIN,
    # the only code that knows the file and the server
    "pdsa_core.storage": STORAGE,
    # writing a report, chart or minutes to a file the user named (atomic, as the storage does)
    "pdsa_core.output_files": STORAGE,
    # the compiled dataclass methods kept in the cache folder (the storage's file helpers)
    "pdsa_core.dataclass_code": STORAGE,
    # what a user can do to a workspace, and the contracts of what plugins provide
    "pdsa_core.services": SERVICES,
    "pdsa_core.workspace": SERVICES,
    "pdsa_core.startup": SERVICES,
    "pdsa_core.extension_types": SERVICES,
    # what is computed and produced from a workspace
    "pdsa_core.spc": ANALYSIS,
    "pdsa_core.analysis": ANALYSIS,
    "pdsa_core.overview": ANALYSIS,
    "pdsa_core.importing": ANALYSIS,
    "pdsa_core.sources": ANALYSIS,
    "pdsa_core.reports": ANALYSIS,
    "pdsa_core.meetings": ANALYSIS,
    "pdsa_core.assessments": ANALYSIS,
    "pdsa_core.indicator_sets": ANALYSIS,
    "pdsa_core.demo": ANALYSIS,
    # the plugin machinery, pdsa's own plugins, the public API a plugin imports, and plugins
    "pdsa_core": PLUGINS,
    "pdsa_core.hookspecs": PLUGINS,
    "pdsa_core.plugins": PLUGINS,
    "pdsa_core.plugin_discovery": PLUGINS,
    "pdsa_core.plugin_trust": PLUGINS,
    "pdsa_core.plugin_install": PLUGINS,
    # a start's first screen read in a forked process: the workspace opened with its plugins
    "pdsa_core.overview_in_advance": PLUGINS,
    "pdsa_core.testing": PLUGINS,
    "pdsa_core.default_plugins": PLUGINS,
    "pdsa_lkt_tvang": PLUGINS,
    "pdsa_region_midtjylland": PLUGINS,
    "pdsa_region_nordjylland": PLUGINS,
    # the two faces
    "pdsa_cli": FACES,
    "tui": FACES,
}

#: packages that may not import each other although the layers would allow it (importer, imported)
FORBIDDEN = [
    ("pdsa_core", "textual"),
    ("pdsa_core", "textual_plotext"),
    ("pdsa_core", "pdsa_cli"),
    ("pdsa_core", "tui"),
    ("tui", "pdsa_cli"),
]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    #: the importing file, relative to the checked folder
    path: str
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages and of each plugin package, by dotted name."""
    found: dict[str, Path] = {}
    for top in ("pdsa_core", "pdsa_cli", "tui"):
        for path in sorted((root / top).rglob("*.py")):
            found[_module_name(path.relative_to(root))] = path
    for plugin in sorted((root / "plugins").iterdir()):
        for package in sorted(p for p in plugin.iterdir() if (p / "__init__.py").is_file()):
            for path in sorted(package.rglob("*.py")):
                found[_module_name(path.relative_to(plugin))] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for each import of a module, at any depth but type checking."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"), str(path))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield (submodule if submodule in modules else target), node.lineno
        pending.extend(ast.iter_child_nodes(node))


def import_edges(root: Path = ROOT) -> list[Edge]:
    """Each module's imports: of project modules (resolved to the module) and of others as named."""
    modules = project_modules(root)
    edges: dict[tuple[str, str], Edge] = {}
    for module, path in modules.items():
        for target, line in _imports(module, path, modules):
            known = target
            while known and known not in modules:
                known = known.rpartition(".")[0]
            target = known or target
            if target != module and (module, target) not in edges:
                edges[module, target] = Edge(module, target, path.relative_to(root).as_posix(), line)
    return sorted(edges.values(), key=lambda e: (e.source, e.target))


#: entries that name one module, not a package and everything in it
EXACT = {"pdsa_core"}


def layer_of(module: str) -> int | None:
    name = module
    while name:
        if name in LAYERS and (name == module or name not in EXACT):
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layer_problems(edges: list[Edge]) -> list[str]:
    """One line per import that goes up a layer or crosses a forbidden line."""
    problems = []
    for edge in edges:
        for importer, imported in FORBIDDEN:
            if _within(edge.source, importer) and _within(edge.target, imported):
                problems.append(
                    f"{edge.where()}: {edge.source} imports {edge.target} "
                    f"({importer} never imports {imported})"
                )
        low, high = layer_of(edge.source), layer_of(edge.target)
        if low is not None and high is not None and high > low:
            problems.append(
                f"{edge.where()}: {edge.source} ({LAYER_NAMES[low]}) imports {edge.target} "
                f"({LAYER_NAMES[high]}), a layer above it"
            )
    return problems


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The groups of project modules that import each other round a circle (Tarjan's algorithm)."""
    graph: dict[str, list[str]] = {}
    for edge in edges:
        if layer_of(edge.target) is not None:
            graph.setdefault(edge.source, []).append(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative, so a deep chain of imports cannot hit the recursion limit
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(groups)


def _describe_cycle(group: list[str], edges: list[Edge]) -> str:
    inside = [e for e in edges if e.source in group and e.target in group]
    return (
        "cycle "
        + " <-> ".join(group)
        + "".join(f"\n    {e.where()}: {e.source} imports {e.target}" for e in inside)
    )


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in project_modules() if layer_of(m) is None)
    assert not unplaced, "modules without a layer in LAYERS: " + ", ".join(unplaced)


def test_no_import_goes_up_a_layer() -> None:
    problems = layer_problems(import_edges())
    assert not problems, "\n" + "\n".join(problems)


def test_no_import_cycles() -> None:
    edges = import_edges()
    found = cycles(edges)
    assert not found, "\n" + "\n".join(_describe_cycle(group, edges) for group in found)


def test_the_walk_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    """The checks above are only as good as the walk: a hidden upward import and a cycle are found."""
    core = tmp_path / "pdsa_core"
    (core / "domain").mkdir(parents=True)
    (tmp_path / "pdsa_cli").mkdir()
    (tmp_path / "tui").mkdir()
    (tmp_path / "plugins").mkdir()
    (core / "__init__.py").write_text("")
    (core / "domain" / "__init__.py").write_text("from . import thing\n")
    (core / "domain" / "thing.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pdsa_core.workspace import Workspace\n"
        "def later():\n    from pdsa_core import storage\n    import pdsa_core.domain\n"
    )
    (core / "storage.py").write_text("")
    (core / "workspace.py").write_text("")
    (tmp_path / "pdsa_cli" / "__init__.py").write_text("")
    (tmp_path / "tui" / "__init__.py").write_text("def run():\n    from pdsa_cli import x\n")
    edges = import_edges(tmp_path)
    problems = layer_problems(edges)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "pdsa_core.domain.thing (domain) imports pdsa_core.storage (storage), a layer above it",
        "tui imports pdsa_cli (tui never imports pdsa_cli)",
    ]
    assert cycles(edges) == [["pdsa_core.domain", "pdsa_core.domain.thing"]]
