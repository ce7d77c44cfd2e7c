"""The shape of the code: the two import-linter contracts in pyproject.toml, and no import cycle in app/.

- The core (``app``) imports no Qt and no ``ui``.
- The window (``ui``) talks to services: it imports no CMS client, no store or ORM models, no
  SQLAlchemy and no requests.
- Inside ``app``, no module depends on itself through others, counting imports made inside
  functions (a cycle hidden in a function is still a cycle).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Set
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = (
    "The core (app) imports no Qt and no ui",
    "The window (ui) talks to services",
)


def test_import_linter_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed: run the README's test command"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    output = " ".join(result.stdout.split())  # the report wraps long contract names
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in output
    for name in CONTRACTS:
        assert re.search(re.escape(name) + r".*? KEPT", output), f"{name!r} did not run"


def import_cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """Every group of modules that import one another (strongly connected components of the
    import graph, Tarjan's algorithm without recursion), each as a closed path that shows it:
    ``[a, b, c, a]``. A module importing itself counts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(imports):
        if start in index:
            continue
        work = [(start, iter(sorted(imports.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
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
                    if len(group) > 1 or node in imports.get(node, ()):
                        groups.append(_closed_path(sorted(group), imports))
    return groups


def _closed_path(group: list[str], imports: Mapping[str, Set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, through the group only."""
    members = set(group)
    start = group[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(imports.get(node, ())):
                if target not in members or target in came_from:
                    continue
                came_from[target] = node
                if target == start:
                    path = [start]
                    while path[-1] != start or len(path) == 1:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                following.append(target)
        frontier = following
    return [*group, start]  # unreachable for a strongly connected group


def test_the_cycle_finder_finds_and_names_cycles() -> None:
    graph = {
        "app.a": {"app.b"},
        "app.b": {"app.c", "app.d"},
        "app.c": {"app.a"},
        "app.d": set(),
        "app.e": {"app.e"},
        "app.f": {"app.d"},
    }
    assert import_cycles(graph) == [["app.a", "app.b", "app.c", "app.a"], ["app.e", "app.e"]]
    assert import_cycles({"app.a": {"app.b"}, "app.b": set()}) == []


def test_app_has_no_import_cycles() -> None:
    graph = grimp.build_graph("app")  # every import, at the top or inside a function
    imports = {
        module: graph.find_modules_directly_imported_by(module) & graph.modules
        for module in graph.modules
    }
    assert len(imports) > 50 and any(imports.values())  # the graph really holds app's modules
    cycles = import_cycles(imports)
    assert not cycles, "import cycles in app/:\n" + "\n".join(" -> ".join(c) for c in cycles)
